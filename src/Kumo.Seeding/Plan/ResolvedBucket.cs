namespace Kumo.Seeding;

/// <summary>A bucket of a <see cref="ResolvedSeedPlan"/>: a concrete name and concrete objects.</summary>
public sealed class ResolvedBucket
{
    internal ResolvedBucket(string name, IReadOnlyList<ResolvedObject> objects, BucketSeed seed)
    {
        Name = name;
        Objects = objects;
        Seed = seed;
    }

    /// <summary>The bucket name.</summary>
    public string Name { get; }

    /// <summary>The objects, one per key, ordered ordinally by key.</summary>
    public IReadOnlyList<ResolvedObject> Objects { get; }

    /// <summary>The bucket as written in the plan.</summary>
    public BucketSeed Seed { get; }
}
