using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;

namespace Kumo.Aspire.Hosting.Tests.Utils;

/// <summary>
/// Raises the lifecycle events DCP and Aspire's health monitor raise for a resource, in their order, so the integration's
/// handlers run exactly as in a started AppHost (without DCP, which this machine lacks).
/// </summary>
internal static class SimulatedDcp
{
    /// <summary>Before the process or container is created: <see cref="BeforeResourceStartedEvent"/>.</summary>
    public static Task BeforeStartAsync(IDistributedApplicationBuilder builder, DistributedApplication app, IResource resource) =>
        builder.Eventing.PublishAsync(new BeforeResourceStartedEvent(resource, app.Services), TestContext.Current.CancellationToken);

    /// <summary>The process runs: state <c>Running</c>.</summary>
    public static Task RunningAsync(DistributedApplication app, IResource resource) =>
        app.ResourceNotifications.PublishUpdateAsync(resource, s => s with { State = new ResourceStateSnapshot(KnownResourceStates.Running, KnownResourceStateStyles.Success) });

    /// <summary>The health checks pass: <see cref="ResourceReadyEvent"/>; the task fails when a ready handler fails.</summary>
    public static Task ReadyAsync(IDistributedApplicationBuilder builder, DistributedApplication app, IResource resource) =>
        builder.Eventing.PublishAsync(new ResourceReadyEvent(resource, app.Services), TestContext.Current.CancellationToken);

    /// <summary>A whole start: before-start, running, ready.</summary>
    public static async Task StartAsync(IDistributedApplicationBuilder builder, DistributedApplication app, IResource resource)
    {
        await BeforeStartAsync(builder, app, resource);
        await RunningAsync(app, resource);
        await ReadyAsync(builder, app, resource);
    }
}
