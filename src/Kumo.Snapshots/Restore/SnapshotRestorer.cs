using System.Diagnostics;
using Kumo.Storage;
using Microsoft.Extensions.Logging;

namespace Kumo.Snapshots;

/// <summary>Materialises a snapshot's data directory into a worker's directory, checking every file on the way.</summary>
internal static partial class SnapshotRestorer
{
    internal static async Task<RestoredDataDir> RestoreAsync(Snapshot snapshot, string target, RestoreMode mode, string lockPath, TimeSpan lockTimeout, ILogger logger, CancellationToken cancellationToken)
    {
        if (File.Exists(target))
        {
            throw new IOException($"The restore target '{target}' is a file. Pass a directory path that is empty or does not exist.");
        }

        if (Directory.Exists(target) && Directory.EnumerateFileSystemEntries(target).Any())
        {
            throw new IOException($"The restore target '{target}' is not empty. Restore into an empty or absent directory (each worker gets its own), or delete it first.");
        }

        string parent = Path.GetDirectoryName(target) ?? throw new IOException($"The restore target '{target}' has no parent directory.");
        Directory.CreateDirectory(parent);
        StaleTemporaryFiles.Sweep(parent);

        var clock = Stopwatch.StartNew();
        using FileLock reading = await FileLock.AcquireAsync(lockPath, exclusive: false, lockTimeout, $"restore snapshot {snapshot.Key}", cancellationToken).ConfigureAwait(false);
        return await Task.Run(() => Materialise(snapshot, target, parent, mode, clock, logger, cancellationToken), cancellationToken).ConfigureAwait(false);
    }

    private static RestoredDataDir Materialise(Snapshot snapshot, string target, string parent, RestoreMode mode, Stopwatch clock, ILogger logger, CancellationToken cancellationToken)
    {
        // Re-read under the lock: the snapshot may have been rebuilt since the caller got it. Each
        // listed file's presence and size are checked below, when it is hashed.
        SnapshotManifest manifest = SnapshotValidator.CheckListing(snapshot.Directory);
        IReadOnlyList<SnapshotFile> files = manifest.Files;
        string source = Path.Combine(snapshot.Directory, SnapshotLayout.DataDirectoryName);
        string temporary = Path.Combine(parent, $"{AtomicFile.TemporaryPrefix}{Environment.ProcessId}-{Guid.NewGuid():N}-{Path.GetFileName(target)}");
        Directory.CreateDirectory(temporary);
        int linked = 0;
        bool done = false;
        try
        {
            // Directories first (few; each created once, before any file in it), then the files in parallel.
            string[] destinations = new string[files.Count];
            var created = new HashSet<string>(StringComparer.Ordinal) { temporary };
            for (int i = 0; i < files.Count; i++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                destinations[i] = ContainedPath.Combine(temporary, files[i].Path);
                string directory = Path.GetDirectoryName(destinations[i])!;
                if (created.Add(directory))
                {
                    Directory.CreateDirectory(directory);
                }
            }

            ParallelFiles.For(
                files.Count,
                i =>
                {
                    SnapshotFile file = files[i];
                    string from = Path.Combine(source, file.Path);
                    string to = destinations[i];
                    if (mode == RestoreMode.HardLink && HardLinks.TryCreate(from, to))
                    {
                        Interlocked.Increment(ref linked);
                    }
                    else
                    {
                        try
                        {
                            File.Copy(from, to);
                            MakeWritable(to);
                        }
                        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
                        {
                            throw new SnapshotCorruptException(snapshot.Directory, SnapshotValidator.DataPath(file.Path), "is listed in the manifest but missing", ex);
                        }
                    }

                    // Check what the worker gets, not only the source: the copy is what the engine will load.
                    (long size, string sha256) = SnapshotValidator.HashListed(snapshot.Directory, to, file.Path);
                    SnapshotValidator.CheckMatch(snapshot.Directory, file, size, sha256);
                },
                cancellationToken);

            if (Directory.Exists(target))
            {
                Directory.Delete(target);
            }

            Directory.Move(temporary, target);
            done = true;
        }
        finally
        {
            if (!done)
            {
                try
                {
                    Directory.Delete(temporary, recursive: true);
                }
                catch (IOException)
                {
                    // Left for the sweeper.
                }
            }
        }

        var restored = new RestoredDataDir(target, manifest.Key, manifest.Files.Count, manifest.TotalBytes, linked, clock.Elapsed);
        LogRestored(logger, manifest.Key, target, restored.Files, restored.Bytes, linked, clock.Elapsed.TotalMilliseconds);
        return restored;
    }

    /// <summary>A copy belongs to the worker alone: give it back the owner's write permission the snapshot's read-only file lacks.</summary>
    private static void MakeWritable(string path)
    {
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Restored snapshot {Key} into {Target}: {Files} files, {Bytes} bytes ({Linked} hard-linked) in {ElapsedMs:0.0} ms")]
    private static partial void LogRestored(ILogger logger, string key, string target, int files, long bytes, int linked, double elapsedMs);
}
