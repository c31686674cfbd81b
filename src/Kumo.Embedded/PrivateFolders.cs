namespace Kumo.Embedded;

/// <summary>
/// Where a memory-only engine keeps object bodies: a private folder, <c>kumo-embedded-&lt;pid&gt;-&lt;guid&gt;</c>,
/// on <c>/dev/shm</c> when that is a tmpfs with room (bodies then live in memory, as the mode says, and
/// creating a file costs no disk journal), otherwise in the temporary directory. An explicit <c>TMPDIR</c>
/// is honoured: with it set, the folder is created there and <c>/dev/shm</c> is not used.
/// </summary>
/// <remarks>
/// A body file on tmpfs is page cache, not the engine's heap: it is freed when the object is deleted
/// and does not count in the process's RSS. At least <see cref="MinimumTmpfsBytes"/> must be free, so
/// a container's small default <c>/dev/shm</c> (64 MiB) is never chosen.
/// </remarks>
internal static class PrivateFolders
{
    /// <summary>The name prefix of a private folder.</summary>
    public const string Prefix = "kumo-embedded-";

    /// <summary>The free space below which <c>/dev/shm</c> is not used.</summary>
    public const long MinimumTmpfsBytes = 1L << 30;

    private const string SharedMemory = "/dev/shm";

    // The POSIX variable Path.GetTempPath() reads; a user (or a test) who sets it chooses the folder.
    private const string TemporaryDirectoryVariable = "TMPDIR";

    /// <summary>The folder new private folders are created in.</summary>
    public static string Root { get; } = ChooseRoot();

    /// <summary>Every folder a private folder may have been created in (where stale ones are swept).</summary>
    public static IReadOnlyList<string> Roots { get; } = [.. new[] { Root, Path.GetTempPath() }.Distinct(StringComparer.Ordinal)];

    /// <summary>Whether <paramref name="folder"/> is in a private folder on <c>/dev/shm</c> (tmpfs: its files are memory).</summary>
    public static bool IsInMemory(string folder) =>
        Root == SharedMemory && folder.StartsWith(Path.Combine(SharedMemory, Prefix), StringComparison.Ordinal);

    /// <summary>Creates a private folder for this process.</summary>
    public static string Create()
    {
        foreach (string root in Roots)
        {
            Kumo.Storage.StaleTemporaryFiles.Sweep(root, Prefix);
        }

        string folder = Path.Combine(Root, $"{Prefix}{Environment.ProcessId}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        return folder;
    }

    private static string ChooseRoot()
    {
        try
        {
            if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable(TemporaryDirectoryVariable)) && OperatingSystem.IsLinux() && Directory.Exists(SharedMemory))
            {
                var drive = new DriveInfo(SharedMemory);
                if (drive.DriveFormat == "tmpfs" && drive.AvailableFreeSpace >= MinimumTmpfsBytes && CanWrite(SharedMemory))
                {
                    return SharedMemory;
                }
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException)
        {
        }

        return Path.GetTempPath();
    }

    private static bool CanWrite(string folder)
    {
        string probe = Path.Combine(folder, $".kumo-probe-{Environment.ProcessId}-{Guid.NewGuid():N}");
        try
        {
            Directory.CreateDirectory(probe);
            Directory.Delete(probe);
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
