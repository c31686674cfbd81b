using Kumo.Engines;

namespace Kumo.Snapshots;

/// <summary>What snapshot is wanted and how to build it if it does not exist yet.</summary>
/// <remarks>
/// <para>
/// The snapshot key is derived from <see cref="PlanHash"/>, <see cref="FixtureVersion"/>, the
/// engine's name and version (<see cref="Engine"/>) and the store's format version: change any of
/// them and a different snapshot is built; an existing one is never reused across such drift.
/// </para>
/// <para>
/// <see cref="Seed"/> receives the endpoint of an engine running on an empty data directory and
/// must put the fixture state into it (e.g. with the AWS SDK or a seeder); <see cref="Verify"/>,
/// if given, runs after it and throws when the state is not what the fixture promises. The store
/// knows nothing about seed plans: it only hashes what the engine wrote.
/// </para>
/// </remarks>
/// <example>
/// <code>
/// var request = new SnapshotRequest
/// {
///     PlanHash = plan.ContentHash,
///     FixtureVersion = "orders-v3",
///     Engine = EngineDefinition.Embedded(),
///     Seed = async (endpoint, ct) => await seeder.SeedAsync(endpoint, ct),
/// };
/// </code>
/// </example>
public sealed record SnapshotRequest
{
    /// <summary>The content hash of the seed plan (plan plus the bytes of every file it reads).</summary>
    public required string PlanHash { get; init; }

    /// <summary>A version the fixture author bumps to force a rebuild when nothing else changed (e.g. <c>"1"</c>).</summary>
    public required string FixtureVersion { get; init; }

    /// <summary>The engine that builds the snapshot and that it may later be restored into.</summary>
    public required EngineDefinition Engine { get; init; }

    /// <summary>Puts the fixture state into the engine at the given endpoint.</summary>
    public required Func<Uri, CancellationToken, Task> Seed { get; init; }

    /// <summary>Optionally checks the seeded state before the snapshot is published; throw to reject it.</summary>
    public Func<Uri, CancellationToken, Task>? Verify { get; init; }

    /// <summary>How long to wait for another process that is building the same snapshot; null uses <see cref="SnapshotStore.DefaultLockTimeout"/>.</summary>
    public TimeSpan? LockTimeout { get; init; }

    /// <summary>Checks the request and throws an error naming the field and the fix.</summary>
    /// <exception cref="ArgumentException">A field is missing or invalid.</exception>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(PlanHash))
        {
            throw new ArgumentException($"{nameof(SnapshotRequest)}.{nameof(PlanHash)} is empty. Pass the seed plan's content hash.", nameof(PlanHash));
        }

        if (string.IsNullOrWhiteSpace(FixtureVersion))
        {
            throw new ArgumentException($"{nameof(SnapshotRequest)}.{nameof(FixtureVersion)} is empty. Pass a version such as \"1\" and bump it to force a rebuild.", nameof(FixtureVersion));
        }

        if (Engine is null)
        {
            throw new ArgumentException($"{nameof(SnapshotRequest)}.{nameof(Engine)} is null. Use EngineDefinition.Embedded() or EngineDefinition.KumoBinary().", nameof(Engine));
        }

        if (Seed is null)
        {
            throw new ArgumentException($"{nameof(SnapshotRequest)}.{nameof(Seed)} is null. Pass a delegate that seeds the engine at the endpoint it is given.", nameof(Seed));
        }

        if (LockTimeout is { } timeout && timeout < TimeSpan.Zero)
        {
            throw new ArgumentException($"{nameof(SnapshotRequest)}.{nameof(LockTimeout)} is negative ({timeout}). Use null for the default, or a positive duration.", nameof(LockTimeout));
        }
    }
}
