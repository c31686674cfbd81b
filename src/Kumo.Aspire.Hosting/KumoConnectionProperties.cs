using Aspire.Hosting.ApplicationModel;

namespace Kumo.Aspire.Hosting;

/// <summary>
/// The connection properties <c>WithReference</c> splats as <c>{NAME}_{KEY}</c> into a referencing resource.
/// </summary>
/// <remarks>
/// Only <c>Uri</c> is offered. <c>Host</c> and <c>Port</c> are left out on purpose: for the usual resource
/// name <c>kumo</c> they would become <c>KUMO_HOST</c> and <c>KUMO_PORT</c>, which are the engine's own
/// listen settings, so a consumer that starts an engine of its own would inherit another engine's port.
/// </remarks>
internal static class KumoConnectionProperties
{
    public const string Uri = "Uri";

    public static IEnumerable<KeyValuePair<string, ReferenceExpression>> For(IKumoResource resource)
    {
        yield return new(Uri, ReferenceExpression.Create($"{resource.PrimaryEndpoint.Property(EndpointProperty.Url)}"));
    }
}
