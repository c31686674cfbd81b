namespace Kumo.Embedded.DynamoDb;

/// <summary>A key schema: the partition (HASH) key and the optional sort (RANGE) key.</summary>
internal sealed record KeySchema(string HashKey, string? RangeKey)
{
    public IEnumerable<string> Names => RangeKey is null ? [HashKey] : [HashKey, RangeKey];
}

/// <summary>A global or local secondary index of a table.</summary>
internal sealed record DynamoIndex(string Name, KeySchema Keys, string ProjectionType, IReadOnlyList<string> NonKeyAttributes, bool Global, long ReadCapacity, long WriteCapacity)
{
    /// <summary>Keeps the attributes the index projects: all, the keys, or the keys plus the included ones.</summary>
    public DynamoItem Project(IReadOnlyDictionary<string, DynamoValue> item, KeySchema tableKeys)
    {
        if (ProjectionType == "ALL")
        {
            return DynamoItems.Copy(item);
        }

        DynamoItem projected = DynamoItems.New();
        foreach (string name in tableKeys.Names.Concat(Keys.Names).Concat(NonKeyAttributes))
        {
            if (item.TryGetValue(name, out DynamoValue? value))
            {
                projected[name] = value;
            }
        }

        return projected;
    }
}
