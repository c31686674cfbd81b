using Aspire.Hosting.ApplicationModel;

namespace Kumo.Aspire.Hosting.Snapshots;

/// <summary>Marks a kumo resource that starts on a snapshot of its seeded state (<c>WithSnapshot</c>).</summary>
/// <param name="storeDirectory">The snapshot store (full path).</param>
internal sealed class KumoSnapshotAnnotation(string storeDirectory) : IResourceAnnotation
{
    public string StoreDirectory { get; } = storeDirectory;
}
