using System.Runtime.InteropServices;

namespace Kumo.Storage;

/// <summary>
/// Forces file and directory contents to stable storage.
/// </summary>
/// <remarks>
/// .NET can flush a <see cref="FileStream"/> it is writing, but cannot fsync a directory (needed
/// to make a rename durable) or a file opened elsewhere. On Linux and macOS this calls
/// <c>open</c>/<c>fsync</c>/<c>close</c> from libc; on Windows directory entries are durable once
/// the rename returns and the call is a no-op for directories.
/// </remarks>
public static partial class Fsync
{
    private const int ReadOnly = 0;

    /// <summary>Flushes the file or directory at <paramref name="path"/> to stable storage.</summary>
    /// <param name="path">An existing file or directory.</param>
    /// <exception cref="IOException">The path cannot be opened or the flush fails.</exception>
    public static void Path(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (OperatingSystem.IsWindows())
        {
            if (File.Exists(path))
            {
                using var stream = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite);
                stream.Flush(flushToDisk: true);
            }

            return;
        }

        int fd = Open(path, ReadOnly);
        if (fd < 0)
        {
            throw new IOException($"Cannot open '{path}' to flush it (errno {Marshal.GetLastPInvokeError()}).");
        }

        try
        {
            if (FsyncNative(fd) != 0)
            {
                throw new IOException($"fsync of '{path}' failed (errno {Marshal.GetLastPInvokeError()}).");
            }
        }
        finally
        {
            _ = Close(fd);
        }
    }

    /// <summary>Flushes the directory that contains <paramref name="path"/>, making a rename into it durable.</summary>
    /// <param name="path">A file or directory whose parent directory is flushed.</param>
    public static void ParentOf(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string? parent = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path));
        if (parent is not null)
        {
            Path(parent);
        }
    }

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int FsyncNative(int fd);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int fd);
}
