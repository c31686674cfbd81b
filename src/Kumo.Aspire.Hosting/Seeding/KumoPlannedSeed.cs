using Kumo.Seeding;

namespace Kumo.Aspire.Hosting.Seeding;

/// <summary>A seed plan of a resource, resolved for a run.</summary>
/// <param name="Source">Where the plan came from.</param>
/// <param name="Resolved">The plan with concrete names.</param>
internal sealed record KumoPlannedSeed(KumoSeedAnnotation Source, ResolvedSeedPlan Resolved);
