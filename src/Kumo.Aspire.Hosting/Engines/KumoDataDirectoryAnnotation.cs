using Aspire.Hosting.ApplicationModel;

namespace Kumo.Aspire.Hosting.Engines;

/// <summary>The host data directory of a kumo process (<c>WithDataDirectory</c>).</summary>
/// <param name="path">The full path.</param>
internal sealed class KumoDataDirectoryAnnotation(string path) : IResourceAnnotation
{
    public string Path { get; } = path;
}
