using Kumo.Aspire.Hosting.Seeding;
using Kumo.Snapshots;
using Kumo.Testing;

namespace Kumo.Aspire.Hosting.Starts;

/// <summary>What was prepared before one start of a kumo resource.</summary>
/// <param name="RunContext">The run and worker ids <c>{run}</c> and <c>{worker}</c> resolve to.</param>
/// <param name="Seeds">The seed plans, resolved for <paramref name="RunContext"/>, in the order they were added.</param>
/// <param name="Restored">The snapshot the engine's data directory was restored from, or null when it is seeded.</param>
internal sealed record KumoStartState(KumoRunContext RunContext, IReadOnlyList<KumoPlannedSeed> Seeds, RestoredSnapshot? Restored);
