namespace Kumo.Embedded.DynamoDb;

/// <summary>One table's items, ordered by partition key (its key text) and then sort key, plus its TTL schedule.</summary>
/// <remarks>Not thread-safe: the <see cref="DynamoStore"/> lock guards every table.</remarks>
internal sealed class DynamoTable
{
    private static readonly Comparer<DynamoValue> RangeOrder = Comparer<DynamoValue>.Create(static (a, b) => DynamoValue.Compare(a, b) ?? 0);

    private readonly SortedDictionary<string, SortedList<DynamoValue, DynamoItem>> _partitions = new(StringComparer.Ordinal);
    private readonly PriorityQueue<DynamoItem, long> _expiry = new();

    public DynamoTable(DynamoTableDefinition definition)
    {
        Definition = definition;
    }

    public DynamoTableDefinition Definition { get; private set; }

    public long ItemCount { get; private set; }

    public long SizeBytes { get; private set; }

    public KeySchema Keys => Definition.Keys;

    /// <summary>Replaces the definition (UpdateTable, UpdateTimeToLive, tags); rebuilds the TTL schedule when TTL changed.</summary>
    public void Redefine(DynamoTableDefinition definition)
    {
        bool ttlChanged = definition.TtlEnabled != Definition.TtlEnabled || definition.TtlAttribute != Definition.TtlAttribute;
        Definition = definition;
        if (ttlChanged)
        {
            _expiry.Clear();
            foreach (DynamoItem item in All())
            {
                Schedule(item);
            }
        }
    }

    /// <summary>Checks that <paramref name="key"/> holds exactly the table's key attributes with their types, and returns them.</summary>
    public DynamoItem ValidateKey(IReadOnlyDictionary<string, DynamoValue> key)
    {
        if (key.Count != (Keys.RangeKey is null ? 1 : 2))
        {
            throw DynamoErrors.KeyMismatch();
        }

        DynamoItem result = DynamoItems.New();
        foreach (string name in Keys.Names)
        {
            if (!key.TryGetValue(name, out DynamoValue? value) || value.TypeName != Definition.AttributeTypes[name])
            {
                throw DynamoErrors.KeyMismatch();
            }

            CheckNotEmpty(name, value);
            result[name] = value;
        }

        return result;
    }

    /// <summary>Checks an item before it is stored: key attributes present with their types, index keys typed, within 400 KB.</summary>
    public void ValidateItem(IReadOnlyDictionary<string, DynamoValue> item, bool update = false)
    {
        foreach (string name in Keys.Names)
        {
            if (!item.TryGetValue(name, out DynamoValue? value))
            {
                throw DynamoErrors.InvalidParameter($"Missing the key {name} in the item");
            }

            string expected = Definition.AttributeTypes[name];
            if (value.TypeName != expected)
            {
                throw DynamoErrors.InvalidParameter($"Type mismatch for key {name} expected: {expected} actual: {value.Type}");
            }

            CheckNotEmpty(name, value);
        }

        foreach (DynamoIndex index in Definition.GlobalIndexes.Concat(Definition.LocalIndexes))
        {
            foreach (string name in index.Keys.Names)
            {
                if (item.TryGetValue(name, out DynamoValue? value))
                {
                    string expected = Definition.AttributeTypes[name];
                    if (value.TypeName != expected)
                    {
                        throw DynamoErrors.InvalidParameter($"Type mismatch for Index Key {name} Expected: {expected} Actual: {value.Type} IndexName: {index.Name}");
                    }

                    if ((value.Type == DynamoType.S && value.S.Length == 0) || (value.Type == DynamoType.B && value.B.Length == 0))
                    {
                        throw DynamoErrors.InvalidParameter($"One or more parameter values are not valid. A value specified for a secondary index key is not supported. The AttributeValue for a key attribute cannot contain an empty string value. IndexName: {index.Name}, IndexKey: {name}");
                    }
                }
            }
        }

        if (DynamoItems.Size(item) > DynamoItems.MaxItemSize)
        {
            throw update ? DynamoErrors.Validation("Item size to update has exceeded the maximum allowed size") : DynamoErrors.ItemTooLarge();
        }
    }

    public DynamoItem KeyOf(IReadOnlyDictionary<string, DynamoValue> item)
    {
        DynamoItem key = DynamoItems.New();
        foreach (string name in Keys.Names)
        {
            key[name] = item[name];
        }

        return key;
    }

    public DynamoItem? Get(IReadOnlyDictionary<string, DynamoValue> key) =>
        _partitions.TryGetValue(key[Keys.HashKey].KeyText, out SortedList<DynamoValue, DynamoItem>? partition)
        && partition.TryGetValue(RangeOf(key), out DynamoItem? item) ? item : null;

    /// <returns>The item replaced, if any.</returns>
    public DynamoItem? Put(DynamoItem item)
    {
        string hash = item[Keys.HashKey].KeyText;
        if (!_partitions.TryGetValue(hash, out SortedList<DynamoValue, DynamoItem>? partition))
        {
            partition = new SortedList<DynamoValue, DynamoItem>(RangeOrder);
            _partitions.Add(hash, partition);
        }

        DynamoValue range = RangeOf(item);
        partition.TryGetValue(range, out DynamoItem? old);
        partition[range] = item;
        if (old is null)
        {
            ItemCount++;
        }
        else
        {
            SizeBytes -= DynamoItems.Size(old);
        }

        SizeBytes += DynamoItems.Size(item);
        Schedule(item);
        return old;
    }

    /// <returns>The item deleted, if any.</returns>
    public DynamoItem? Delete(IReadOnlyDictionary<string, DynamoValue> key)
    {
        string hash = key[Keys.HashKey].KeyText;
        if (!_partitions.TryGetValue(hash, out SortedList<DynamoValue, DynamoItem>? partition)
            || !partition.Remove(RangeOf(key), out DynamoItem? old))
        {
            return null;
        }

        if (partition.Count == 0)
        {
            _partitions.Remove(hash);
        }

        ItemCount--;
        SizeBytes -= DynamoItems.Size(old);
        return old;
    }

    /// <summary>The items of one partition in sort key order.</summary>
    public IList<DynamoItem> Partition(DynamoValue hash) =>
        _partitions.TryGetValue(hash.KeyText, out SortedList<DynamoValue, DynamoItem>? partition) ? partition.Values : [];

    /// <summary>Every item, by partition key text and then sort key.</summary>
    public IEnumerable<DynamoItem> All() => _partitions.Values.SelectMany(p => p.Values);

    /// <summary>Removes the items whose TTL attribute is at or before <paramref name="nowSeconds"/>.</summary>
    /// <returns>The keys of the items removed (for the journal).</returns>
    public List<DynamoItem> Expire(long nowSeconds)
    {
        var expired = new List<DynamoItem>();
        while (Definition.TtlEnabled && _expiry.TryPeek(out DynamoItem? key, out long at) && at <= nowSeconds)
        {
            _expiry.Dequeue();
            if (Get(key) is { } item && ExpiresAt(item) is { } current && current <= nowSeconds)
            {
                Delete(key);
                expired.Add(key);
            }
        }

        return expired;
    }

    private void Schedule(DynamoItem item)
    {
        if (ExpiresAt(item) is { } at)
        {
            _expiry.Enqueue(KeyOf(item), at);
        }
    }

    private long? ExpiresAt(IReadOnlyDictionary<string, DynamoValue> item) =>
        Definition is { TtlEnabled: true, TtlAttribute: { } attribute } && item.TryGetValue(attribute, out DynamoValue? value) && value.Type == DynamoType.N
            ? value.N.ToInt64Floor()
            : null;

    private DynamoValue RangeOf(IReadOnlyDictionary<string, DynamoValue> keyOrItem) =>
        Keys.RangeKey is { } range ? keyOrItem[range] : DynamoValue.Null;

    private static void CheckNotEmpty(string name, DynamoValue value)
    {
        if ((value.Type == DynamoType.S && value.S.Length == 0) || (value.Type == DynamoType.B && value.B.Length == 0))
        {
            throw DynamoErrors.Validation($"One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty {(value.Type == DynamoType.S ? "string" : "binary")} value. Key: {name}");
        }
    }
}
