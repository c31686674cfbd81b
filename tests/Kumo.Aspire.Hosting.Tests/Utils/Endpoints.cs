using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;

namespace Kumo.Aspire.Hosting.Tests.Utils;

/// <summary>Stands in for DCP's endpoint allocation in model-only tests.</summary>
internal static class Endpoints
{
    /// <summary>
    /// Allocates the kumo <c>http</c> endpoint on the host network at <c>localhost:<paramref name="port"/></c>. A process
    /// engine has no fixed target port, so it gets the template DCP would fill in, as DCP does.
    /// </summary>
    public static IResourceBuilder<T> AllocateHttp<T>(this IResourceBuilder<T> kumo, int port)
        where T : IKumoResource =>
        kumo.WithEndpoint("http", e => e.AllocatedEndpoint = new AllocatedEndpoint(
            e,
            "localhost",
            port,
            e.TargetPort is null ? "{{- portForServing \"" + kumo.Resource.Name + "\" -}}" : null));

    /// <summary>
    /// Allocates the endpoint a container reaches a host process through (DCP's container tunnel), as DCP does for
    /// <see cref="KnownNetworkIdentifiers.DefaultAspireContainerNetwork"/>.
    /// </summary>
    public static IResourceBuilder<T> AllocateHttpForContainers<T>(this IResourceBuilder<T> kumo, string host, int port)
        where T : IKumoResource =>
        kumo.WithEndpoint("http", e =>
        {
            var network = KnownNetworkIdentifiers.DefaultAspireContainerNetwork;
            e.AllAllocatedEndpoints.AddOrUpdateAllocatedEndpoint(
                network,
                new AllocatedEndpoint(e, host, port, EndpointBindingMode.SingleAddress, targetPortExpression: null, networkId: network));
        });
}
