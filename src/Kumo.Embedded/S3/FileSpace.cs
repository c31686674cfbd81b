using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Kumo.Embedded.S3;

/// <summary>
/// A file's pages handled by the kernel: allocated ahead of the writes that will fill them (Linux <c>fallocate</c>),
/// copied from one file to another without passing through the process (Linux <c>copy_file_range</c>), and linked
/// under a second name (<c>link</c>).
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
    /// Copies <paramref name="length"/> bytes of <paramref name="source"/> from <paramref name="sourceOffset"/> to
    /// <paramref name="destination"/> at <paramref name="destinationOffset"/>, inside the kernel; false when the system
    /// cannot (not Linux, the files on different file systems, a file system without it, a source that ends before
    /// <paramref name="length"/> bytes): the caller then copies through a buffer, from the start.
    /// </summary>
    public static bool TryCopy(SafeFileHandle source, long sourceOffset, SafeFileHandle destination, long destinationOffset, long length)
    {
        if (!OperatingSystem.IsLinux() || source.IsClosed || destination.IsClosed)
        {
            return false;
        }

        try
        {
            long readOffset = sourceOffset;
            long end = sourceOffset + length;
            long targetOffset = destinationOffset;
            while (readOffset < end)
            {
                nint copied = CopyFileRange(source, ref readOffset, destination, ref targetOffset, (nuint)(end - readOffset), 0);
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

    /// <summary>
    /// Gives the file at <paramref name="existing"/> a second name, <paramref name="link"/> (a hard link: the same
    /// bytes, not a copy); false when the system cannot (not Linux, different file systems, a file system without links).
    /// </summary>
    public static bool TryLink(string existing, string link)
    {
        if (!OperatingSystem.IsLinux())
        {
            return false;
        }

        try
        {
            return Link(existing, link) == 0;
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }

    [LibraryImport("libc", EntryPoint = "link", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Link(string existing, string link);

    [LibraryImport("libc", EntryPoint = "copy_file_range", SetLastError = true)]
    private static partial nint CopyFileRange(SafeFileHandle sourceFd, ref long sourceOffset, SafeFileHandle destinationFd, ref long destinationOffset, nuint length, uint flags);

    [LibraryImport("libc", EntryPoint = "fallocate", SetLastError = true)]
    private static partial int Fallocate(SafeFileHandle fd, int mode, long offset, long length);
}
