using System.Security.Cryptography;
using System.Text;
using Kumo.Clients;
using Kumo.Engines;
using Kumo.Seeding;
using Kumo.Storage;

namespace Kumo.Snapshots;

/// <summary>
/// Snapshots of seed plans, in one place for the Aspire hosting layer, the xunit fixture and kumoctl: the request for
/// one or several plans (keyed by their combined hash), the restore into a directory its owner process cleans up, and
/// the rebuild of a snapshot found corrupt.
/// </summary>
/// <remarks>
/// One plan is keyed by its content hash and <see cref="ResolvedSeedPlan.SnapshotFixtureVersion"/> (which adds the run
/// and worker when the plan's names use <c>{run}</c> or <c>{worker}</c>, so no run restores another run's names).
/// Several plans are keyed by the hash of their hashes and their fixture versions joined with <c> &amp; </c>.
/// </remarks>
/// <example>
/// <code>
/// var store = new SnapshotStore(KumoSnapshotDirectory.Resolve());
/// SnapshotRequest request = await PlanSnapshots.CreateRequestAsync([resolved], EngineDefinition.Embedded());
/// RestoredSnapshot restored = await PlanSnapshots.GetAndRestoreAsync(store, request, PlanSnapshots.NewOwnedDirectory(Path.Combine(store.Root, "runs"), id => $"r1-w0-{id}"));
/// </code>
/// </example>
public static class PlanSnapshots
{
    private const string PlansHashMagic = "kumo-aspire-seed-plans/1";

    /// <summary>The key hash of several plans: the one plan's hash, or the hash of all of them in order.</summary>
    /// <param name="planHashes">The plans' content hashes (<see cref="SeedPlan.ComputeHashAsync"/>), at least one.</param>
    /// <returns>64 lowercase hex digits.</returns>
    /// <exception cref="ArgumentException"><paramref name="planHashes"/> is empty.</exception>
    public static string CombineHashes(IReadOnlyList<string> planHashes)
    {
        ArgumentNullException.ThrowIfNull(planHashes);
        if (planHashes.Count == 0)
        {
            throw new ArgumentException("No plan hashes. Pass the content hash of at least one seed plan.", nameof(planHashes));
        }

        return planHashes.Count == 1
            ? planHashes[0]
            : Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(PlansHashMagic + "\n" + string.Join("\n", planHashes))));
    }

    /// <summary>Creates the store request for <paramref name="plans"/>.</summary>
    /// <param name="plans">The resolved plans, at least one, in the order they are seeded.</param>
    /// <param name="engine">The engine that builds the snapshot.</param>
    /// <param name="seed">Seeds a build engine; default <see cref="SeedAsync"/> with these plans.</param>
    /// <param name="lockTimeout">How long to wait for another builder; null for the store's default.</param>
    /// <param name="cancellationToken">Cancels hashing the plan files.</param>
    /// <returns>The request.</returns>
    /// <exception cref="ArgumentException"><paramref name="plans"/> is empty.</exception>
    public static async Task<SnapshotRequest> CreateRequestAsync(
        IReadOnlyList<ResolvedSeedPlan> plans,
        EngineDefinition engine,
        Func<Uri, CancellationToken, Task>? seed = null,
        TimeSpan? lockTimeout = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(plans);
        ArgumentNullException.ThrowIfNull(engine);
        if (plans.Count == 0)
        {
            throw new ArgumentException("No seed plans. Pass at least one resolved plan.", nameof(plans));
        }

        var hashes = new List<string>(plans.Count);
        foreach (ResolvedSeedPlan plan in plans)
        {
            hashes.Add(await plan.Plan.ComputeHashAsync(cancellationToken).ConfigureAwait(false));
        }

        return new SnapshotRequest
        {
            PlanHash = CombineHashes(hashes),
            FixtureVersion = string.Join(" & ", plans.Select(p => p.SnapshotFixtureVersion())),
            Engine = engine,
            LockTimeout = lockTimeout,
            Seed = seed ?? ((endpoint, token) => SeedAsync(plans, endpoint, token)),
        };
    }

    /// <summary>Seeds <paramref name="plans"/> in order into the engine at <paramref name="endpoint"/> with the core's clients and seeder.</summary>
    /// <param name="plans">The resolved plans.</param>
    /// <param name="endpoint">The engine's base URL.</param>
    /// <param name="cancellationToken">Cancels the seeding.</param>
    /// <returns>A task that completes when every plan is seeded.</returns>
    public static async Task SeedAsync(IReadOnlyList<ResolvedSeedPlan> plans, Uri endpoint, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(plans);
        using KumoClients clients = KumoClients.Create(endpoint);
        var seeder = new KumoSeeder(clients);
        foreach (ResolvedSeedPlan plan in plans)
        {
            await seeder.SeedAsync(plan, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// A new directory path under <paramref name="parent"/> owned by this process,
    /// <c>.tmp-&lt;pid&gt;-&lt;name&gt;</c>, where the name holds a fresh random id; first removes the ones whose process
    /// no longer runs.
    /// </summary>
    /// <remarks>
    /// The name follows the <c>.tmp-&lt;pid&gt;-</c> convention of <see cref="StaleTemporaryFiles"/>, so a directory its
    /// owner could not delete (the process was killed) is removed by the next call for the same parent.
    /// </remarks>
    /// <param name="parent">The folder that holds such directories (created if absent).</param>
    /// <param name="name">Makes the rest of the name from a fresh 8-hex-digit id, e.g. <c>id =&gt; $"{run}-{worker}-{id}"</c>; it must use the id.</param>
    /// <param name="onSwept">Called with each removed directory (e.g. to log it); null ignores them.</param>
    /// <returns>The full path (not created).</returns>
    /// <exception cref="ArgumentException"><paramref name="name"/> does not use the id.</exception>
    public static string NewOwnedDirectory(string parent, Func<string, string> name, Action<string>? onSwept = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(parent);
        ArgumentNullException.ThrowIfNull(name);
        string id = Guid.NewGuid().ToString("N")[..8];
        string rest = name(id);
        if (!rest.Contains(id, StringComparison.Ordinal))
        {
            throw new ArgumentException($"The directory name '{rest}' does not contain the id '{id}' it was given, so two owners could collide. Fix: include the id.", nameof(name));
        }

        Directory.CreateDirectory(parent);
        foreach (string swept in StaleTemporaryFiles.Sweep(parent))
        {
            onSwept?.Invoke(swept);
        }

        return Path.GetFullPath(Path.Combine(parent, $"{AtomicFile.TemporaryPrefix}{Environment.ProcessId}-{rest}"));
    }

    /// <summary>
    /// Gets (building it once if needed) the snapshot for <paramref name="request"/> and restores it into
    /// <paramref name="targetDirectory"/>; a snapshot found corrupt during the restore is discarded and rebuilt once.
    /// </summary>
    /// <param name="store">The snapshot store.</param>
    /// <param name="request">What to build and how.</param>
    /// <param name="targetDirectory">The data directory; it must be empty or absent.</param>
    /// <param name="cancellationToken">Cancels building or restoring.</param>
    /// <returns>The snapshot and the restored directory.</returns>
    public static async Task<RestoredSnapshot> GetAndRestoreAsync(SnapshotStore store, SnapshotRequest request, string targetDirectory, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(request);
        Snapshot snapshot = await store.GetOrBuildAsync(request, cancellationToken).ConfigureAwait(false);
        try
        {
            return new RestoredSnapshot(snapshot, await store.RestoreAsync(snapshot, targetDirectory, cancellationToken).ConfigureAwait(false));
        }
        catch (SnapshotCorruptException)
        {
            // The store discarded it; build it again once.
            snapshot = await store.GetOrBuildAsync(request, cancellationToken).ConfigureAwait(false);
            return new RestoredSnapshot(snapshot, await store.RestoreAsync(snapshot, targetDirectory, cancellationToken).ConfigureAwait(false));
        }
    }
}
