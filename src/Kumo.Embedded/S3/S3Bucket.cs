using System.Runtime.InteropServices;

namespace Kumo.Embedded.S3;

/// <summary>A bucket: its objects by key, kept in ordinal key order for listings.</summary>
/// <remarks>
/// The key order is kept lazily: a key added since the last ordered read waits in a hash set and is
/// merged into the ordered set by the next listing. A run of PUTs (or PUTs and DELETEs of the same
/// keys) without a listing in between never pays for the ordered set, and a listing pays what the
/// writes would have paid, once.
/// </remarks>
internal sealed class S3Bucket
{
    private readonly Dictionary<string, S3Object> _objects = new(StringComparer.Ordinal);
    private SortedSet<string> _keys = new(StringComparer.Ordinal);
    private readonly HashSet<string> _unordered = new(StringComparer.Ordinal);

    public S3Bucket(string name, DateTimeOffset created, string region)
    {
        Name = name;
        Created = created;
        Region = region;
    }

    public string Name { get; }

    public DateTimeOffset Created { get; }

    public string Region { get; }

    public int Count => _objects.Count;

    public IEnumerable<S3Object> Objects => Ordered().Select(k => _objects[k]);

    /// <summary>Every object, in no order: a copy of references taken in one pass, for a checkpoint to sort outside the lock.</summary>
    public List<S3Object> Unordered() => [.. _objects.Values];

    public bool TryGet(string key, out S3Object value) => _objects.TryGetValue(key, out value!);

    /// <summary>Stores <paramref name="value"/> and returns the object it replaced, if any.</summary>
    public S3Object? Put(S3Object value)
    {
        ref S3Object? slot = ref CollectionsMarshal.GetValueRefOrAddDefault(_objects, value.Key, out bool exists);
        S3Object? previous = slot;
        slot = value;
        if (!exists)
        {
            _unordered.Add(value.Key);
        }

        return previous;
    }

    public S3Object? Remove(string key)
    {
        if (!_objects.Remove(key, out S3Object? removed))
        {
            return null;
        }

        if (!_unordered.Remove(key))
        {
            _keys.Remove(key);
        }

        return removed;
    }

    /// <summary>Keys strictly after <paramref name="after"/> (all keys when null), in ordinal order.</summary>
    public IEnumerable<string> KeysAfter(string? after)
    {
        SortedSet<string> keys = Ordered();
        if (keys.Count == 0)
        {
            return [];
        }

        if (after is null)
        {
            return keys;
        }

        string max = keys.Max!;
        if (StringComparer.Ordinal.Compare(after, max) >= 0)
        {
            return [];
        }

        return keys.GetViewBetween(after, max).Where(k => !string.Equals(k, after, StringComparison.Ordinal));
    }

    public S3Object Get(string key) => _objects[key];

    /// <summary>Gives back the spare capacity left by removals.</summary>
    public void TrimExcess()
    {
        _objects.TrimExcess();
        _unordered.TrimExcess();
    }

    /// <summary>Every key in ordinal order: merges the keys added since the last ordered read.</summary>
    private SortedSet<string> Ordered()
    {
        if (_unordered.Count > _keys.Count)
        {
            // Most keys are new (a first listing after a load or a run of PUTs): sorting them all and building
            // the tree once is cheaper than inserting one at a time.
            _keys = new SortedSet<string>(_keys.Concat(_unordered), StringComparer.Ordinal);
            _unordered.Clear();
        }
        else if (_unordered.Count > 0)
        {
            _keys.UnionWith(_unordered);
            _unordered.Clear();
        }

        return _keys;
    }
}
