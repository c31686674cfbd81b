namespace Kumo.Seeding;

/// <summary>A global or local secondary index of a seeded table.</summary>
/// <param name="Name">The index name.</param>
/// <param name="HashKey">The index's partition key (a local index shares the table's).</param>
/// <param name="RangeKey">The index's sort key, or null.</param>
/// <param name="Projection"><c>ALL</c> (default) or <c>KEYS_ONLY</c>.</param>
public sealed record TableIndexSeed(string Name, TableKeySeed HashKey, TableKeySeed? RangeKey, string Projection);
