using Kumo.Aspire.Hosting;
using Kumo.Aspire.Hosting.Engines;
using Kumo.Engines;

namespace Aspire.Hosting.ApplicationModel;

/// <summary>
/// A resource that represents a kumo-compatible AWS emulator (S3 and SQS) running as a local process
/// instead of a container: the embedded engine (<c>kumo-embedded</c>) or the kumo binary.
/// </summary>
/// <remarks>
/// <para>
/// Use it where no container runtime is available (CI runners without Docker, locked-down laptops). It
/// has the same <c>http</c> endpoint, <c>/health</c> check, connection string and wiring as
/// <see cref="KumoResource"/>; the data directory is a host directory instead of a volume.
/// </para>
/// <para>
/// <see cref="Engine"/> is the engine's identity (kind, name and version, probed once with <c>--version</c>); snapshots
/// taken with <c>WithSnapshot</c> are keyed by it and are only ever restored into the same engine.
/// </para>
/// <code lang="csharp">
/// var builder = DistributedApplication.CreateBuilder(args);
///
/// var kumo = builder.AddKumoEmbedded("kumo")
///                   .WithSeed("seed/kumo-seed.json")
///                   .WithSnapshot();
///
/// builder.AddProject&lt;Projects.OrderService&gt;("orders")
///        .WithReference(kumo)
///        .WaitFor(kumo);
/// </code>
/// </remarks>
public class KumoExecutableResource : ExecutableResource, IKumoResource
{
    private EndpointReference? _primaryEndpoint;

    /// <summary>
    /// Initializes a new instance of the <see cref="KumoExecutableResource"/> class.
    /// </summary>
    /// <param name="name">The name of the resource.</param>
    /// <param name="engine">The engine the process runs; its file name is the command and its arguments come first.</param>
    /// <param name="workingDirectory">The working directory of the process.</param>
    public KumoExecutableResource(string name, EngineDefinition engine, string workingDirectory)
        : base(name, KumoEngineCommand.CommandOf(engine ?? throw new ArgumentNullException(nameof(engine))), workingDirectory)
    {
        Engine = engine;
    }

    /// <summary>
    /// Gets the engine the process runs: its kind, identity (recorded in snapshots) and command line.
    /// </summary>
    public EngineDefinition Engine { get; }

    /// <summary>
    /// Gets the HTTP endpoint of the engine.
    /// </summary>
    public EndpointReference PrimaryEndpoint => _primaryEndpoint ??= new(this, KumoResource.PrimaryEndpointName);

    /// <summary>
    /// Gets the connection string expression for the engine: the URL of its HTTP endpoint.
    /// </summary>
    public ReferenceExpression ConnectionStringExpression => this.TryGetLastAnnotation<ConnectionStringRedirectAnnotation>(out var redirect)
        ? redirect.Resource.ConnectionStringExpression
        : ReferenceExpression.Create($"{PrimaryEndpoint.Property(EndpointProperty.Url)}");

    IEnumerable<KeyValuePair<string, ReferenceExpression>> IResourceWithConnectionString.GetConnectionProperties() =>
        KumoConnectionProperties.For(this);
}
