namespace Kumo.Seeding;

/// <summary>Progress of a seed run, reported after each item.</summary>
/// <param name="Phase">The current phase.</param>
/// <param name="Done">Items finished in this phase.</param>
/// <param name="Total">Items in this phase.</param>
/// <param name="Current">The item just finished, e.g. <c>s3://orders/a.json</c> or <c>sqs://orders</c>; null at the start of a phase.</param>
public sealed record SeedProgress(SeedPhase Phase, int Done, int Total, string? Current);
