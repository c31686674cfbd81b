using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Kumo.Embedded.S3;

/// <summary>Allocates a file's pages ahead of the writes that will fill them (Linux <c>fallocate</c>).</summary>
/// <remarks>
/// With <c>FALLOC_FL_KEEP_SIZE</c> the file's length does not change: the pages wait past its end, and a write that
/// reaches them finds them allocated. On tmpfs a write that grows a file otherwise allocates and accounts a page-cache
/// page per 4 KiB as it copies (bench/results/request-cost.md section 19).
/// </remarks>
internal static partial class FileSpace
{
    private const int KeepSize = 0x01; // FALLOC_FL_KEEP_SIZE

    /// <summary>
    /// Allocates <paramref name="length"/> bytes from <paramref name="offset"/> without changing the file's length;
    /// false when the system cannot (not Linux, no room, a closed handle): the writes then allocate as they go.
    /// </summary>
    public static bool TryReserve(SafeFileHandle handle, long offset, long length)
    {
        if (!OperatingSystem.IsLinux() || handle.IsClosed)
        {
            return false;
        }

        try
        {
            return Fallocate(handle, KeepSize, offset, length) == 0;
        }
        catch (ObjectDisposedException)
        {
            return false; // closed meanwhile (its segment was compacted away)
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            return false; // a libc without fallocate: writes allocate as they go
        }
    }

    [LibraryImport("libc", EntryPoint = "fallocate", SetLastError = true)]
    private static partial int Fallocate(SafeFileHandle fd, int mode, long offset, long length);
}
