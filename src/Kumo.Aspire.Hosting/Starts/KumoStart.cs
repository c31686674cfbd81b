using Aspire.Hosting.ApplicationModel;
using Kumo.Aspire.Hosting.Seeding;
using Kumo.Aspire.Hosting.Snapshots;
using Kumo.Aspire.Hosting.State;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Kumo.Aspire.Hosting.Starts;

/// <summary>
/// Prepares each start of a kumo resource (Aspire's <see cref="BeforeResourceStartedEvent"/>, raised on the first start
/// and on every restart): resets the seed state, resolves the seed plans for the run, and — with <c>WithSnapshot</c> on
/// a process engine — restores the snapshot of the seeded state into a new data directory.
/// </summary>
internal static partial class KumoStart
{
    /// <summary>Runs before the resource's process or container is created; a failure keeps it from starting.</summary>
    /// <param name="resource">The kumo resource.</param>
    /// <param name="services">The AppHost's services.</param>
    /// <param name="cancellationToken">Cancels the preparation.</param>
    /// <returns>A task that completes when the resource may start.</returns>
    public static async Task RunAsync(IKumoResource resource, IServiceProvider services, CancellationToken cancellationToken)
    {
        var runtime = Runtime(resource);
        var notifications = services.GetRequiredService<ResourceNotificationService>();
        var logger = services.GetRequiredService<ResourceLoggerService>().GetLogger(resource);
        var previousDataDirectory = runtime.Current?.Restored?.DataDirectory.Path;

        await runtime.Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            runtime.Current = null;
            await KumoResourceState.PublishNewStartAsync(notifications, resource).ConfigureAwait(false);

            runtime.Current = await PrepareAsync(resource, services, notifications, logger, restoreSnapshot: true, previousDataDirectory, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogStartFailed(logger, ex, ex.Message);
            await KumoResourceState.PublishSeedStateAsync(notifications, resource, KumoSeedState.Failed, ex.Message).ConfigureAwait(false);
            throw;
        }
        finally
        {
            runtime.Gate.Release();
        }
    }

    /// <summary>
    /// Returns the state prepared before the current start, or prepares it now (without a snapshot, since the engine is
    /// already running) when the resource became ready without <see cref="RunAsync"/>.
    /// </summary>
    /// <param name="resource">The kumo resource.</param>
    /// <param name="services">The AppHost's services.</param>
    /// <param name="cancellationToken">Cancels the preparation.</param>
    /// <returns>The state.</returns>
    public static async Task<KumoStartState> CurrentAsync(IKumoResource resource, IServiceProvider services, CancellationToken cancellationToken)
    {
        var runtime = Runtime(resource);
        if (runtime.Current is { } current)
        {
            return current;
        }

        var notifications = services.GetRequiredService<ResourceNotificationService>();
        var logger = services.GetRequiredService<ResourceLoggerService>().GetLogger(resource);
        return runtime.Current = await PrepareAsync(resource, services, notifications, logger, restoreSnapshot: false, previousDataDirectory: null, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Gets the runtime annotation every <c>AddKumo*</c> method adds.</summary>
    /// <param name="resource">The kumo resource.</param>
    /// <returns>The annotation.</returns>
    public static KumoRuntimeAnnotation Runtime(IResource resource) =>
        resource.TryGetLastAnnotation<KumoRuntimeAnnotation>(out var runtime)
            ? runtime
            : throw new InvalidOperationException($"The resource '{resource.Name}' was not created by AddKumo, AddKumoEmbedded or AddKumoBinary.");

    private static async Task<KumoStartState> PrepareAsync(
        IKumoResource resource,
        IServiceProvider services,
        ResourceNotificationService notifications,
        ILogger logger,
        bool restoreSnapshot,
        string? previousDataDirectory,
        CancellationToken cancellationToken)
    {
        var runContext = KumoAppRunContext.For(resource, services);
        var seeds = resource.Annotations.OfType<KumoSeedAnnotation>()
            .Select(source => new KumoPlannedSeed(source, source.Plan.Resolve(runContext.ToSeedContext())))
            .ToArray();

        await KumoResourceState.PublishAsync(notifications, resource,
        [
            (KumoProperties.RunId, runContext.RunId),
            (KumoProperties.WorkerId, runContext.WorkerId),
        ]).ConfigureAwait(false);

        if (!resource.TryGetLastAnnotation<KumoSnapshotAnnotation>(out var snapshot) || !restoreSnapshot)
        {
            return new KumoStartState(runContext, seeds, Restored: null);
        }

        if (resource is not KumoExecutableResource executable)
        {
            LogContainerSnapshot(logger, resource.Name);
            await KumoResourceState.PublishAsync(notifications, resource, [(KumoProperties.Snapshot, "not used: the kumo container seeds normally (snapshots need AddKumoEmbedded or AddKumoBinary)")]).ConfigureAwait(false);
            return new KumoStartState(runContext, seeds, Restored: null);
        }

        if (seeds.Length == 0)
        {
            LogNoSeed(logger, resource.Name);
            await KumoResourceState.PublishAsync(notifications, resource, [(KumoProperties.Snapshot, "not used: no seed plan (add one with WithSeed)")]).ConfigureAwait(false);
            return new KumoStartState(runContext, seeds, Restored: null);
        }

        await KumoResourceState.PublishAsync(notifications, resource, [(KumoProperties.Seed, KumoSeedState.Restoring)]).ConfigureAwait(false);
        var restored = await KumoSnapshots.RestoreAsync(executable, snapshot.StoreDirectory, previousDataDirectory, seeds, runContext, notifications, logger, cancellationToken).ConfigureAwait(false);
        await KumoResourceState.PublishAsync(notifications, resource,
        [
            (KumoProperties.Seed, KumoSeedState.Pending),
            (KumoProperties.Snapshot, restored.Snapshot.Key),
        ]).ConfigureAwait(false);
        return new KumoStartState(runContext, seeds, restored);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "kumo: the resource cannot start: {Message}")]
    private static partial void LogStartFailed(ILogger logger, Exception exception, string message);

    [LoggerMessage(Level = LogLevel.Warning, Message = "kumo: WithSnapshot is not used for the kumo container '{Name}', which is seeded normally instead. " +
        "A snapshot is built by running the engine as a process on this machine and is only ever restored into the same engine (name and version); " +
        "the container's kumo cannot be proven to be the same build as a kumo binary here (kumo 0.32.0 has no --version), and restoring across engines is never done. " +
        "Use AddKumoEmbedded or AddKumoBinary to start from a snapshot.")]
    private static partial void LogContainerSnapshot(ILogger logger, string name);

    [LoggerMessage(Level = LogLevel.Warning, Message = "kumo: WithSnapshot is not used for '{Name}': it has no seed plan to snapshot. Add one with WithSeed.")]
    private static partial void LogNoSeed(ILogger logger, string name);
}
