using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Kumo.Aspire.Hosting.Seeding;
using Kumo.Aspire.Hosting.Snapshots;
using Kumo.Aspire.Hosting.Starts;
using Kumo.Aspire.Hosting.State;
using Kumo.Clients;
using Kumo.Engines;
using Kumo.Seeding;
using Kumo.Snapshots;
using Kumo.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;

namespace Kumo.Aspire.Hosting.Commands;

/// <summary>
/// The dashboard commands of every kumo resource: <c>reseed</c>, <c>reset</c>, <c>snapshot-now</c> and
/// <c>dump-state</c>.
/// </summary>
/// <remarks>
/// <para>
/// Each command is enabled only while the resource runs, is healthy and is not seeding or restoring; commands, seeding
/// and restores of one resource run one at a time. A command reports failure with a message saying what went wrong and
/// what to do; the details of every run (and, for <c>dump-state</c>, the JSON) are in the resource log, and the last
/// outcome is in the <c>kumo.command</c> property.
/// </para>
/// </remarks>
internal static partial class KumoCommands
{
    /// <summary>Adds the four commands.</summary>
    /// <typeparam name="T">The kumo resource type.</typeparam>
    /// <param name="builder">The resource builder.</param>
    /// <returns>The same builder.</returns>
    public static IResourceBuilder<T> Add<T>(IResourceBuilder<T> builder)
        where T : IKumoResource
    {
        IKumoResource resource = builder.Resource;
        return builder
            .WithCommand(
                KumoCommandNames.Reseed,
                "Reseed",
                context => ExecuteAsync(resource, context, KumoCommandNames.Reseed, ReseedAsync),
                commandOptions: new CommandOptions
                {
                    Description = "Runs the seed plans again. Idempotent: buckets, objects and queues that already match are left alone; missing or changed ones are restored.",
                    IconName = "ArrowSync",
                    UpdateState = EnabledWhenReady,
                })
            .WithCommand(
                KumoCommandNames.Reset,
                "Reset",
                context => ExecuteAsync(resource, context, KumoCommandNames.Reset, ResetAsync),
                commandOptions: new CommandOptions
                {
                    Description = "Deletes every bucket, object and queue in the engine, then runs the seed plans.",
                    ConfirmationMessage = $"Delete every bucket, object and queue in '{resource.Name}' and seed it again?",
                    IconName = "ArrowReset",
                    UpdateState = EnabledWhenReady,
                })
            .WithCommand(
                KumoCommandNames.SnapshotNow,
                "Snapshot now",
                context => ExecuteAsync(resource, context, KumoCommandNames.SnapshotNow, SnapshotNowAsync),
                commandOptions: new CommandOptions
                {
                    Description = "Publishes the snapshot of the seed plans into the snapshot store now (building it with a fresh engine process if it is missing), so the next start restores it. Process engines only.",
                    IconName = "Camera",
                    UpdateState = EnabledWhenReady,
                })
            .WithCommand(
                KumoCommandNames.DumpState,
                "Dump state",
                context => ExecuteAsync(resource, context, KumoCommandNames.DumpState, DumpStateAsync),
                commandOptions: new CommandOptions
                {
                    Description = "Writes every bucket (keys, sizes, ETags) and queue (attributes, message counts) as JSON to a file under obj/kumo-dumps (named in the kumo.dump property) and to the resource log.",
                    IconName = "DocumentText",
                    UpdateState = EnabledWhenReady,
                });
    }

    /// <summary>Enabled while the resource runs (or runs with a failed seed), is healthy, and is not seeding or restoring.</summary>
    /// <param name="context">The resource's current snapshot.</param>
    /// <returns>The command state.</returns>
    public static ResourceCommandState EnabledWhenReady(UpdateCommandStateContext context)
    {
        var snapshot = context.ResourceSnapshot;
        var running = snapshot.State?.Text is { } state && (state == KnownResourceStates.Running || state == KumoSeedState.SeedFailedResourceState);
        var busy = KumoResourceState.Property(snapshot, KumoProperties.Seed) is KumoSeedState.Pending or KumoSeedState.Restoring or KumoSeedState.Seeding;
        // Not HealthStatus: Aspire computes it only for the Running state, and a resource whose seed failed still runs.
        var healthy = snapshot.HealthReports.All(report => report.Status == HealthStatus.Healthy);
        return running && healthy && !busy ? ResourceCommandState.Enabled : ResourceCommandState.Disabled;
    }

    private static async Task<ExecuteCommandResult> ExecuteAsync(IKumoResource resource, ExecuteCommandContext context, string name, Func<CommandRun, Task<string>> command)
    {
        var services = context.Services;
        var notifications = services.GetRequiredService<ResourceNotificationService>();
        var logger = services.GetRequiredService<ResourceLoggerService>().GetLogger(resource);
        var cancellationToken = context.CancellationToken;
        if (!resource.PrimaryEndpoint.IsAllocated)
        {
            return CommandResults.Failure($"'{resource.Name}' is not running (its endpoint is not allocated). Start it, then run '{name}' again.");
        }

        IDisposable entered;
        try
        {
            entered = await KumoStart.Gate(resource, services).EnterAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return CommandResults.Canceled();
        }

        using (entered)
        {
            try
            {
                var run = new CommandRun(resource, services, new Uri(resource.PrimaryEndpoint.Url, UriKind.Absolute), notifications, logger, cancellationToken);
                var outcome = await command(run).ConfigureAwait(false);
                LogSucceeded(logger, name, outcome);
                await KumoResourceState.PublishAsync(notifications, resource, [(KumoProperties.LastCommand, $"{name}: {outcome}")]).ConfigureAwait(false);
                return CommandResults.Success();
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return CommandResults.Canceled();
            }
            catch (Exception ex)
            {
                var message = ex is KumoCommandException or KumoSeedFailedException ? ex.Message : $"{ex.GetType().Name}: {ex.Message}";
                LogFailed(logger, ex is KumoCommandException ? null : ex, name, message);
                await KumoResourceState.PublishAsync(notifications, resource, [(KumoProperties.LastCommand, $"{name} failed: {message}")]).ConfigureAwait(false);
                return CommandResults.Failure($"{name} failed: {message}");
            }
        }
    }

    private static async Task<string> ReseedAsync(CommandRun run)
    {
        var state = await KumoStart.CurrentAsync(run.Resource, run.Services, run.CancellationToken).ConfigureAwait(false);
        if (state.Seeds.Count == 0)
        {
            throw new KumoCommandException($"'{run.Resource.Name}' has no seed plan to run. Add one with WithSeed(\"seed/kumo-seed.json\") or WithSeed(plan => ...).");
        }

        return await SeedAsync(run, state).ConfigureAwait(false);
    }

    private static async Task<string> ResetAsync(CommandRun run)
    {
        var state = await KumoStart.CurrentAsync(run.Resource, run.Services, run.CancellationToken).ConfigureAwait(false);
        KumoWipe.Result wiped;
        using (var clients = KumoClients.Create(run.Endpoint))
        {
            wiped = await KumoWipe.WipeAsync(clients, run.CancellationToken).ConfigureAwait(false);
        }

        var deleted = wiped.ToString();
        LogWiped(run.Logger, run.Resource.Name, deleted);
        if (state.Seeds.Count == 0)
        {
            await KumoResourceState.PublishSeedStateAsync(run.Notifications, run.Resource, KumoSeedState.Seeded).ConfigureAwait(false);
            return $"{deleted}; there is no seed plan, so the engine is left empty";
        }

        return $"{deleted}; {await SeedAsync(run, state).ConfigureAwait(false)}";
    }

    private static async Task<string> SeedAsync(CommandRun run, KumoStartState state)
    {
        await KumoResourceState.PublishSeedStateAsync(run.Notifications, run.Resource, KumoSeedState.Seeding).ConfigureAwait(false);
        IReadOnlyList<SeedReport> reports;
        try
        {
            reports = await KumoSeedRun.SeedAsync(run.Resource, state.Seeds, run.Endpoint, run.Notifications, run.Logger, run.CancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            await KumoResourceState.PublishSeedStateAsync(run.Notifications, run.Resource, KumoSeedState.Failed, ex.Message).ConfigureAwait(false);
            throw;
        }

        await KumoResourceState.PublishSeedStateAsync(run.Notifications, run.Resource, KumoSeedState.Seeded).ConfigureAwait(false);
        return $"seeded {reports.Count} plan(s): " + string.Join("; ", reports.Select(KumoSeedRun.Summarize));
    }

    private static async Task<string> SnapshotNowAsync(CommandRun run)
    {
        if (run.Resource is not KumoExecutableResource process)
        {
            throw new KumoCommandException(
                $"'{run.Resource.Name}' is the kumo container, which has no snapshots: a snapshot is built by running the engine as a process on this machine and is only restored into that same engine, " +
                "and the container's kumo cannot be identified with a process here. Use AddKumoEmbedded or AddKumoBinary with WithSnapshot() to start from snapshots.");
        }

        var state = await KumoStart.CurrentAsync(run.Resource, run.Services, run.CancellationToken).ConfigureAwait(false);
        if (state.Seeds.Count == 0)
        {
            throw new KumoCommandException($"'{run.Resource.Name}' has no seed plan to snapshot. Add one with WithSeed(...); a snapshot is the seeded state of its plans.");
        }

        var flushed = process.Engine.Kind == EngineKind.Embedded && await FlushAsync(run).ConfigureAwait(false);

        var storeDirectory = run.Resource.TryGetLastAnnotation<KumoSnapshotAnnotation>(out var configured)
            ? configured.StoreDirectory
            : KumoCommandDirectoriesAnnotation.Of(run.Resource).DefaultSnapshotDirectory;
        var store = new SnapshotStore(storeDirectory, run.Logger);
        var request = await KumoSnapshots.CreateRequestAsync(process, state.Seeds, run.Notifications, run.Logger, run.CancellationToken).ConfigureAwait(false);
        var snapshot = await store.GetOrBuildAsync(request, run.CancellationToken).ConfigureAwait(false);

        var published = snapshot.Built
            ? $"built and published snapshot {snapshot.Key} of the seed plans at '{snapshot.Directory}' ({snapshot.Manifest.Files.Count} file(s), {snapshot.Manifest.TotalBytes} bytes)"
            : $"snapshot {snapshot.Key} of the seed plans is already published at '{snapshot.Directory}' (built {snapshot.Manifest.CreatedUtc:u})";
        return published +
            "; changes made to the running engine since it was seeded are not in it (Kumo.Snapshots publishes only snapshots it builds from a seed plan)" +
            (flushed ? "; the engine's data directory was flushed" : string.Empty);
    }

    private static async Task<string> DumpStateAsync(CommandRun run)
    {
        KumoStateDump dump;
        using (var clients = KumoClients.Create(run.Endpoint, config => config.MaxErrorRetry = 0))
        {
            dump = await KumoStateDump.CaptureAsync(clients, run.CancellationToken).ConfigureAwait(false);
        }

        var objects = dump.Buckets.Sum(b => b.Objects.Count);
        var directory = KumoCommandDirectoriesAnnotation.Of(run.Resource).DumpDirectory;
        Directory.CreateDirectory(directory);
        var file = Path.Combine(directory, $"{run.Resource.Name}-{dump.CapturedAt.UtcDateTime:yyyyMMdd'T'HHmmssfff'Z'}.json");
        await dump.WriteAsync(file, run.CancellationToken).ConfigureAwait(false);
        await KumoResourceState.PublishAsync(run.Notifications, run.Resource, [(KumoProperties.LastDump, file)]).ConfigureAwait(false);
        LogDump(run.Logger, run.Resource.Name, dump.Buckets.Count, objects, dump.Queues.Count, file, dump.ToJson());
        if (dump.Errors.Count > 0)
        {
            throw new KumoCommandException($"the state dump of '{run.Resource.Name}' is partial ({string.Join("; ", dump.Errors)}); what could be read is in '{file}' and the resource log.");
        }

        return $"wrote the state ({dump.Buckets.Count} bucket(s), {objects} object(s), {dump.Queues.Count} queue(s)) to '{file}' and the resource log";
    }

    /// <summary>Asks the embedded engine to write its state to its data directory now (the core's <see cref="KumoEngineClient.FlushAsync"/>).</summary>
    private static async Task<bool> FlushAsync(CommandRun run)
    {
        if (await KumoEngineClient.FlushAsync(run.Endpoint, cancellationToken: run.CancellationToken).ConfigureAwait(false) is { } problem)
        {
            LogFlushFailed(run.Logger, problem);
            return false;
        }

        return true;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "kumo: {Command}: {Outcome}")]
    private static partial void LogSucceeded(ILogger logger, string command, string outcome);

    [LoggerMessage(Level = LogLevel.Error, Message = "kumo: {Command} failed: {Message}")]
    private static partial void LogFailed(ILogger logger, Exception? exception, string command, string message);

    [LoggerMessage(Level = LogLevel.Information, Message = "kumo: reset '{Name}': {Deleted}")]
    private static partial void LogWiped(ILogger logger, string name, string deleted);

    [LoggerMessage(Level = LogLevel.Information, Message = "kumo: state of '{Name}' ({Buckets} bucket(s), {Objects} object(s), {Queues} queue(s)), also in {File}:\n{Json}")]
    private static partial void LogDump(ILogger logger, string name, int buckets, int objects, int queues, string file, string json);

    [LoggerMessage(Level = LogLevel.Warning, Message = "kumo: could not flush the engine's data directory ({Reason}); the snapshot does not depend on it")]
    private static partial void LogFlushFailed(ILogger logger, string reason);

    /// <summary>What a command works with.</summary>
    private sealed record CommandRun(
        IKumoResource Resource,
        IServiceProvider Services,
        Uri Endpoint,
        ResourceNotificationService Notifications,
        ILogger Logger,
        CancellationToken CancellationToken);
}
