using Aspire.Hosting.ApplicationModel;
using Kumo.Aspire.Hosting.Starts;

namespace Kumo.Aspire.Hosting.Commands;

/// <summary>
/// Where the dashboard commands of a kumo resource write: fixed when the resource is added (every <c>AddKumo*</c>
/// method adds it once) and never changed.
/// </summary>
/// <param name="defaultSnapshotDirectory">The snapshot store <c>snapshot-now</c> uses when <c>WithSnapshot</c> names none.</param>
/// <param name="dumpDirectory">Where <c>dump-state</c> writes its files.</param>
internal sealed class KumoCommandDirectoriesAnnotation(string defaultSnapshotDirectory, string dumpDirectory) : IResourceAnnotation
{
    /// <summary>The snapshot store used by <c>snapshot-now</c> when <c>WithSnapshot</c> was not called.</summary>
    public string DefaultSnapshotDirectory { get; } = defaultSnapshotDirectory;

    /// <summary>Where <c>dump-state</c> writes its files: <c>obj/kumo-dumps</c> under the AppHost directory.</summary>
    public string DumpDirectory { get; } = dumpDirectory;

    /// <summary>Gets the annotation every <c>AddKumo*</c> method adds.</summary>
    /// <param name="resource">The kumo resource.</param>
    /// <returns>The annotation.</returns>
    public static KumoCommandDirectoriesAnnotation Of(IResource resource) =>
        resource.TryGetLastAnnotation<KumoCommandDirectoriesAnnotation>(out var directories) ? directories : throw KumoStart.NotAKumoResource(resource);
}
