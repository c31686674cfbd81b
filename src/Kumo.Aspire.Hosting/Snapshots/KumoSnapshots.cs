using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Kumo.Aspire.Hosting.Seeding;
using Kumo.Snapshots;
using Kumo.Testing;
using Microsoft.Extensions.Logging;

namespace Kumo.Aspire.Hosting.Snapshots;

/// <summary>
/// Maps a kumo executable resource and its seed plans onto the core's <see cref="PlanSnapshots"/>: the store request
/// (seeding the build engine as the resource is seeded, with progress on the resource) and the restore into a data
/// directory of this AppHost process under <c>&lt;store&gt;/runs/</c>.
/// </summary>
internal static partial class KumoSnapshots
{
    /// <summary>The folder of the store that holds the per-run data directories restored from its snapshots.</summary>
    public const string RunsDirectoryName = "runs";

    /// <summary>The default snapshot store: the core's <see cref="KumoSnapshotDirectory"/>, from the AppHost's configuration and directory.</summary>
    /// <param name="builder">The application builder.</param>
    /// <returns>The full path.</returns>
    public static string DefaultStoreDirectory(IDistributedApplicationBuilder builder) =>
        KumoSnapshotDirectory.Resolve(key => builder.Configuration[key], builder.AppHostDirectory);

    /// <summary>Creates the store request for a resource's plans, seeding a build engine the same way the resource is seeded.</summary>
    /// <param name="resource">The kumo process resource (its engine builds the snapshot).</param>
    /// <param name="seeds">The resolved plans, at least one.</param>
    /// <param name="notifications">The notification service (seed progress of the build is shown on the resource).</param>
    /// <param name="logger">The resource's log.</param>
    /// <param name="cancellationToken">Cancels hashing the plan files.</param>
    /// <returns>The request.</returns>
    public static Task<SnapshotRequest> CreateRequestAsync(
        KumoExecutableResource resource,
        IReadOnlyList<KumoPlannedSeed> seeds,
        ResourceNotificationService notifications,
        ILogger logger,
        CancellationToken cancellationToken) =>
        PlanSnapshots.CreateRequestAsync(
            [.. seeds.Select(s => s.Resolved)],
            resource.Engine,
            (endpoint, token) => KumoSeedRun.SeedAsync(resource, seeds, endpoint, notifications, logger, token),
            cancellationToken: cancellationToken);

    /// <summary>
    /// Gets (building it once if needed) the snapshot of the resource's plans and restores it into a new data directory
    /// of this AppHost process: <c>&lt;store&gt;/runs/.tmp-&lt;AppHost pid&gt;-&lt;id&gt;-&lt;run&gt;-&lt;worker&gt;-&lt;resource&gt;</c>.
    /// </summary>
    /// <param name="resource">The kumo process resource.</param>
    /// <param name="storeDirectory">The snapshot store.</param>
    /// <param name="previousDataDirectory">The directory the previous start of this resource (in this AppHost) was restored into; it is removed.</param>
    /// <param name="seeds">The resolved plans.</param>
    /// <param name="runContext">The run and worker.</param>
    /// <param name="notifications">The notification service.</param>
    /// <param name="logger">The resource's log.</param>
    /// <param name="cancellationToken">Cancels building or restoring.</param>
    /// <returns>The snapshot and the restored directory.</returns>
    public static async Task<RestoredSnapshot> RestoreAsync(
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
        LogGetting(logger, store.KeyFor(request), resource.Engine.DisplayName, store.Root);

        if (previousDataDirectory is not null)
        {
            TryDelete(previousDataDirectory, logger);
        }

        var target = PlanSnapshots.NewOwnedDirectory(
            Path.Combine(store.Root, RunsDirectoryName),
            id => $"{id}-{runContext.RunId}-{runContext.WorkerId}-{resource.Name}",
            swept => LogSwept(logger, swept));
        var restored = await PlanSnapshots.GetAndRestoreAsync(store, request, target, cancellationToken).ConfigureAwait(false);
        var snapshot = restored.Snapshot;
        if (snapshot.Built)
        {
            LogBuilt(logger, snapshot.Key, snapshot.Manifest.BuildMilliseconds, snapshot.Directory);
        }
        else
        {
            LogReused(logger, snapshot.Key, snapshot.Manifest.CreatedUtc, snapshot.Directory);
        }

        var data = restored.DataDirectory;
        LogRestored(logger, snapshot.Key, data.Files, data.Bytes, data.LinkedFiles, data.Path, data.Elapsed.TotalMilliseconds);
        return restored;
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
