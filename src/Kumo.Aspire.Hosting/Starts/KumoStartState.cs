using Kumo.Aspire.Hosting.Seeding;

namespace Kumo.Aspire.Hosting.Starts;

/// <summary>What the current start of a kumo resource prepared, as read back by readiness and the commands.</summary>
/// <param name="Seeds">The seed plans, resolved for the resource's run context, in the order they were added.</param>
/// <param name="RestoredSnapshot">The key of the snapshot the engine's data directory was restored from, or null when it is seeded.</param>
internal sealed record KumoStartState(IReadOnlyList<KumoPlannedSeed> Seeds, string? RestoredSnapshot);
