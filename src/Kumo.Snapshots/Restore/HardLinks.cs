using System.Runtime.InteropServices;

namespace Kumo.Snapshots;

/// <summary>Creates hard links (link(2)); .NET has no API for them.</summary>
internal static partial class HardLinks
{
    /// <summary>Tells whether hard links can be attempted on this platform.</summary>
    internal static bool Supported => OperatingSystem.IsLinux() || OperatingSystem.IsMacOS() || OperatingSystem.IsFreeBSD();

    /// <summary>Links <paramref name="target"/> to the existing file <paramref name="source"/>.</summary>
    /// <returns>True when linked; false when the file system refuses (e.g. across devices), in which case the caller copies.</returns>
    internal static bool TryCreate(string source, string target) => Supported && Link(source, target) == 0;

    [LibraryImport("libc", EntryPoint = "link", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Link(string oldPath, string newPath);
}
