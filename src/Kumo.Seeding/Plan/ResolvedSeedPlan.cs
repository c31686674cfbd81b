namespace Kumo.Seeding;

/// <summary>A <see cref="SeedPlan"/> with concrete names, ready for <see cref="KumoSeeder.SeedAsync"/>.</summary>
/// <remarks>
/// Created by <see cref="SeedPlan.Resolve"/>, which has checked that every resolved name is valid
/// and unique. Directory sources are expanded into one <see cref="ResolvedObject"/> per file.
/// </remarks>
public sealed class ResolvedSeedPlan
{
    internal ResolvedSeedPlan(SeedPlan plan, SeedContext context, IReadOnlyList<ResolvedBucket> buckets, IReadOnlyList<ResolvedQueue> queues)
    {
        Plan = plan;
        Context = context;
        Buckets = buckets;
        Queues = queues;
    }

    /// <summary>The plan as written.</summary>
    public SeedPlan Plan { get; }

    /// <summary>The placeholder values used.</summary>
    public SeedContext Context { get; }

    /// <summary>The buckets with concrete names.</summary>
    public IReadOnlyList<ResolvedBucket> Buckets { get; }

    /// <summary>The queues with concrete names.</summary>
    public IReadOnlyList<ResolvedQueue> Queues { get; }
}
