namespace Kumo.Seeding;

/// <summary>A DynamoDB table to create (key schema, indexes, TTL attribute) and the items it must hold.</summary>
/// <remarks>
/// Items are held in DynamoDB JSON (<c>{"id":{"S":"o-1"}}</c>), whichever form the manifest or builder used; inline
/// items and item files are read when the plan is built, so the plan hash covers them.
/// </remarks>
public sealed class TableSeed
{
    internal TableSeed(string name, TableKeySeed hashKey, TableKeySeed? rangeKey, IReadOnlyList<TableIndexSeed> globalIndexes, IReadOnlyList<TableIndexSeed> localIndexes, string? ttlAttribute, IReadOnlyList<TableItemSeed> items, TableItemDifference onDifference, SeedLocation location)
    {
        Name = name;
        HashKey = hashKey;
        RangeKey = rangeKey;
        GlobalSecondaryIndexes = globalIndexes;
        LocalSecondaryIndexes = localIndexes;
        TtlAttribute = ttlAttribute;
        Items = items;
        OnDifference = onDifference;
        Location = location;
    }

    /// <summary>The table name as written; may contain <c>{run}</c> and <c>{worker}</c>.</summary>
    public string Name { get; }

    /// <summary>The partition key.</summary>
    public TableKeySeed HashKey { get; }

    /// <summary>The sort key, or null.</summary>
    public TableKeySeed? RangeKey { get; }

    /// <summary>The global secondary indexes.</summary>
    public IReadOnlyList<TableIndexSeed> GlobalSecondaryIndexes { get; }

    /// <summary>The local secondary indexes.</summary>
    public IReadOnlyList<TableIndexSeed> LocalSecondaryIndexes { get; }

    /// <summary>The attribute whose epoch-seconds value expires an item (TTL enabled), or null.</summary>
    public string? TtlAttribute { get; }

    /// <summary>The items, in plan order.</summary>
    public IReadOnlyList<TableItemSeed> Items { get; }

    /// <summary>What happens to an existing item that differs from the plan's.</summary>
    public TableItemDifference OnDifference { get; }

    internal SeedLocation Location { get; }

    /// <summary>Every key attribute of the table and its indexes, once each, in first-use order.</summary>
    internal IEnumerable<TableKeySeed> KeyAttributes()
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        IEnumerable<TableKeySeed?> all = new[] { HashKey, RangeKey }
            .Concat(GlobalSecondaryIndexes.Concat(LocalSecondaryIndexes).SelectMany(i => new[] { i.HashKey, i.RangeKey }));
        foreach (TableKeySeed? key in all)
        {
            if (key is not null && seen.Add(key.Name))
            {
                yield return key;
            }
        }
    }
}
