using Aspire.Hosting.ApplicationModel;
using Kumo.Aspire.Hosting;
using Kumo.Aspire.Hosting.Lifecycle;
using Kumo.Contract;

namespace Aspire.Hosting;

/// <summary>
/// Provides extension methods for adding the kumo AWS emulator (S3 and SQS) as a container to the application model.
/// </summary>
/// <remarks>
/// <para>
/// kumo (<see href="https://github.com/sivchari/kumo"/>) emulates AWS APIs on one HTTP port and accepts any
/// credentials. Referencing it with <see cref="KumoReferenceExtensions.WithReference{TDestination}(IResourceBuilder{TDestination}, IResourceBuilder{IKumoResource}, string?)"/>
/// points a service's AWS SDK at it through the standard <c>AWS_*</c> variables.
/// </para>
/// <code lang="csharp">
/// var builder = DistributedApplication.CreateBuilder(args);
///
/// var kumo = builder.AddKumo("kumo")
///                   .WithDataVolume()
///                   .WithLifetime(ContainerLifetime.Persistent);
///
/// builder.AddProject&lt;Projects.OrderService&gt;("orders")
///        .WithReference(kumo)
///        .WaitFor(kumo);
///
/// builder.Build().Run();
/// </code>
/// </remarks>
public static class KumoBuilderExtensions
{
    /// <summary>
    /// Adds a kumo container to the application model.
    /// </summary>
    /// <param name="builder">The <see cref="IDistributedApplicationBuilder"/>.</param>
    /// <param name="name">The name of the resource. This name will be used as the connection string name when referenced in a dependency.</param>
    /// <param name="port">The host port to bind the kumo HTTP endpoint to. If <see langword="null"/> a random port is assigned.</param>
    /// <returns>A reference to the <see cref="IResourceBuilder{T}"/>.</returns>
    /// <remarks>
    /// <para>
    /// The container listens on port 4566 (<c>--host 0.0.0.0 --port 4566</c>) behind an endpoint named <c>http</c>,
    /// and its state lives in memory until <see cref="WithDataVolume"/> or <see cref="WithDataBindMount"/> gives it a
    /// data directory.
    /// </para>
    /// <para>
    /// This resource includes a built-in health check on <c>GET /health</c>. When this resource is referenced as a
    /// dependency using the <see cref="ResourceBuilderExtensions.WaitFor{T}(IResourceBuilder{T}, IResourceBuilder{IResource})"/>
    /// extension method then the dependent resource will wait until kumo is able to service requests and every seed plan
    /// (<see cref="KumoSeedBuilderExtensions"/>) has run.
    /// </para>
    /// <para>
    /// The resource has the dashboard commands <c>reseed</c>, <c>reset</c>, <c>snapshot-now</c> (process engines only)
    /// and <c>dump-state</c>.
    /// </para>
    /// <para>
    /// kumo is a development and test emulator: publishing the application model publishes the emulator container.
    /// </para>
    /// This version of the package defaults to the <inheritdoc cref="KumoContainerImageTags.Tag"/> tag of the <inheritdoc cref="KumoContainerImageTags.Registry"/>/<inheritdoc cref="KumoContainerImageTags.Image"/> container image.
    /// <code lang="csharp">
    /// var kumo = builder.AddKumo("kumo", port: 4566)
    ///                   .WithLogLevel(KumoLogLevel.Debug)
    ///                   .WithSeed("seed/kumo-seed.json");
    /// </code>
    /// </remarks>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="name"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty, or <paramref name="port"/> is not between 1 and 65535.</exception>
    public static IResourceBuilder<KumoResource> AddKumo(this IDistributedApplicationBuilder builder, [ResourceName] string name, int? port = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(name);
        KumoPorts.ThrowIfInvalid(port);

        var kumo = new KumoResource(name);
        var targetPort = kumo.PrimaryEndpoint.Property(EndpointProperty.TargetPort);

        var kumoBuilder = builder.AddResource(kumo)
            .WithHttpEndpoint(port: port, targetPort: KumoResource.DefaultTargetPort, name: KumoResource.PrimaryEndpointName)
            .WithImage(KumoContainerImageTags.Image, KumoContainerImageTags.Tag)
            .WithImageRegistry(KumoContainerImageTags.Registry)
            .WithAnnotation(new EmulatorResourceAnnotation())
            // The image's CMD already says this; repeating it keeps the listen port tied to the endpoint's target port.
            .WithArgs(context =>
            {
                context.Args.Add("--host");
                context.Args.Add("0.0.0.0");
                context.Args.Add("--port");
                context.Args.Add(targetPort);
            })
            .WithHttpHealthCheck(path: KumoDefaults.HealthPath, endpointName: KumoResource.PrimaryEndpointName);

        return KumoLifecycle.Attach(kumoBuilder);
    }

    /// <summary>
    /// Adds a named volume for the data folder to a kumo container resource and turns on kumo's persistence.
    /// </summary>
    /// <param name="builder">The resource builder.</param>
    /// <param name="name">The name of the volume. Defaults to an auto-generated name based on the application and resource names.</param>
    /// <param name="isReadOnly">A flag that indicates if this is a read-only volume. kumo still loads its state from a read-only volume, but every flush fails and is logged, so changes are lost on restart.</param>
    /// <returns>The <see cref="IResourceBuilder{T}"/>.</returns>
    /// <remarks>
    /// <para>
    /// The volume is mounted at <c>/var/lib/kumo</c> and <c>KUMO_DATA_DIR</c> points there: kumo loads
    /// <c>&lt;service&gt;.json</c> from it at start, flushes changed state every second, and saves on a graceful stop.
    /// Multipart uploads, in-flight (received but undeleted) SQS messages and the FIFO de-duplication cache are not persisted.
    /// </para>
    /// <para>
    /// Combined with <see cref="ContainerResourceBuilderExtensions.WithLifetime{T}(IResourceBuilder{T}, ContainerLifetime)"/> and
    /// <see cref="ContainerLifetime.Persistent"/>, the container outlives the AppHost and is reused by the next run, with its data.
    /// </para>
    /// <code lang="csharp">
    /// var kumo = builder.AddKumo("kumo")
    ///                   .WithDataVolume()
    ///                   .WithLifetime(ContainerLifetime.Persistent);
    /// </code>
    /// </remarks>
    public static IResourceBuilder<KumoResource> WithDataVolume(this IResourceBuilder<KumoResource> builder, string? name = null, bool isReadOnly = false)
    {
        ArgumentNullException.ThrowIfNull(builder);

        return builder.WithVolume(name ?? VolumeNameGenerator.Generate(builder, "data"), KumoContainerPaths.DataDirectory, isReadOnly)
                      .WithEnvironment(KumoEnvironment.DataDirectory, KumoContainerPaths.DataDirectory);
    }

    /// <summary>
    /// Adds a bind mount for the data folder to a kumo container resource and turns on kumo's persistence.
    /// </summary>
    /// <param name="builder">The resource builder.</param>
    /// <param name="source">The source directory on the host to mount into the container, absolute or relative to the AppHost directory.</param>
    /// <param name="isReadOnly">A flag that indicates if this is a read-only mount. kumo still loads its state from a read-only mount, but every flush fails and is logged.</param>
    /// <returns>The <see cref="IResourceBuilder{T}"/>.</returns>
    /// <remarks>
    /// The directory is mounted at <c>/var/lib/kumo</c> and <c>KUMO_DATA_DIR</c> points there. kumo writes its files
    /// as root with mode 0600, so reading them from the host may need elevated rights.
    /// <code lang="csharp">
    /// var kumo = builder.AddKumo("kumo")
    ///                   .WithDataBindMount(".kumo/data");
    /// </code>
    /// </remarks>
    /// <exception cref="ArgumentException"><paramref name="source"/> is <see langword="null"/> or empty.</exception>
    public static IResourceBuilder<KumoResource> WithDataBindMount(this IResourceBuilder<KumoResource> builder, string source, bool isReadOnly = false)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(source);

        return builder.WithBindMount(source, KumoContainerPaths.DataDirectory, isReadOnly)
                      .WithEnvironment(KumoEnvironment.DataDirectory, KumoContainerPaths.DataDirectory);
    }
}
