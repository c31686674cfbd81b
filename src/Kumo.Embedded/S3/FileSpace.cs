using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Kumo.Embedded.S3;

/// <summary>
/// A file's pages handled by the kernel: allocated ahead of the writes that will fill them (Linux <c>fallocate</c>),
/// and copied from one file to another without passing through the process (Linux <c>copy_file_range</c>).
/// </summary>
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

    /// <summary>
    /// Copies all <paramref name="length"/> bytes of <paramref name="source"/> (from its start) to
    /// <paramref name="destination"/> at <paramref name="destinationOffset"/>, inside the kernel; false when the system
    /// cannot (not Linux, the files on different file systems, a file system without it, a source shorter than
    /// <paramref name="length"/>): the caller then copies through a buffer, from the start.
    /// </summary>
    public static bool TryCopy(SafeFileHandle source, SafeFileHandle destination, long destinationOffset, long length)
    {
        if (!OperatingSystem.IsLinux() || source.IsClosed || destination.IsClosed)
        {
            return false;
        }

        try
        {
            long sourceOffset = 0;
            long targetOffset = destinationOffset;
            while (sourceOffset < length)
            {
                nint copied = CopyFileRange(source, ref sourceOffset, destination, ref targetOffset, (nuint)(length - sourceOffset), 0);
                if (copied <= 0)
                {
                    return false; // an error (EXDEV, EINVAL, ENOSYS, ...) or the source's end before length
                }
            }

            return true;
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            return false; // a libc without copy_file_range
        }
    }

    [LibraryImport("libc", EntryPoint = "copy_file_range", SetLastError = true)]
    private static partial nint CopyFileRange(SafeFileHandle sourceFd, ref long sourceOffset, SafeFileHandle destinationFd, ref long destinationOffset, nuint length, uint flags);

    [LibraryImport("libc", EntryPoint = "fallocate", SetLastError = true)]
    private static partial int Fallocate(SafeFileHandle fd, int mode, long offset, long length);
}
