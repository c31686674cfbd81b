using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Kumo.Aspire.Hosting.Seeding;
using Kumo.Aspire.Hosting.Starts;
using Kumo.Aspire.Hosting.State;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Kumo.Aspire.Hosting.Lifecycle;

/// <summary>
/// Seeds a kumo resource when Aspire raises <see cref="ResourceReadyEvent"/> (the engine answers <c>/health</c>), then
/// runs its other ready steps (<see cref="KumoReadyCallbackAnnotation"/>), and reports the outcome in the
/// <see cref="KumoProperties.Seed"/> property.
/// </summary>
/// <remarks>
/// <para>
/// Resources that <c>WaitFor</c> kumo start only after every ready handler finished, and not at all when one throws:
/// a failed seed therefore keeps dependents from ever seeing an unseeded emulator. The failure is also shown as the
/// resource state <c>Seed failed</c> (error style) and in <c>kumo.seed.error</c>.
/// </para>
/// <para>
/// When the engine started on a restored snapshot, the seed plans are skipped: the data directory already holds them.
/// </para>
/// </remarks>
internal static partial class KumoReadiness
{
    /// <summary>Adds a ready step, run after seeding.</summary>
    /// <typeparam name="T">The kumo resource type.</typeparam>
    /// <param name="builder">The resource builder.</param>
    /// <param name="name">What the step is, for logs and errors.</param>
    /// <param name="callback">The step.</param>
    /// <returns>The same builder.</returns>
    public static IResourceBuilder<T> AddReadyCallback<T>(IResourceBuilder<T> builder, string name, Func<KumoReadyContext, CancellationToken, Task> callback)
        where T : IKumoResource
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(callback);

        return builder.WithAnnotation(new KumoReadyCallbackAnnotation(name, callback), ResourceAnnotationMutationBehavior.Append);
    }

    /// <summary>Seeds (unless restored), runs every ready step in order, and publishes the outcome.</summary>
    /// <param name="resource">The kumo resource.</param>
    /// <param name="services">The AppHost's services.</param>
    /// <param name="cancellationToken">Stops the steps.</param>
    /// <returns>A task that fails with the first failure.</returns>
    public static async Task RunAsync(IKumoResource resource, IServiceProvider services, CancellationToken cancellationToken)
    {
        var notifications = services.GetRequiredService<ResourceNotificationService>();
        var logger = services.GetRequiredService<ResourceLoggerService>().GetLogger(resource);
        var steps = resource.Annotations.OfType<KumoReadyCallbackAnnotation>().ToArray();

        using (await KumoStart.Gate(resource, services).EnterAsync(cancellationToken).ConfigureAwait(false))
        {
            var current = "resolving the endpoint and the seed plans";
            KumoStartState? state = null;
            try
            {
                var endpoint = new Uri(resource.PrimaryEndpoint.Url, UriKind.Absolute);
                state = await KumoStart.CurrentAsync(resource, services, cancellationToken).ConfigureAwait(false);
                if (state.RestoredSnapshot is { } restored)
                {
                    LogRestored(logger, restored);
                }
                else
                {
                    current = "seeding";
                    await KumoResourceState.PublishSeedStateAsync(notifications, resource, KumoSeedState.Seeding).ConfigureAwait(false);
                    await KumoSeedRun.SeedAsync(resource, state.Seeds, endpoint, notifications, logger, cancellationToken).ConfigureAwait(false);
                }

                var context = new KumoReadyContext
                {
                    Resource = resource,
                    Endpoint = endpoint,
                    Services = services,
                    Logger = logger,
                };

                foreach (var step in steps)
                {
                    current = step.Name;
                    LogStep(logger, step.Name, endpoint);
                    await step.Callback(context, cancellationToken).ConfigureAwait(false);
                }
            }
            catch (Exception ex)
            {
                var message = ex is KumoSeedFailedException ? ex.Message : $"{current} failed: {ex.Message}";
                LogFailed(logger, ex, resource.Name, message);
                await KumoResourceState.PublishSeedStateAsync(notifications, resource, KumoSeedState.Failed, message).ConfigureAwait(false);
                throw;
            }

            var outcome = state.RestoredSnapshot is null ? KumoSeedState.Seeded : KumoSeedState.Restored;
            LogReady(logger, outcome, state.Seeds.Count, steps.Length);
            await KumoResourceState.PublishSeedStateAsync(notifications, resource, outcome).ConfigureAwait(false);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "kumo: running {Step} against {Endpoint}")]
    private static partial void LogStep(ILogger logger, string step, Uri endpoint);

    [LoggerMessage(Level = LogLevel.Information, Message = "kumo: the engine runs on snapshot {Key}; the seed plans are already in its data directory")]
    private static partial void LogRestored(ILogger logger, string key);

    [LoggerMessage(Level = LogLevel.Error, Message = "kumo: '{Name}' is not ready and resources that wait for it will not start: {Message}")]
    private static partial void LogFailed(ILogger logger, Exception exception, string name, string message);

    [LoggerMessage(Level = LogLevel.Information, Message = "kumo: ready ({Outcome}; {Seeds} seed plan(s), {Steps} ready step(s))")]
    private static partial void LogReady(ILogger logger, string outcome, int seeds, int steps);
}
