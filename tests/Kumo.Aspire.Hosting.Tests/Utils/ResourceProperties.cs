using Aspire.Hosting;

namespace Kumo.Aspire.Hosting.Tests.Utils;

/// <summary>Reads a resource's published properties (what the dashboard shows in its details).</summary>
internal static class ResourceProperties
{
    /// <summary>The current value of a property of <paramref name="resource"/>, or null when it has none (or no state yet).</summary>
    public static string? Of(DistributedApplication app, string name, string resource = "kumo") =>
        app.ResourceNotifications.TryGetCurrentState(resource, out var state)
            ? state!.Snapshot.Properties.FirstOrDefault(p => p.Name == name)?.Value?.ToString()
            : null;
}
