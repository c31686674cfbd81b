namespace Kumo.Storage;

/// <summary>
/// Publishes files so that a reader sees either the old content or the new content, never a mix,
/// even if the writer is killed at any instruction.
/// </summary>
/// <remarks>
/// The content is written to a temporary file in the same directory (same file system), flushed to
/// disk, renamed over the target, and the directory is flushed so the rename itself survives a
/// power loss. Temporary files are named <c>.tmp-&lt;pid&gt;-&lt;random&gt;-&lt;name&gt;</c> so that a
/// sweeper can tell whose they are (see <see cref="StaleTemporaryFiles"/>).
/// </remarks>
/// <example>
/// <code>
/// AtomicFile.WriteAllBytes("/data/s3.json", json);
/// </code>
/// </example>
public static class AtomicFile
{
    /// <summary>The prefix of every temporary file or directory this library creates.</summary>
    public const string TemporaryPrefix = ".tmp-";

    /// <summary>Atomically replaces <paramref name="path"/> with <paramref name="content"/>.</summary>
    /// <param name="path">The file to create or replace.</param>
    /// <param name="content">The complete new content.</param>
    public static void WriteAllBytes(string path, ReadOnlySpan<byte> content)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string temporary = TemporaryPathFor(path);
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                stream.Write(content);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, path, overwrite: true);
        }
        catch
        {
            TryDelete(temporary);
            throw;
        }

        Fsync.ParentOf(path);
    }

    /// <summary>Atomically replaces <paramref name="path"/> with what <paramref name="write"/> writes.</summary>
    /// <param name="path">The file to create or replace.</param>
    /// <param name="write">Writes the complete new content to the stream it is given.</param>
    /// <param name="cancellationToken">Cancels the write; the target is then left untouched.</param>
    public static async Task WriteAsync(string path, Func<Stream, CancellationToken, Task> write, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(write);
        string temporary = TemporaryPathFor(path);
        try
        {
            await using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, useAsync: true))
            {
                await write(stream, cancellationToken).ConfigureAwait(false);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, path, overwrite: true);
        }
        catch
        {
            TryDelete(temporary);
            throw;
        }

        Fsync.ParentOf(path);
    }

    /// <summary>Returns a fresh temporary path beside <paramref name="path"/>, owned by this process.</summary>
    /// <param name="path">The file the temporary one will replace.</param>
    /// <returns>A path in the same directory that does not exist yet.</returns>
    public static string TemporaryPathFor(string path)
    {
        string directory = Path.GetDirectoryName(Path.GetFullPath(path)) ?? throw new ArgumentException($"'{path}' has no directory.", nameof(path));
        return Path.Combine(directory, $"{TemporaryPrefix}{Environment.ProcessId}-{Guid.NewGuid():N}-{Path.GetFileName(path)}");
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
