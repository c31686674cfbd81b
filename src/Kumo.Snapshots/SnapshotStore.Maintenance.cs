using Kumo.Storage;
using Microsoft.Extensions.Logging;

namespace Kumo.Snapshots;

/// <summary>Maintenance: listing, sweeping stale temporary entries, pruning old snapshots and discarding corrupt ones.</summary>
public sealed partial class SnapshotStore
{
    /// <summary>Lists the published snapshots whose manifest is readable, newest first.</summary>
    /// <returns>The snapshots.</returns>
    public IReadOnlyList<Snapshot> List()
    {
        if (!Directory.Exists(Root))
        {
            return [];
        }

        var snapshots = new List<Snapshot>();
        foreach (string directory in Directory.EnumerateDirectories(Root))
        {
            if (!SnapshotLayout.IsKey(Path.GetFileName(directory)))
            {
                continue;
            }

            try
            {
                snapshots.Add(new Snapshot(directory, ManifestCodec.Read(directory), built: false));
            }
            catch (Exception ex) when (ex is SnapshotCorruptException or IOException)
            {
                // Not a snapshot (yet, or any more).
            }
        }

        return snapshots.OrderByDescending(s => s.Manifest.CreatedUtc).ThenBy(s => s.Key, StringComparer.Ordinal).ToList();
    }

    /// <summary>Removes temporary directories (<c>.tmp-&lt;pid&gt;-…</c>) left in the root by processes that no longer run.</summary>
    /// <returns>The removed paths.</returns>
    public IReadOnlyList<string> SweepStale()
    {
        IReadOnlyList<string> removed = StaleTemporaryFiles.Sweep(Root);
        foreach (string path in removed)
        {
            LogSwept(_logger, path);
        }

        return removed;
    }

    /// <summary>
    /// Keeps the <paramref name="keepNewest"/> newest snapshots (by manifest creation time) and
    /// deletes the others, plus directories whose manifest is unreadable. A snapshot whose lock is
    /// held (being built, discarded or restored from) is skipped.
    /// </summary>
    /// <param name="keepNewest">How many valid snapshots to keep.</param>
    /// <returns>The keys of the deleted snapshots.</returns>
    public IReadOnlyList<string> Prune(int keepNewest)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(keepNewest);
        if (!Directory.Exists(Root))
        {
            return [];
        }

        var candidates = new List<(string Key, string Directory, DateTimeOffset Created)>();
        foreach (string directory in Directory.EnumerateDirectories(Root))
        {
            string key = Path.GetFileName(directory);
            if (!SnapshotLayout.IsKey(key))
            {
                continue;
            }

            DateTimeOffset created;
            try
            {
                created = ManifestCodec.Read(directory).CreatedUtc;
            }
            catch (Exception ex) when (ex is SnapshotCorruptException or IOException)
            {
                created = DateTimeOffset.MinValue;
            }

            candidates.Add((key, directory, created));
        }

        var removed = new List<string>();
        int kept = 0;
        foreach ((string key, string directory, DateTimeOffset created) in candidates.OrderByDescending(c => c.Created).ThenBy(c => c.Key, StringComparer.Ordinal))
        {
            if (created != DateTimeOffset.MinValue && kept < keepNewest)
            {
                kept++;
                continue;
            }

            using FileLock? held = FileLock.TryAcquire(LockPathFor(key), exclusive: true);
            if (held is null)
            {
                LogPruneSkipped(_logger, key);
                continue;
            }

            if (RemoveDirectory(directory, "pruned"))
            {
                removed.Add(key);
                LogPruned(_logger, key, created);
            }
        }

        return removed;
    }

    private async Task DiscardAsync(string key, string buildId, string reason, CancellationToken cancellationToken)
    {
        FileLock held;
        try
        {
            held = await FileLock.AcquireAsync(LockPathFor(key), exclusive: true, DiscardLockTimeout, $"discard corrupt snapshot {key}", cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException ex)
        {
            // Someone else is using it; whoever builds next validates it first anyway.
            LogDiscardSkipped(_logger, key, ex.Message);
            return;
        }

        using (held)
        {
            string directory = Path.Combine(Root, key);
            if (!Directory.Exists(directory))
            {
                return;
            }

            try
            {
                if (ManifestCodec.Read(directory).BuildId != buildId)
                {
                    // Already replaced by a newer build; that one is validated when used.
                    return;
                }
            }
            catch (SnapshotCorruptException)
            {
                // Unreadable: discard.
            }

            DiscardLocked(directory, reason);
        }
    }

    internal void DiscardLocked(string directory, string reason)
    {
        LogDiscarding(_logger, directory, reason);
        RemoveDirectory(directory, "discarded");
    }

    /// <summary>Renames a directory out of sight (one atomic step) and deletes it; a failed delete is left for <see cref="SweepStale"/>.</summary>
    internal bool RemoveDirectory(string directory, string? reason)
    {
        string doomed = directory;
        if (reason is not null)
        {
            doomed = Path.Combine(Root, $"{AtomicFile.TemporaryPrefix}{Environment.ProcessId}-{Guid.NewGuid():N}-{reason}-{Path.GetFileName(directory)}");
            try
            {
                Directory.Move(directory, doomed);
            }
            catch (DirectoryNotFoundException)
            {
                return false;
            }
            catch (IOException ex)
            {
                LogRemoveFailed(_logger, ex, directory);
                return false;
            }
        }

        try
        {
            if (Directory.Exists(doomed))
            {
                Directory.Delete(doomed, recursive: true);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            LogRemoveFailed(_logger, ex, doomed);
        }

        return true;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Discarding snapshot {Directory}: {Reason}")]
    private static partial void LogDiscarding(ILogger logger, string directory, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Not discarding snapshot {Key} now: {Reason}")]
    private static partial void LogDiscardSkipped(ILogger logger, string key, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Removed stale temporary entry {Path}")]
    private static partial void LogSwept(ILogger logger, string path);

    [LoggerMessage(Level = LogLevel.Information, Message = "Pruned snapshot {Key} created {Created:O}")]
    private static partial void LogPruned(ILogger logger, string key, DateTimeOffset created);

    [LoggerMessage(Level = LogLevel.Information, Message = "Not pruning snapshot {Key}: it is locked (being built or read)")]
    private static partial void LogPruneSkipped(ILogger logger, string key);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not remove {Path}; SweepStale will retry once this process has exited")]
    private static partial void LogRemoveFailed(ILogger logger, Exception exception, string path);
}
