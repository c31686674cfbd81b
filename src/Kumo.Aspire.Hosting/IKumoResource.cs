namespace Aspire.Hosting.ApplicationModel;

/// <summary>
/// A kumo-compatible AWS emulator (S3 and SQS) in the application model, however it runs: as the kumo
/// container (<see cref="KumoResource"/>) or as a local process (<see cref="KumoExecutableResource"/>).
/// </summary>
/// <remarks>
/// <para>
/// Every kumo resource exposes one HTTP endpoint named <c>http</c>, answers <c>GET /health</c>, and has the
/// endpoint URL as its connection string. Extension methods that work on any kumo resource
/// (<c>WithReference</c>, <c>WithSeed</c>, <c>WithRunContext</c>, <c>WithSnapshot</c>, <c>WithLogLevel</c>,
/// <c>WithInitFiles</c>, <c>WithHostPort</c>) are written against this interface, so the way kumo runs can be chosen
/// with a single expression. Every kumo resource has the dashboard commands <c>reseed</c>, <c>reset</c>,
/// <c>snapshot-now</c> and <c>dump-state</c>.
/// </para>
/// <code lang="csharp">
/// var builder = DistributedApplication.CreateBuilder(args);
///
/// IResourceBuilder&lt;IKumoResource&gt; kumo = builder.Configuration["Kumo:Engine"] switch
/// {
///     "embedded" => builder.AddKumoEmbedded("kumo"),
///     "binary" => builder.AddKumoBinary("kumo"),
///     _ => builder.AddKumo("kumo"),
/// };
/// kumo.WithSeed("seed/kumo-seed.json");
///
/// builder.AddProject&lt;Projects.OrderService&gt;("orders")
///        .WithReference(kumo)
///        .WaitFor(kumo);
/// </code>
/// </remarks>
public interface IKumoResource : IResourceWithConnectionString, IResourceWithEndpoints, IResourceWithEnvironment, IResourceWithWaitSupport
{
    /// <summary>
    /// Gets the HTTP endpoint kumo serves every AWS API and <c>/health</c> on.
    /// </summary>
    EndpointReference PrimaryEndpoint { get; }
}
