using Aspire.Hosting.ApplicationModel;
using Kumo.Aspire.Hosting;
using Kumo.Contract;
using Kumo.Engines;

namespace Aspire.Hosting;

/// <summary>
/// Provides extension methods that configure any kumo resource, container or process.
/// </summary>
/// <remarks>
/// <code lang="csharp">
/// var kumo = builder.AddKumo("kumo")
///                   .WithLogLevel(KumoLogLevel.Warn)
///                   .WithInitFiles("./kumo-init");
/// </code>
/// </remarks>
public static class KumoResourceBuilderExtensions
{
    /// <summary>
    /// Sets the engine's log verbosity (<c>KUMO_LOG_LEVEL</c>).
    /// </summary>
    /// <remarks>
    /// The level is the contract's <see cref="KumoLogLevel"/> (namespace <c>Kumo.Contract</c>), the same type that
    /// <c>EngineStartOptions.LogLevel</c> and <c>KumoEngineOptions.LogLevel</c> take, so there is one log-level type for
    /// every way an engine runs.
    /// </remarks>
    /// <typeparam name="T">The kumo resource type.</typeparam>
    /// <param name="builder">The resource builder.</param>
    /// <param name="level">The verbosity.</param>
    /// <returns>The <see cref="IResourceBuilder{T}"/>.</returns>
    /// <example>
    /// <code lang="csharp">
    /// var kumo = builder.AddKumo("kumo")
    ///                   .WithLogLevel(KumoLogLevel.Debug);
    /// </code>
    /// </example>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="level"/> is not a defined <see cref="KumoLogLevel"/>.</exception>
    public static IResourceBuilder<T> WithLogLevel<T>(this IResourceBuilder<T> builder, KumoLogLevel level)
        where T : IKumoResource
    {
        ArgumentNullException.ThrowIfNull(builder);

        return builder.WithEnvironment(KumoEnvironment.LogLevel, KumoLogLevels.ToVariableValue(level));
    }

    /// <summary>
    /// Runs the shell scripts in a host directory every time the engine starts (<c>KUMO_INIT_DIR</c>).
    /// </summary>
    /// <typeparam name="T">The kumo resource type.</typeparam>
    /// <param name="builder">The resource builder.</param>
    /// <param name="source">A directory of <c>*.sh</c> scripts, absolute or relative to the AppHost directory.</param>
    /// <returns>The <see cref="IResourceBuilder{T}"/>.</returns>
    /// <remarks>
    /// <para>
    /// The engine runs the top-level <c>*.sh</c> files in name order with <c>sh</c>, after its listener is up; a failing
    /// script is logged and skipped. Scripts run on every start, so they must be idempotent. <c>/health</c> answers
    /// before they finish: prefer the seeding API for data that dependents wait for.
    /// </para>
    /// <para>
    /// A container gets a copy of the directory at <c>/etc/kumo/init.d</c> (in publish mode, a read-only bind mount);
    /// the kumo image has <c>sh</c> and <c>wget</c> but no <c>curl</c> or AWS CLI. A process engine reads the host
    /// directory directly.
    /// </para>
    /// <code lang="csharp">
    /// var kumo = builder.AddKumo("kumo")
    ///                   .WithInitFiles("./kumo-init");
    /// </code>
    /// </remarks>
    /// <exception cref="ArgumentException"><paramref name="source"/> is empty or is not an existing directory.</exception>
    public static IResourceBuilder<T> WithInitFiles<T>(this IResourceBuilder<T> builder, string source)
        where T : IKumoResource
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(source);

        var fullPath = Path.GetFullPath(source, builder.ApplicationBuilder.AppHostDirectory);
        if (!Directory.Exists(fullPath))
        {
            throw new ArgumentException(
                $"The kumo init directory '{fullPath}' (from '{source}', relative to the AppHost directory '{builder.ApplicationBuilder.AppHostDirectory}') does not exist. " +
                "Create it and put the *.sh scripts kumo should run at start in it.",
                nameof(source));
        }

        if (builder.Resource is ContainerResource container)
        {
            builder.ApplicationBuilder.CreateResourceBuilder(container)
                   .WithContainerFiles(KumoContainerPaths.InitDirectory, fullPath);
            return builder.WithEnvironment(KumoEnvironment.InitDirectory, KumoContainerPaths.InitDirectory);
        }

        return builder.WithEnvironment(KumoEnvironment.InitDirectory, fullPath);
    }

    /// <summary>
    /// Sets the host port of the kumo HTTP endpoint.
    /// </summary>
    /// <typeparam name="T">The kumo resource type.</typeparam>
    /// <param name="builder">The resource builder.</param>
    /// <param name="port">The port to bind on the host. If <see langword="null"/> a random port is assigned.</param>
    /// <returns>The <see cref="IResourceBuilder{T}"/>.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="port"/> is not between 1 and 65535.</exception>
    public static IResourceBuilder<T> WithHostPort<T>(this IResourceBuilder<T> builder, int? port)
        where T : IKumoResource
    {
        ArgumentNullException.ThrowIfNull(builder);
        KumoPorts.ThrowIfInvalid(port);

        return builder.WithEndpoint(KumoResource.PrimaryEndpointName, endpoint =>
        {
            endpoint.Port = port;
        });
    }
}
