using System.Globalization;
using System.Text.Json;

namespace Kumo.Seeding;

/// <summary>Configures one DynamoDB table of a <see cref="SeedPlanBuilder"/>: keys, indexes, TTL and items.</summary>
/// <example>
/// <code>
/// new SeedPlanBuilder().Table("orders-{run}", "customerId", t => t
///     .RangeKey("orderId")
///     .GlobalSecondaryIndex("by-status", "status", rangeKey: "orderId")
///     .TimeToLive("expiresAt")
///     .Item("""{"customerId":"c-1","orderId":"o-1","status":"open","total":12.5}""")
///     .ItemsFromFile("fixtures/orders.jsonl", jsonLines: true));
/// </code>
/// </example>
public sealed class TableSeedBuilder
{
    private readonly List<TableIndexSeed> _globalIndexes = [];
    private readonly List<TableIndexSeed> _localIndexes = [];
    private readonly List<(string Json, bool DynamoJson)> _items = [];
    private readonly List<(string Path, bool JsonLines, bool DynamoJson)> _files = [];
    private TableKeySeed _hashKey;
    private TableKeySeed? _rangeKey;
    private string? _ttlAttribute;
    private TableItemDifference _onDifference;

    internal TableSeedBuilder(string hashKey, string hashKeyType) => _hashKey = new TableKeySeed(hashKey, hashKeyType);

    /// <summary>Sets the partition key's type (default <c>S</c>).</summary>
    /// <param name="type"><c>S</c>, <c>N</c> or <c>B</c>.</param>
    /// <returns>This builder.</returns>
    public TableSeedBuilder HashKeyType(string type)
    {
        ArgumentException.ThrowIfNullOrEmpty(type);
        _hashKey = _hashKey with { Type = type };
        return this;
    }

    /// <summary>Adds a sort key.</summary>
    /// <param name="name">The attribute name.</param>
    /// <param name="type"><c>S</c> (default), <c>N</c> or <c>B</c>.</param>
    /// <returns>This builder.</returns>
    public TableSeedBuilder RangeKey(string name, string type = "S")
    {
        ArgumentNullException.ThrowIfNull(name);
        _rangeKey = new TableKeySeed(name, type);
        return this;
    }

    /// <summary>Adds a global secondary index.</summary>
    /// <param name="name">The index name.</param>
    /// <param name="hashKey">The index's partition key attribute.</param>
    /// <param name="hashKeyType">Its type, default <c>S</c>.</param>
    /// <param name="rangeKey">The index's sort key attribute, or null.</param>
    /// <param name="rangeKeyType">Its type, default <c>S</c>.</param>
    /// <param name="projection"><c>ALL</c> (default) or <c>KEYS_ONLY</c>.</param>
    /// <returns>This builder.</returns>
    public TableSeedBuilder GlobalSecondaryIndex(string name, string hashKey, string hashKeyType = "S", string? rangeKey = null, string rangeKeyType = "S", string projection = "ALL")
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(hashKey);
        _globalIndexes.Add(new TableIndexSeed(name, new TableKeySeed(hashKey, hashKeyType), rangeKey is null ? null : new TableKeySeed(rangeKey, rangeKeyType), projection));
        return this;
    }

    /// <summary>Adds a local secondary index (same partition key as the table, another sort key).</summary>
    /// <param name="name">The index name.</param>
    /// <param name="rangeKey">The index's sort key attribute.</param>
    /// <param name="rangeKeyType">Its type, default <c>S</c>.</param>
    /// <param name="projection"><c>ALL</c> (default) or <c>KEYS_ONLY</c>.</param>
    /// <returns>This builder.</returns>
    public TableSeedBuilder LocalSecondaryIndex(string name, string rangeKey, string rangeKeyType = "S", string projection = "ALL")
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(rangeKey);
        _localIndexes.Add(new TableIndexSeed(name, _hashKey, new TableKeySeed(rangeKey, rangeKeyType), projection));
        return this;
    }

    /// <summary>Enables TTL on <paramref name="attribute"/> (epoch seconds).</summary>
    /// <param name="attribute">The TTL attribute.</param>
    /// <returns>This builder.</returns>
    public TableSeedBuilder TimeToLive(string attribute)
    {
        ArgumentException.ThrowIfNullOrEmpty(attribute);
        _ttlAttribute = attribute;
        return this;
    }

    /// <summary>Adds an item written as plain JSON (<c>{"id":"o-1","total":12.5}</c>).</summary>
    /// <param name="json">The item.</param>
    /// <returns>This builder.</returns>
    public TableSeedBuilder Item(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        _items.Add((json, false));
        return this;
    }

    /// <summary>Adds an item written as DynamoDB JSON (<c>{"id":{"S":"o-1"}}</c>).</summary>
    /// <param name="json">The item.</param>
    /// <returns>This builder.</returns>
    public TableSeedBuilder DynamoDBItem(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        _items.Add((json, true));
        return this;
    }

    /// <summary>Adds the items of a file: a JSON array of items, or JSON Lines (one item a line).</summary>
    /// <param name="path">The file, relative to the builder's base directory.</param>
    /// <param name="jsonLines">True for JSON Lines.</param>
    /// <param name="dynamoDBJson">True when the items are DynamoDB JSON rather than plain JSON.</param>
    /// <returns>This builder.</returns>
    public TableSeedBuilder ItemsFromFile(string path, bool jsonLines = false, bool dynamoDBJson = false)
    {
        ArgumentNullException.ThrowIfNull(path);
        _files.Add((path, jsonLines, dynamoDBJson));
        return this;
    }

    /// <summary>Overwrites existing items that differ from the plan's (default: report them and leave them).</summary>
    /// <returns>This builder.</returns>
    public TableSeedBuilder ReplaceDifferingItems()
    {
        _onDifference = TableItemDifference.Replace;
        return this;
    }

    internal TableSeed Create(string name, string pointer, string baseDirectory, SeedErrors errors)
    {
        var inline = new List<InlineTableItem>(_items.Count);
        for (int i = 0; i < _items.Count; i++)
        {
            string itemPointer = pointer + "/items/" + i.ToString(CultureInfo.InvariantCulture);
            try
            {
                using JsonDocument document = JsonDocument.Parse(_items[i].Json);
                inline.Add(new InlineTableItem(document.RootElement.Clone(), _items[i].DynamoJson, itemPointer, null));
            }
            catch (JsonException e)
            {
                errors.Add(itemPointer, null, $"the item is not valid JSON: {e.Message}", "pass one JSON object per Item call.");
            }
        }

        TableItemSource[] files = [.. _files.Select((f, i) => new TableItemSource(f.Path, f.JsonLines, f.DynamoJson, pointer + "/itemFiles/" + i.ToString(CultureInfo.InvariantCulture), null))];
        return TableSeedFactory.Create(name, _hashKey, _rangeKey, [.. _globalIndexes], [.. _localIndexes], _ttlAttribute, inline, files, _onDifference, baseDirectory, new SeedLocation(pointer, null), errors);
    }
}
