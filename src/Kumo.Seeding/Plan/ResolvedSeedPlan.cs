namespace Kumo.Seeding;

/// <summary>A <see cref="SeedPlan"/> with concrete names, ready for <see cref="KumoSeeder.SeedAsync"/>.</summary>
/// <remarks>
/// Created by <see cref="SeedPlan.Resolve"/>, which has checked that every resolved name is valid
/// and unique. Directory sources are expanded into one <see cref="ResolvedObject"/> per file.
/// </remarks>
public sealed class ResolvedSeedPlan
{
    internal ResolvedSeedPlan(SeedPlan plan, SeedContext context, IReadOnlyList<ResolvedBucket> buckets, IReadOnlyList<ResolvedQueue> queues, IReadOnlyList<ResolvedTable> tables)
    {
        Tables = tables;
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

    /// <summary>The tables with concrete names.</summary>
    public IReadOnlyList<ResolvedTable> Tables { get; }

    /// <summary>
    /// The fixture version a snapshot of this resolved plan must be keyed with: the plan's own, plus the
    /// run and/or worker id when its names use <c>{run}</c> or <c>{worker}</c>.
    /// </summary>
    /// <remarks>
    /// The plan hash covers names as written (so it is stable across runs), but a snapshot holds them
    /// resolved; without the ids in the key, one worker would restore another worker's names. Plans
    /// without placeholders share one snapshot across every run and worker.
    /// </remarks>
    /// <returns>For example <c>v1</c>, <c>v1+run=r7</c> or <c>v1+run=r7+worker=w3</c>.</returns>
    public string SnapshotFixtureVersion()
    {
        IEnumerable<string> templates = Buckets.Select(b => b.Seed.Name).Concat(Queues.Select(q => q.Seed.Name)).Concat(Tables.Select(t => t.Seed.Name));
        bool run = false;
        bool worker = false;
        foreach (string template in templates)
        {
            run |= template.Contains("{run}", StringComparison.Ordinal);
            worker |= template.Contains("{worker}", StringComparison.Ordinal);
        }

        return Plan.FixtureVersion
            + (run ? "+run=" + Context.RunId : string.Empty)
            + (worker ? "+worker=" + Context.WorkerId : string.Empty);
    }
}
