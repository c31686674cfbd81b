using System.Numerics;

namespace Kumo.Embedded.S3;

/// <summary>A bucket: its objects by key, kept in ordinal key order for listings.</summary>
/// <remarks>
/// <para>
/// The objects are <see cref="StoredObject"/> slots of one array, found by key through an index of buckets chained by
/// slot index; a removed object's slot is reused. The array doubles when full and is rebuilt at the size of what is
/// left by <see cref="TrimExcess"/>.
/// </para>
/// <para>
/// The key order is kept lazily: a slot added since the last ordered read waits in a list and its key is merged
/// into the ordered set by the next listing. A run of PUTs (or PUTs and DELETEs of the same keys) without a listing
/// in between never pays for the ordered set, and a listing pays what the writes would have paid, once.
/// </para>
/// </remarks>
internal sealed class S3Bucket
{
    private const int InitialCapacity = 16;

    private StoredObject[] _slots = new StoredObject[InitialCapacity];
    private int[] _buckets = NewBuckets(InitialCapacity);
    private int _used;
    private int _free = -1;
    private int _count;
    private SortedSet<string> _keys = new(StringComparer.Ordinal);
    private readonly List<int> _pending = [];

    public S3Bucket(string name, DateTimeOffset created, string region)
    {
        Name = name;
        Created = created;
        Region = region;
    }

    public string Name { get; }

    public DateTimeOffset Created { get; }

    public string Region { get; }

    public int Count => _count;

    public IEnumerable<S3Object> Objects => Ordered().Select(Get);

    /// <summary>Every object, taken in one pass for a checkpoint: slots copied, not objects made.</summary>
    public ObjectSnapshot Snapshot()
    {
        var slots = new StoredObject[_count];
        int taken = 0;
        for (int index = 0; index < _used; index++)
        {
            if (_slots[index].IsUsed)
            {
                slots[taken++] = _slots[index];
            }
        }

        return new ObjectSnapshot(slots);
    }

    public bool TryGet(string key, out S3Object value)
    {
        int index = IndexOf(key, StoredObject.HashOf(key));
        value = index >= 0 ? _slots[index].View(key) : null!;
        return index >= 0;
    }

    /// <summary>Stores <paramref name="value"/> and returns the object it replaced, if any.</summary>
    /// <param name="value">The object.</param>
    /// <param name="bodyKey">Its body's key, when the caller has it (else parsed from <see cref="S3Object.BlobId"/>).</param>
    public S3Object? Put(S3Object value, BodyKey? bodyKey = null)
    {
        int hash = StoredObject.HashOf(value.Key);
        StoredObject stored = StoredObject.From(value, bodyKey);
        int index = IndexOf(value.Key, hash);
        if (index >= 0)
        {
            ref StoredObject slot = ref _slots[index];
            S3Object previous = slot.View(value.Key);
            slot.Packed = stored.Packed;
            slot.Rich = stored.Rich;
            slot.ContentType = stored.ContentType;
            return previous;
        }

        index = Allocate();
        bool pending = _slots[index].Pending;
        stored.KeyHash = hash;
        stored.Pending = true;
        ref int bucket = ref _buckets[hash & (_buckets.Length - 1)];
        stored.NextInBucket = bucket;
        _slots[index] = stored;
        bucket = index;
        if (!pending)
        {
            _pending.Add(index);
        }

        _count++;
        return null;
    }

    public S3Object? Remove(string key)
    {
        int hash = StoredObject.HashOf(key);
        ref int link = ref _buckets[hash & (_buckets.Length - 1)];
        while (link >= 0)
        {
            int index = link;
            ref StoredObject slot = ref _slots[index];
            if (slot.KeyHash == hash && slot.HasKey(key))
            {
                S3Object removed = slot.View(key);
                link = slot.NextInBucket;
                if (slot.Sorted)
                {
                    _keys.Remove(key);
                }

                // A free slot stays in the pending list if it was there; the listing skips it, or takes its next key.
                slot = new StoredObject { Pending = slot.Pending, NextInBucket = _free };
                _free = index;
                _count--;
                return removed;
            }

            link = ref slot.NextInBucket;
        }

        return null;
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

    public S3Object Get(string key) => TryGet(key, out S3Object value) ? value : throw new KeyNotFoundException($"No object '{key}' in bucket '{Name}'.");

    /// <summary>Gives back the spare capacity left by removals: the slots are rebuilt at the size of what is left.</summary>
    public void TrimExcess()
    {
        int capacity = Math.Max(InitialCapacity, (int)BitOperations.RoundUpToPowerOf2((uint)Math.Max(_count, 1)));
        if (capacity < _slots.Length)
        {
            Rebuild(capacity);
        }
    }

    /// <summary>Every key in ordinal order: merges the keys added since the last ordered read.</summary>
    private SortedSet<string> Ordered()
    {
        if (_pending.Count == 0)
        {
            return _keys;
        }

        var fresh = new List<string>(_pending.Count);
        foreach (int index in _pending)
        {
            ref StoredObject slot = ref _slots[index];
            slot.Pending = false;
            if (slot.IsUsed)
            {
                slot.Sorted = true;
                fresh.Add(slot.Key());
            }
        }

        _pending.Clear();
        if (fresh.Count > _keys.Count)
        {
            // Most keys are new (a first listing after a load or a run of PUTs): sorting them all and building
            // the tree once is cheaper than inserting one at a time.
            _keys = new SortedSet<string>(_keys.Concat(fresh), StringComparer.Ordinal);
        }
        else
        {
            _keys.UnionWith(fresh);
        }

        return _keys;
    }

    private static int[] NewBuckets(int capacity)
    {
        int[] buckets = new int[capacity];
        buckets.AsSpan().Fill(-1);
        return buckets;
    }

    private int IndexOf(string key, int hash)
    {
        for (int index = _buckets[hash & (_buckets.Length - 1)]; index >= 0; index = _slots[index].NextInBucket)
        {
            if (_slots[index].KeyHash == hash && _slots[index].HasKey(key))
            {
                return index;
            }
        }

        return -1;
    }

    /// <summary>A free slot: a removed object's, or the next unused one (the array doubles when there is none).</summary>
    private int Allocate()
    {
        if (_free >= 0)
        {
            int index = _free;
            _free = _slots[index].NextInBucket;
            return index;
        }

        if (_used == _slots.Length)
        {
            Rebuild(_slots.Length * 2);
        }

        return _used++;
    }

    /// <summary>
    /// Moves the used slots, in order, to the front of new arrays of <paramref name="capacity"/> slots and index buckets
    /// (at least <see cref="Count"/>): a full array doubles this way (every slot is used, so none moves), a trim shrinks.
    /// </summary>
    private void Rebuild(int capacity)
    {
        StoredObject[] slots = new StoredObject[capacity];
        int[] buckets = NewBuckets(capacity);
        _pending.Clear();
        int used = 0;
        for (int index = 0; index < _used; index++)
        {
            if (!_slots[index].IsUsed)
            {
                continue;
            }

            ref StoredObject moved = ref slots[used];
            moved = _slots[index];
            ref int bucket = ref buckets[moved.KeyHash & (capacity - 1)];
            moved.NextInBucket = bucket;
            bucket = used;
            if (moved.Pending)
            {
                _pending.Add(used);
            }

            used++;
        }

        _slots = slots;
        _buckets = buckets;
        _used = used;
        _free = -1;
    }
}
