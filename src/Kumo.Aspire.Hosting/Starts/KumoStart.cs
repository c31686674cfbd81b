using Aspire.Hosting;
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
/// <remarks>
/// What a start decides is published in the resource snapshot (<see cref="KumoProperties"/>) and read back from
/// <see cref="ResourceNotificationService"/>; only the resolved seed plans, an object graph, are kept aside, in
/// <see cref="KumoStartSeeds"/>, tagged with the start's generation.
/// </remarks>
internal static partial class KumoStart
{
    /// <summary>Registers what the starts of a resource share in the AppHost's services: its gate and its resolved seed plans.</summary>
    /// <param name="appHost">The application builder.</param>
    /// <param name="resource">The kumo resource.</param>
    public static void AddServices(IDistributedApplicationBuilder appHost, IResource resource)
    {
        appHost.Services.AddKeyedSingleton<KumoResourceGate>(resource.Name);
        appHost.Services.AddKeyedSingleton<KumoStartSeeds>(resource.Name);
    }

    /// <summary>Gets the gate that lets one start preparation, seed run or command of the resource run at a time.</summary>
    /// <param name="resource">The kumo resource.</param>
    /// <param name="services">The AppHost's services.</param>
    /// <returns>The gate.</returns>
    public static KumoResourceGate Gate(IResource resource, IServiceProvider services) => Service<KumoResourceGate>(resource, services);

    /// <summary>Runs before the resource's process or container is created; a failure keeps it from starting.</summary>
    /// <param name="resource">The kumo resource.</param>
    /// <param name="services">The AppHost's services.</param>
    /// <param name="cancellationToken">Cancels the preparation.</param>
    /// <returns>A task that completes when the resource may start.</returns>
    public static async Task RunAsync(IKumoResource resource, IServiceProvider services, CancellationToken cancellationToken)
    {
        var notifications = services.GetRequiredService<ResourceNotificationService>();
        var logger = services.GetRequiredService<ResourceLoggerService>().GetLogger(resource);
        var startSeeds = Service<KumoStartSeeds>(resource, services);

        using (await Gate(resource, services).EnterAsync(cancellationToken).ConfigureAwait(false))
        {
            try
            {
                var previousDataDirectory = RestoredDataDirectory(resource, services);
                var generation = await KumoResourceState.PublishNewStartAsync(notifications, resource).ConfigureAwait(false);

                var seeds = await PrepareAsync(resource, services, notifications, logger, restoreSnapshot: true, previousDataDirectory, cancellationToken).ConfigureAwait(false);
                startSeeds.Set(generation, seeds);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                LogStartFailed(logger, ex, ex.Message);
                await KumoResourceState.PublishSeedStateAsync(notifications, resource, KumoSeedState.Failed, ex.Message).ConfigureAwait(false);
                throw;
            }
        }
    }

    /// <summary>
    /// Reads back what the current start prepared: the restored snapshot from the resource snapshot, the seed plans
    /// resolved for the generation it shows — or resolves them now (without a snapshot, since the engine is already
    /// running) when the resource became ready without <see cref="RunAsync"/>. Call it inside <see cref="Gate"/>.
    /// </summary>
    /// <param name="resource">The kumo resource.</param>
    /// <param name="services">The AppHost's services.</param>
    /// <param name="cancellationToken">Cancels the preparation.</param>
    /// <returns>The state.</returns>
    public static async Task<KumoStartState> CurrentAsync(IKumoResource resource, IServiceProvider services, CancellationToken cancellationToken)
    {
        var notifications = services.GetRequiredService<ResourceNotificationService>();
        var startSeeds = Service<KumoStartSeeds>(resource, services);
        var snapshot = KumoResourceState.Current(notifications, resource);
        var generation = snapshot is null ? 0 : KumoResourceState.StartGeneration(snapshot);
        var restored = snapshot is not null && KumoResourceState.Property(snapshot, KumoProperties.SnapshotDataDirectory) is not null
            ? KumoResourceState.Property(snapshot, KumoProperties.Snapshot)
            : null;

        if (startSeeds.Of(generation) is not { } seeds)
        {
            var logger = services.GetRequiredService<ResourceLoggerService>().GetLogger(resource);
            seeds = await PrepareAsync(resource, services, notifications, logger, restoreSnapshot: false, previousDataDirectory: null, cancellationToken).ConfigureAwait(false);
            startSeeds.Set(generation, seeds);
        }

        return new KumoStartState(seeds, restored);
    }

    /// <summary>The data directory the current start restored a snapshot into, from the resource snapshot; null when it restored none.</summary>
    /// <param name="resource">The kumo resource.</param>
    /// <param name="services">The AppHost's services.</param>
    /// <returns>The full path.</returns>
    public static string? RestoredDataDirectory(IResource resource, IServiceProvider services) =>
        KumoResourceState.CurrentProperty(services.GetRequiredService<ResourceNotificationService>(), resource, KumoProperties.SnapshotDataDirectory);

    /// <summary>The error for a resource that no <c>AddKumo*</c> method created (so it has none of their annotations and services).</summary>
    /// <param name="resource">The resource.</param>
    /// <returns>The exception to throw.</returns>
    public static InvalidOperationException NotAKumoResource(IResource resource) =>
        new($"The resource '{resource.Name}' was not created by AddKumo, AddKumoEmbedded or AddKumoBinary.");

    private static T Service<T>(IResource resource, IServiceProvider services)
        where T : notnull =>
        services.GetKeyedService<T>(resource.Name) ?? throw NotAKumoResource(resource);

    private static async Task<IReadOnlyList<KumoPlannedSeed>> PrepareAsync(
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
            return seeds;
        }

        if (resource is not KumoExecutableResource executable)
        {
            LogContainerSnapshot(logger, resource.Name);
            await KumoResourceState.PublishAsync(notifications, resource, [(KumoProperties.Snapshot, "not used: the kumo container seeds normally (snapshots need AddKumoEmbedded or AddKumoBinary)")]).ConfigureAwait(false);
            return seeds;
        }

        if (seeds.Length == 0)
        {
            LogNoSeed(logger, resource.Name);
            await KumoResourceState.PublishAsync(notifications, resource, [(KumoProperties.Snapshot, "not used: no seed plan (add one with WithSeed)")]).ConfigureAwait(false);
            return seeds;
        }

        await KumoResourceState.PublishAsync(notifications, resource, [(KumoProperties.Seed, KumoSeedState.Restoring)]).ConfigureAwait(false);
        var restored = await KumoSnapshots.RestoreAsync(executable, snapshot.StoreDirectory, previousDataDirectory, seeds, runContext, notifications, logger, cancellationToken).ConfigureAwait(false);
        await KumoResourceState.PublishAsync(notifications, resource,
        [
            (KumoProperties.Seed, KumoSeedState.Pending),
            (KumoProperties.Snapshot, restored.Snapshot.Key),
            (KumoProperties.SnapshotDataDirectory, restored.DataDirectory.Path),
            (KumoProperties.SnapshotManifest, restored.Snapshot.ManifestPath),
        ]).ConfigureAwait(false);
        return seeds;
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
