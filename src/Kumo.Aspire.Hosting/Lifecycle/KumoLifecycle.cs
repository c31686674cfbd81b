using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Kumo.Aspire.Hosting.Commands;
using Kumo.Aspire.Hosting.Snapshots;
using Kumo.Aspire.Hosting.Starts;

namespace Kumo.Aspire.Hosting.Lifecycle;

/// <summary>
/// The one place that wires Aspire's lifecycle events to the concepts, for every kumo resource whatever runs it: start
/// preparation on <see cref="BeforeResourceStartedEvent"/>, seeding on <see cref="ResourceReadyEvent"/>, and the
/// dashboard commands.
/// </summary>
internal static class KumoLifecycle
{
    /// <summary>Called once by every <c>AddKumo*</c> method.</summary>
    /// <typeparam name="T">The kumo resource type.</typeparam>
    /// <param name="builder">The resource builder.</param>
    /// <returns>The same builder.</returns>
    public static IResourceBuilder<T> Attach<T>(IResourceBuilder<T> builder)
        where T : IKumoResource
    {
        var appHost = builder.ApplicationBuilder;
        KumoStart.AddServices(appHost, builder.Resource);
        builder.WithAnnotation(new KumoCommandDirectoriesAnnotation(KumoSnapshots.DefaultStoreDirectory(appHost), Path.Combine(appHost.AppHostDirectory, "obj", "kumo-dumps")))
               .OnBeforeResourceStarted((resource, @event, cancellationToken) => KumoStart.RunAsync(resource, @event.Services, cancellationToken))
               .OnResourceReady((resource, @event, cancellationToken) => KumoReadiness.RunAsync(resource, @event.Services, cancellationToken));

        return KumoCommands.Add(builder);
    }
}
