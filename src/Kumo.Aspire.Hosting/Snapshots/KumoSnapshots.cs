using System.Security.Cryptography;
using System.Text;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Kumo.Aspire.Hosting.Lifecycle;
using Kumo.Aspire.Hosting.Seeding;
using Kumo.Contract;
using Kumo.Seeding;
using Kumo.Snapshots;
using Kumo.Testing;
using Kumo.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace Kumo.Aspire.Hosting.Snapshots;

/// <summary>
/// Maps a kumo executable resource and its seed plans to a <see cref="SnapshotRequest"/> of the core's
/// <see cref="SnapshotStore"/>, and restores the snapshot into a per-run data directory.
/// </summary>
internal static partial class KumoSnapshots
{
    /// <summary>The configuration value (or environment variable) that sets the default snapshot store.</summary>
    public const string StoreDirectoryKey = KumoEnvironment.SnapshotDirectory;

    /// <summary>The file a published snapshot's manifest is in (see <see cref="Snapshot"/>).</summary>
    public const string ManifestFileName = "manifest.json";

    /// <summary>The folder of the store that holds the per-run data directories restored from its snapshots.</summary>
    public const string RunsDirectoryName = "runs";

    private const string PlansHashMagic = "kumo-aspire-seed-plans/1";

    /// <summary>
    /// The default snapshot store: <c>KUMO_SNAPSHOT_DIR</c> (configuration or environment), else
    /// <c>obj/kumo-snapshots</c> under the AppHost directory (build output, ignored by git, removed by <c>dotnet clean</c>).
    /// </summary>
    /// <param name="builder">The application builder.</param>
    /// <returns>The full path.</returns>
    public static string DefaultStoreDirectory(IDistributedApplicationBuilder builder) =>
        builder.Configuration[StoreDirectoryKey] is { Length: > 0 } configured && !string.IsNullOrWhiteSpace(configured)
            ? Path.GetFullPath(configured, builder.AppHostDirectory)
            : Path.Combine(builder.AppHostDirectory, "obj", "kumo-snapshots");

    /// <summary>Creates the store request for a resource's plans, seeding a build engine the same way the resource is seeded.</summary>
    /// <remarks>
    /// With one seed plan, the request is keyed exactly as the core keys a plan elsewhere (Kumo.Testing's fixture): the
    /// plan's content hash and <see cref="ResolvedSeedPlan.SnapshotFixtureVersion"/>, which adds the run and worker ids
    /// when the plan's names use <c>{run}</c> or <c>{worker}</c>, so no run restores another run's names. Several plans
    /// (several <c>WithSeed</c> calls) are keyed by the hash of their hashes and their joined fixture versions.
    /// </remarks>
    /// <param name="resource">The kumo process resource (its engine builds the snapshot).</param>
    /// <param name="seeds">The resolved plans, at least one.</param>
    /// <param name="notifications">The notification service (seed progress of the build is shown on the resource).</param>
    /// <param name="logger">The resource's log.</param>
    /// <param name="cancellationToken">Cancels hashing the plan files.</param>
    /// <returns>The request.</returns>
    public static async Task<SnapshotRequest> CreateRequestAsync(
        KumoExecutableResource resource,
        IReadOnlyList<KumoPlannedSeed> seeds,
        ResourceNotificationService notifications,
        ILogger logger,
        CancellationToken cancellationToken)
    {
        var hashes = new List<string>(seeds.Count);
        foreach (var seed in seeds)
        {
            hashes.Add(await seed.Resolved.Plan.ComputeHashAsync(cancellationToken).ConfigureAwait(false));
        }

        return new SnapshotRequest
        {
            PlanHash = hashes.Count == 1
                ? hashes[0]
                : Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(PlansHashMagic + "\n" + string.Join("\n", hashes)))),
            FixtureVersion = string.Join(" & ", seeds.Select(s => s.Resolved.SnapshotFixtureVersion())),
            Engine = resource.Engine,
            Seed = (endpoint, token) => KumoSeedRun.SeedAsync(resource, seeds, endpoint, notifications, logger, token),
        };
    }

    /// <summary>
    /// Gets (building it once if needed) the snapshot of the resource's plans and restores it into a new data directory
    /// of this run: <c>&lt;store&gt;/runs/.tmp-&lt;AppHost pid&gt;-&lt;id&gt;-&lt;run&gt;-&lt;worker&gt;-&lt;resource&gt;</c>.
    /// </summary>
    /// <remarks>
    /// The directory belongs to this AppHost process: its name follows the <c>.tmp-&lt;pid&gt;-</c> convention of
    /// <see cref="StaleTemporaryFiles"/>, so it is removed by the next restore once the AppHost that used it is gone.
    /// </remarks>
    /// <param name="resource">The kumo process resource.</param>
    /// <param name="storeDirectory">The snapshot store.</param>
    /// <param name="previousDataDirectory">The directory the previous start of this resource (in this AppHost) was restored into; it is removed.</param>
    /// <param name="seeds">The resolved plans.</param>
    /// <param name="runContext">The run and worker.</param>
    /// <param name="notifications">The notification service.</param>
    /// <param name="logger">The resource's log.</param>
    /// <param name="cancellationToken">Cancels building or restoring.</param>
    /// <returns>The snapshot and the restored directory.</returns>
    public static async Task<KumoRestoredSnapshot> RestoreAsync(
        KumoExecutableResource resource,
        string storeDirectory,
        string? previousDataDirectory,
        IReadOnlyList<KumoPlannedSeed> seeds,
        KumoRunContext runContext,
        ResourceNotificationService notifications,
        ILogger logger,
        CancellationToken cancellationToken)
    {
        var store = new SnapshotStore(storeDirectory, logger);
        var request = await CreateRequestAsync(resource, seeds, notifications, logger, cancellationToken).ConfigureAwait(false);
        var key = store.KeyFor(request);
        LogGetting(logger, key, resource.Engine.DisplayName, store.Root);

        var snapshot = await store.GetOrBuildAsync(request, cancellationToken).ConfigureAwait(false);
        if (snapshot.Built)
        {
            LogBuilt(logger, snapshot.Key, snapshot.Manifest.BuildMilliseconds, snapshot.Directory);
        }
        else
        {
            LogReused(logger, snapshot.Key, snapshot.Manifest.CreatedUtc, snapshot.Directory);
        }

        var runs = Path.Combine(store.Root, RunsDirectoryName);
        Directory.CreateDirectory(runs);
        if (previousDataDirectory is not null)
        {
            TryDelete(previousDataDirectory, logger);
        }

        foreach (var swept in StaleTemporaryFiles.Sweep(runs))
        {
            LogSwept(logger, swept);
        }

        var target = Path.Combine(runs, $"{AtomicFile.TemporaryPrefix}{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..8]}-{runContext.RunId}-{runContext.WorkerId}-{resource.Name}");
        var restored = await store.RestoreAsync(snapshot, target, cancellationToken).ConfigureAwait(false);
        LogRestored(logger, snapshot.Key, restored.Files, restored.Bytes, restored.LinkedFiles, restored.Path, restored.Elapsed.TotalMilliseconds);
        return new KumoRestoredSnapshot(snapshot, restored);
    }

    private static void TryDelete(string directory, ILogger logger)
    {
        try
        {
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            LogDeleteFailed(logger, directory, ex.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "kumo: snapshot {Key} of the seed plans for {Engine} from the store '{Store}'")]
    private static partial void LogGetting(ILogger logger, string key, string engine, string store);

    [LoggerMessage(Level = LogLevel.Information, Message = "kumo: built snapshot {Key} in {BuildMs} ms and published it at '{Directory}'")]
    private static partial void LogBuilt(ILogger logger, string key, long buildMs, string directory);

    [LoggerMessage(Level = LogLevel.Information, Message = "kumo: reused snapshot {Key} (built {Created:u}) at '{Directory}'")]
    private static partial void LogReused(ILogger logger, string key, DateTimeOffset created, string directory);

    [LoggerMessage(Level = LogLevel.Information, Message = "kumo: restored snapshot {Key} ({Files} file(s), {Bytes} bytes, {Linked} hard-linked) into '{Path}' in {ElapsedMs:0} ms; the seed plans are skipped")]
    private static partial void LogRestored(ILogger logger, string key, int files, long bytes, int linked, string path, double elapsedMs);

    [LoggerMessage(Level = LogLevel.Information, Message = "kumo: removed '{Path}', a data directory left by an AppHost that no longer runs")]
    private static partial void LogSwept(ILogger logger, string path);

    [LoggerMessage(Level = LogLevel.Warning, Message = "kumo: could not remove the previous data directory '{Path}': {Reason}")]
    private static partial void LogDeleteFailed(ILogger logger, string path, string reason);
}
