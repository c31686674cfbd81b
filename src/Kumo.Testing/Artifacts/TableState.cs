namespace Kumo.Testing;

/// <summary>A DynamoDB table in a <see cref="KumoStateDump"/>: its keys, item count and its first items.</summary>
/// <param name="Name">The table name.</param>
/// <param name="KeySchema">The key attributes, e.g. <c>["id HASH", "sk RANGE"]</c>.</param>
/// <param name="ItemCount">The items the table holds (counted by a scan).</param>
/// <param name="Items">At most <see cref="KumoStateDump.MaxItemsPerTable"/> items, as JSON.</param>
/// <param name="Truncated">True when the table holds more items than <see cref="Items"/> lists.</param>
public sealed record TableState(string Name, IReadOnlyList<string> KeySchema, long ItemCount, IReadOnlyList<string> Items, bool Truncated);
