using Aspire.Hosting.ApplicationModel;
using Kumo.Aspire.Hosting.Wiring;

namespace Aspire.Hosting;

/// <summary>
/// Provides the extension method that wires a resource to kumo.
/// </summary>
/// <remarks>
/// <para>
/// This overload is chosen over Aspire's <c>WithReference(IResourceBuilder&lt;IResourceWithConnectionString&gt;)</c>
/// for any kumo resource, because its parameter type is more specific (the pattern Aspire's Qdrant integration
/// uses). It adds everything Aspire's overload adds, plus the AWS SDK variables.
/// </para>
/// <code lang="csharp">
/// var kumo = builder.AddKumo("kumo");
///
/// builder.AddProject&lt;Projects.OrderService&gt;("orders")
///        .WithReference(kumo)
///        .WaitFor(kumo);
/// </code>
/// </remarks>
public static class KumoReferenceExtensions
{
    /// <summary>
    /// Points a resource's AWS SDK at kumo: injects the connection string and the standard <c>AWS_*</c> variables.
    /// </summary>
    /// <typeparam name="TDestination">The resource that uses kumo.</typeparam>
    /// <param name="builder">The resource where the variables are injected.</param>
    /// <param name="kumo">The kumo resource (container or process).</param>
    /// <param name="connectionName">An override of the kumo resource's name for the connection string. The resulting connection string will be <c>ConnectionStrings__connectionName</c> if this is not <see langword="null"/>.</param>
    /// <returns>The <see cref="IResourceBuilder{T}"/>.</returns>
    /// <remarks>
    /// <para>The referencing resource receives:</para>
    /// <list type="table">
    /// <item><term><c>ConnectionStrings__&lt;name&gt;</c></term><description>the kumo endpoint URL (and <c>&lt;NAME&gt;_URI</c>, the same URL)</description></item>
    /// <item><term><c>AWS_ENDPOINT_URL</c>, <c>AWS_ENDPOINT_URL_S3</c>, <c>AWS_ENDPOINT_URL_SQS</c>, <c>AWS_ENDPOINT_URL_DYNAMODB</c></term><description>the kumo endpoint URL</description></item>
    /// <item><term><c>AWS_REGION</c>, <c>AWS_DEFAULT_REGION</c></term><description><c>us-east-1</c> (kumo's region)</description></item>
    /// <item><term><c>AWS_ACCESS_KEY_ID</c>, <c>AWS_SECRET_ACCESS_KEY</c></term><description><c>test</c> (kumo accepts any credentials)</description></item>
    /// <item><term><c>AWS_REQUEST_CHECKSUM_CALCULATION</c>, <c>AWS_RESPONSE_CHECKSUM_VALIDATION</c></term><description><c>when_required</c> (kumo does not handle checksum trailers)</description></item>
    /// </list>
    /// <para>
    /// The URL is resolved for each consumer: a project or executable gets the host address
    /// (<c>http://localhost:&lt;port&gt;</c>), a container gets the container-network address
    /// (<c>http://&lt;name&gt;.dev.internal:4566</c> for the kumo container).
    /// </para>
    /// <para>
    /// As with Aspire's own <c>WithReference</c>, <see cref="ResourceBuilderExtensions.WithReferenceEnvironment{TDestination}(IResourceBuilder{TDestination}, ReferenceEnvironmentInjectionFlags)"/>
    /// called beforehand on the consumer decides what is injected: the connection string needs
    /// <see cref="ReferenceEnvironmentInjectionFlags.ConnectionString"/>, the <c>&lt;NAME&gt;_URI</c> and <c>AWS_*</c> variables need
    /// <see cref="ReferenceEnvironmentInjectionFlags.ConnectionProperties"/>. Referencing two kumo resources from one consumer
    /// leaves the <c>AWS_*</c> variables of the last one.
    /// </para>
    /// <code lang="csharp">
    /// builder.AddContainer("worker", "myorg/worker")
    ///        .WithReference(kumo, connectionName: "aws")   // ConnectionStrings__aws=http://kumo.dev.internal:4566
    ///        .WaitFor(kumo);
    /// </code>
    /// </remarks>
    public static IResourceBuilder<TDestination> WithReference<TDestination>(this IResourceBuilder<TDestination> builder, IResourceBuilder<IKumoResource> kumo, string? connectionName = null)
        where TDestination : IResourceWithEnvironment
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(kumo);

        // Connection string, <NAME>_URI and the reference relationship, exactly as for any connection-string resource.
        ResourceBuilderExtensions.WithReference(builder, kumo, connectionName);

        builder.Resource.TryGetLastAnnotation<ReferenceEnvironmentInjectionAnnotation>(out var injection);
        var flags = injection?.Flags ?? ReferenceEnvironmentInjectionFlags.All;
        if (!flags.HasFlag(ReferenceEnvironmentInjectionFlags.ConnectionProperties))
        {
            return builder;
        }

        var kumoResource = kumo.Resource;
        return builder.WithEnvironment(context => KumoAwsEnvironment.Apply(context, kumoResource));
    }
}
