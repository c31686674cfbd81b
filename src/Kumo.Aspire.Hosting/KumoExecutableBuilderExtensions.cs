using Aspire.Hosting.ApplicationModel;
using Kumo.Aspire.Hosting.Starts;
using Kumo.Aspire.Hosting;
using Kumo.Aspire.Hosting.Engines;
using Kumo.Aspire.Hosting.Lifecycle;
using Kumo.Contract;
using Kumo.Engines;

namespace Aspire.Hosting;

/// <summary>
/// Provides extension methods for running a kumo-compatible AWS emulator as a local process, without a container runtime.
/// </summary>
/// <remarks>
/// <para>
/// Running without Docker is an explicit choice: <see cref="AddKumoEmbedded"/> runs the embedded engine
/// (<c>kumo-embedded</c>, a .NET reimplementation of kumo's S3 and SQS), <see cref="AddKumoBinary"/> runs the kumo
/// binary itself. Both return a <see cref="KumoExecutableResource"/> with the same <c>http</c> endpoint,
/// <c>/health</c> check, connection string and wiring as <see cref="KumoBuilderExtensions.AddKumo"/>.
/// </para>
/// <para>
/// The process listens on 127.0.0.1 and a port Aspire allocates (passed as <c>KUMO_PORT</c>); its state is in memory
/// unless <see cref="WithDataDirectory"/> or <c>WithSnapshot</c> sets <c>KUMO_DATA_DIR</c>. <c>KUMO_DATA_DIR</c> and
/// <c>KUMO_INIT_DIR</c> are always set (empty when unused), so values inherited from the AppHost's own environment never
/// leak in.
/// </para>
/// <para>
/// The engine is found and identified by the core's <see cref="EngineDefinition"/> when the model is built (run mode):
/// a missing or broken engine stops the AppHost at once with an error that says how to provide one.
/// </para>
/// <code lang="csharp">
/// var builder = DistributedApplication.CreateBuilder(args);
///
/// // the engine the Kumo.Embedded package copies beside the AppHost, or KUMO_EMBEDDED_PATH
/// var kumo = builder.AddKumoEmbedded("kumo")
///                   .WithSeed("seed/kumo-seed.json");
///
/// builder.AddProject&lt;Projects.OrderService&gt;("orders")
///        .WithReference(kumo)
///        .WaitFor(kumo);
/// </code>
/// </remarks>
public static class KumoExecutableBuilderExtensions
{
    /// <summary>
    /// Adds the embedded kumo-compatible engine (<c>kumo-embedded</c>) to the application model as a local process.
    /// </summary>
    /// <param name="builder">The <see cref="IDistributedApplicationBuilder"/>.</param>
    /// <param name="name">The name of the resource. This name will be used as the connection string name when referenced in a dependency.</param>
    /// <param name="enginePath">
    /// The engine to run: <c>kumo-embedded.dll</c> (run with <c>dotnet</c>; its <c>.runtimeconfig.json</c> must sit beside it),
    /// a Native AOT <c>kumo-embedded</c> binary, or a directory holding either, absolute or relative to the AppHost directory.
    /// If <see langword="null"/>, the <c>KUMO_EMBEDDED_PATH</c> configuration value (an environment variable,
    /// <c>appsettings.json</c> or a command-line argument) is used, and without one the engine copied next to the AppHost
    /// by the <c>Kumo.Embedded</c> package, which this package depends on — see <see cref="EngineDefinition.Embedded()"/>.
    /// </param>
    /// <param name="port">The host port to bind the HTTP endpoint to. If <see langword="null"/> a random port is assigned.</param>
    /// <returns>A reference to the <see cref="IResourceBuilder{T}"/>.</returns>
    /// <remarks>
    /// <para>
    /// Build the engine with <c>dotnet build src/Kumo.Embedded</c> (then point at <c>bin/Debug/net10.0/kumo-embedded.dll</c>)
    /// or publish it with <c>dotnet publish src/Kumo.Embedded -c Release -p:PublishAot=true</c>. In run mode the engine is
    /// probed once with <c>--version</c>; its name and version identify the snapshots it makes.
    /// </para>
    /// <code lang="csharp">
    /// var kumo = builder.AddKumoEmbedded("kumo", enginePath: "../../src/Kumo.Embedded/bin/Debug/net10.0/kumo-embedded.dll")
    ///                   .WithDataDirectory(".kumo/data");
    /// </code>
    /// </remarks>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="name"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="name"/> or <paramref name="enginePath"/> is empty, or <paramref name="port"/> is not between 1 and 65535.</exception>
    /// <exception cref="DistributedApplicationException">In run mode, no engine was found where it was looked for, or it did not answer <c>--version</c>.</exception>
    public static IResourceBuilder<KumoExecutableResource> AddKumoEmbedded(this IDistributedApplicationBuilder builder, [ResourceName] string name, string? enginePath = null, int? port = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (enginePath is not null)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(enginePath);
        }

        KumoPorts.ThrowIfInvalid(port);

        var engine = Resolve(builder, name, EngineKind.Embedded, enginePath, EngineDefinition.EmbeddedPathVariable, EngineDefinition.Embedded, EngineDefinition.Embedded);
        return AddKumoProcess(builder, name, engine, port);
    }

    /// <summary>
    /// Adds the kumo binary to the application model as a local process.
    /// </summary>
    /// <param name="builder">The <see cref="IDistributedApplicationBuilder"/>.</param>
    /// <param name="name">The name of the resource. This name will be used as the connection string name when referenced in a dependency.</param>
    /// <param name="path">
    /// The kumo executable, absolute or relative to the AppHost directory. If <see langword="null"/>, the <c>KUMO_BINARY</c>
    /// configuration value is used, and without one, <c>kumo</c> on <c>PATH</c> — see <see cref="EngineDefinition.KumoBinary()"/>.
    /// </param>
    /// <param name="port">The host port to bind the HTTP endpoint to. If <see langword="null"/> a random port is assigned.</param>
    /// <returns>A reference to the <see cref="IResourceBuilder{T}"/>.</returns>
    /// <remarks>
    /// Releases are published as <c>kumo_&lt;version&gt;_&lt;os&gt;_&lt;arch&gt;.tar.gz</c> at
    /// <see href="https://github.com/sivchari/kumo/releases"/>. kumo 0.32.0 has no <c>--version</c> flag, so the binary is
    /// identified (for snapshots) by a hash of its bytes.
    /// <code lang="csharp">
    /// var kumo = builder.AddKumoBinary("kumo", path: "/usr/local/bin/kumo");
    /// </code>
    /// </remarks>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="name"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="name"/> or <paramref name="path"/> is empty, or <paramref name="port"/> is not between 1 and 65535.</exception>
    /// <exception cref="DistributedApplicationException">In run mode, no kumo executable was found where it was looked for.</exception>
    public static IResourceBuilder<KumoExecutableResource> AddKumoBinary(this IDistributedApplicationBuilder builder, [ResourceName] string name, string? path = null, int? port = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (path is not null)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(path);
        }

        KumoPorts.ThrowIfInvalid(port);

        var engine = Resolve(builder, name, EngineKind.KumoBinary, path, EngineDefinition.KumoBinaryVariable, EngineDefinition.KumoBinary, EngineDefinition.KumoBinary);
        return AddKumoProcess(builder, name, engine, port);
    }

    /// <summary>
    /// Gives a kumo process a data directory on the host and turns on its persistence.
    /// </summary>
    /// <param name="builder">The resource builder.</param>
    /// <param name="path">The directory, absolute or relative to the AppHost directory. The engine creates it if needed.</param>
    /// <returns>The <see cref="IResourceBuilder{T}"/>.</returns>
    /// <remarks>
    /// <c>KUMO_DATA_DIR</c> points at the directory: the engine loads its state from it at start, flushes changes every
    /// second, and saves on a graceful stop, so the data survives AppHost restarts. Each engine has its own file format;
    /// do not share one directory between the embedded engine and the kumo binary. <c>WithSnapshot</c> replaces this
    /// directory with a per-run copy of the snapshot.
    /// <code lang="csharp">
    /// var kumo = builder.AddKumoEmbedded("kumo")
    ///                   .WithDataDirectory(".kumo/data");
    /// </code>
    /// </remarks>
    /// <exception cref="ArgumentException"><paramref name="path"/> is <see langword="null"/> or empty.</exception>
    public static IResourceBuilder<KumoExecutableResource> WithDataDirectory(this IResourceBuilder<KumoExecutableResource> builder, string path)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(path);

        var fullPath = Path.GetFullPath(path, builder.ApplicationBuilder.AppHostDirectory);
        return builder.WithAnnotation(new KumoDataDirectoryAnnotation(fullPath), ResourceAnnotationMutationBehavior.Replace);
    }

    private static IResourceBuilder<KumoExecutableResource> AddKumoProcess(IDistributedApplicationBuilder builder, string name, EngineDefinition engine, int? port)
    {
        var resource = new KumoExecutableResource(name, engine, builder.AppHostDirectory);

        var kumoBuilder = builder.AddResource(resource)
            .WithArgs([.. KumoEngineCommand.ArgumentsOf(engine)])
            // No target port: DCP picks a free one and passes it as KUMO_PORT; the proxy serves the host port.
            .WithHttpEndpoint(port: port, name: KumoResource.PrimaryEndpointName, env: KumoEnvironment.Port)
            .WithEnvironment(KumoEnvironment.Host, KumoDefaults.LoopbackHost)
            .WithEnvironment(context => context.EnvironmentVariables[KumoEnvironment.DataDirectory] = DataDirectoryOf(resource, context.ExecutionContext))
            .WithEnvironment(KumoEnvironment.InitDirectory, string.Empty)
            .WithAnnotation(new EmulatorResourceAnnotation())
            .WithHttpHealthCheck(path: KumoDefaults.HealthPath, endpointName: KumoResource.PrimaryEndpointName);

        return KumoLifecycle.Attach(kumoBuilder);
    }

    /// <summary>
    /// The data directory the current start restored a snapshot into (<see cref="Kumo.Aspire.Hosting.State.KumoProperties.SnapshotDataDirectory"/> in the
    /// resource snapshot), else <see cref="WithDataDirectory"/>, else none (memory only).
    /// </summary>
    private static string DataDirectoryOf(KumoExecutableResource resource, DistributedApplicationExecutionContext execution)
    {
        if (execution.IsRunMode && KumoStart.RestoredDataDirectory(resource, execution.Services) is { } restored)
        {
            return restored;
        }

        return resource.TryGetLastAnnotation<KumoDataDirectoryAnnotation>(out var configured) ? configured.Path : string.Empty;
    }

    private static EngineDefinition Resolve(
        IDistributedApplicationBuilder builder,
        string name,
        EngineKind kind,
        string? explicitPath,
        string configurationKey,
        Func<string, EngineDefinition> fromPath,
        Func<EngineDefinition> discover)
    {
        if (builder.ExecutionContext.IsPublishMode)
        {
            return KumoEngineCommand.ForPublishing(kind);
        }

        var configured = explicitPath ?? NonEmpty(builder.Configuration[configurationKey]);
        var source = explicitPath is not null ? "from the path argument" : configured is not null ? $"from the {configurationKey} configuration value" : "found by discovery";
        try
        {
            return configured is null ? discover() : fromPath(Path.GetFullPath(configured, builder.AppHostDirectory));
        }
        catch (EngineNotFoundException ex)
        {
            var fix = kind == EngineKind.Embedded
                ? $"Pass enginePath to AddKumoEmbedded, set {configurationKey} (environment variable, appsettings.json or command line), or rebuild the AppHost with the Kumo.Embedded package (Kumo.Aspire.Hosting depends on it; its build targets copy the engine into the '{EngineDefinition.EmbeddedFolderName}' folder beside the AppHost)."
                : $"Pass path to AddKumoBinary, set {configurationKey}, or put kumo on PATH (releases: https://github.com/sivchari/kumo/releases, kumo_<version>_<os>_<arch>.tar.gz).";
            throw new DistributedApplicationException($"The kumo resource '{name}' has no engine to run ({source}): {ex.Message} {fix}", ex);
        }
    }

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
