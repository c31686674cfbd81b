namespace Kumo.Embedded.S3;

/// <summary>A bucket: its objects by key, kept in ordinal key order for listings.</summary>
internal sealed class S3Bucket
{
    private readonly Dictionary<string, S3Object> _objects = new(StringComparer.Ordinal);
    private readonly SortedSet<string> _keys = new(StringComparer.Ordinal);

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

    public IEnumerable<S3Object> Objects => _keys.Select(k => _objects[k]);

    public bool TryGet(string key, out S3Object value) => _objects.TryGetValue(key, out value!);

    /// <summary>Stores <paramref name="value"/> and returns the object it replaced, if any.</summary>
    public S3Object? Put(S3Object value)
    {
        _objects.TryGetValue(value.Key, out S3Object? previous);
        _objects[value.Key] = value;
        _keys.Add(value.Key);
        return previous;
    }

    public S3Object? Remove(string key)
    {
        if (!_objects.Remove(key, out S3Object? removed))
        {
            return null;
        }

        _keys.Remove(key);
        return removed;
    }

    /// <summary>Keys strictly after <paramref name="after"/> (all keys when null), in ordinal order.</summary>
    public IEnumerable<string> KeysAfter(string? after)
    {
        if (_keys.Count == 0)
        {
            return [];
        }

        if (after is null)
        {
            return _keys;
        }

        string max = _keys.Max!;
        if (StringComparer.Ordinal.Compare(after, max) >= 0)
        {
            return [];
        }

        return _keys.GetViewBetween(after, max).Where(k => !string.Equals(k, after, StringComparison.Ordinal));
    }

    public S3Object Get(string key) => _objects[key];

    /// <summary>Gives back the spare capacity left by removals.</summary>
    public void TrimExcess() => _objects.TrimExcess();
}
