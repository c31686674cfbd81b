using System.Text.Json.Nodes;

namespace Kumo.Seeding;

/// <summary>One item of a seeded table, in DynamoDB JSON, and where it was written.</summary>
public sealed class TableItemSeed
{
    internal TableItemSeed(JsonObject item, string source)
    {
        Item = item;
        Source = source;
        Canonical = DynamoJson.Canonical(item);
    }

    /// <summary>The item in DynamoDB JSON (<c>{"id":{"S":"o-1"},"total":{"N":"12.5"}}</c>).</summary>
    public JsonObject Item { get; }

    /// <summary>Where the item was written, e.g. <c>kumo-seed.json /tables/0/items/3</c> or <c>items.jsonl line 12</c>.</summary>
    public string Source { get; }

    /// <summary>The item's canonical text (sorted map keys and sets, normalized numbers): equal items, equal text.</summary>
    internal string Canonical { get; }
}
