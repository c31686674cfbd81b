using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.Logging;

namespace Kumo.Aspire.Hosting.Lifecycle;

/// <summary>What a ready callback (a seed step) gets once kumo answers <c>/health</c>.</summary>
internal sealed class KumoReadyContext
{
    /// <summary>The kumo resource.</summary>
    public required IKumoResource Resource { get; init; }

    /// <summary>The endpoint as the AppHost reaches it (host network), e.g. <c>http://localhost:52311</c>.</summary>
    public required Uri Endpoint { get; init; }

    /// <summary>The AppHost's services.</summary>
    public required IServiceProvider Services { get; init; }

    /// <summary>The resource's log, shown in the dashboard.</summary>
    public required ILogger Logger { get; init; }
}
