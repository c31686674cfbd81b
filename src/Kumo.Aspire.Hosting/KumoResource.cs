using Kumo.Aspire.Hosting;

namespace Aspire.Hosting.ApplicationModel;

/// <summary>
/// A resource that represents the kumo AWS emulator (S3 and SQS) running in a container.
/// </summary>
/// <remarks>
/// <para>
/// The connection string is the URL of the <c>http</c> endpoint, e.g. <c>http://localhost:52311</c> for a
/// project and <c>http://kumo.dev.internal:4566</c> for another container. kumo accepts any credentials.
/// </para>
/// <code lang="csharp">
/// var builder = DistributedApplication.CreateBuilder(args);
///
/// var kumo = builder.AddKumo("kumo")
///                   .WithDataVolume();
///
/// builder.AddProject&lt;Projects.OrderService&gt;("orders")
///        .WithReference(kumo)
///        .WaitFor(kumo);
/// </code>
/// </remarks>
/// <param name="name">The name of the resource.</param>
public class KumoResource(string name) : ContainerResource(name), IKumoResource
{
    internal const string PrimaryEndpointName = "http";

    /// <summary>The port kumo listens on inside the container.</summary>
    internal const int DefaultTargetPort = 4566;

    private EndpointReference? _primaryEndpoint;

    /// <summary>
    /// Gets the HTTP endpoint of the kumo server.
    /// </summary>
    public EndpointReference PrimaryEndpoint => _primaryEndpoint ??= new(this, PrimaryEndpointName);

    /// <summary>
    /// Gets the host endpoint reference for this resource.
    /// </summary>
    public EndpointReferenceExpression Host => PrimaryEndpoint.Property(EndpointProperty.Host);

    /// <summary>
    /// Gets the port endpoint reference for this resource.
    /// </summary>
    public EndpointReferenceExpression Port => PrimaryEndpoint.Property(EndpointProperty.Port);

    /// <summary>
    /// Gets the connection string expression for the kumo server: the URL of its HTTP endpoint.
    /// </summary>
    public ReferenceExpression ConnectionStringExpression => this.TryGetLastAnnotation<ConnectionStringRedirectAnnotation>(out var redirect)
        ? redirect.Resource.ConnectionStringExpression
        : ReferenceExpression.Create($"{PrimaryEndpoint.Property(EndpointProperty.Url)}");

    IEnumerable<KeyValuePair<string, ReferenceExpression>> IResourceWithConnectionString.GetConnectionProperties() =>
        KumoConnectionProperties.For(this);
}
