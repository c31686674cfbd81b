using System.Diagnostics;
using Kumo.Engines;
using Kumo.Storage;
using Microsoft.Extensions.Logging;

namespace Kumo.Snapshots;

/// <summary>Building: a snapshot is built once across processes (under the key's lock), hashed, made read-only and published by one rename.</summary>
public sealed partial class SnapshotStore
{
    /// <summary>Returns the snapshot for <paramref name="request"/>, building it first if no valid one exists.</summary>
    /// <param name="request">What to build and how.</param>
    /// <param name="cancellationToken">Cancels waiting or building; nothing half-built is published.</param>
    /// <returns>The snapshot; <see cref="Snapshot.Built"/> tells whether this call built it.</returns>
    /// <exception cref="SnapshotBuildException">The build failed; the message names the phase and shows the engine log.</exception>
    /// <exception cref="TimeoutException">Another process held the build lock longer than the lock timeout.</exception>
    public async Task<Snapshot> GetOrBuildAsync(SnapshotRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        string key = KeyFor(request);
        Directory.CreateDirectory(Root);
        if (TryOpen(key, request) is { } existing)
        {
            LogReused(_logger, key, existing.Manifest.CreatedUtc);
            return existing;
        }

        TimeSpan timeout = request.LockTimeout ?? DefaultLockTimeout;
        using FileLock buildLock = await FileLock.AcquireAsync(LockPathFor(key), exclusive: true, timeout, $"build snapshot {key}", cancellationToken).ConfigureAwait(false);
        Phase("locked");
        if (TryOpen(key, request) is { } builtMeanwhile)
        {
            LogReused(_logger, key, builtMeanwhile.Manifest.CreatedUtc);
            return builtMeanwhile;
        }

        string final = Path.Combine(Root, key);
        if (Directory.Exists(final))
        {
            DiscardLocked(final, "it failed validation");
        }

        foreach (string removed in StaleTemporaryFiles.Sweep(Root))
        {
            LogSwept(_logger, removed);
        }

        return await BuildAsync(request, key, cancellationToken).ConfigureAwait(false);
    }

    private async Task<Snapshot> BuildAsync(SnapshotRequest request, string key, CancellationToken cancellationToken)
    {
        string buildId = Guid.NewGuid().ToString("N");
        string temporary = Path.Combine(Root, $"{AtomicFile.TemporaryPrefix}{Environment.ProcessId}-{buildId}");
        string data = Path.Combine(temporary, SnapshotLayout.DataDirectoryName);
        string logFile = Path.Combine(temporary, SnapshotLayout.BuildLogFileName);
        string final = Path.Combine(Root, key);
        var clock = Stopwatch.StartNew();
        bool published = false;
        RunningEngine? engine = null;
        LogBuilding(_logger, key, request.Engine.DisplayName, request.PlanHash, request.FixtureVersion);
        try
        {
            Directory.CreateDirectory(data);
            Phase("tmp-created");
            try
            {
                engine = await EngineProcess.StartAsync(
                    request.Engine,
                    new EngineStartOptions { DataDir = data, LogFile = logFile, Logger = _logger, HealthTimeout = EngineHealthTimeout },
                    cancellationToken).ConfigureAwait(false);
            }
            catch (EngineStartException ex)
            {
                throw new SnapshotBuildException(key, "engine-start", ex.Message, [], null, ex);
            }

            Phase("engine-started");
            await RunUserStepAsync(request.Seed, engine, key, "seed", cancellationToken).ConfigureAwait(false);
            Phase("seeded");
            if (request.Verify is { } verify)
            {
                await RunUserStepAsync(verify, engine, key, "verify", cancellationToken).ConfigureAwait(false);
                Phase("verified");
            }

            EngineStopResult stop = await engine.StopAsync(StopGracePeriod, cancellationToken).ConfigureAwait(false);
            if (!stop.IsClean)
            {
                throw new SnapshotBuildException(
                    key,
                    "engine-stop",
                    $"{request.Engine.DisplayName} did not exit cleanly after SIGTERM ({stop.Outcome}, exit code {stop.ExitCode}, after {stop.Elapsed.TotalSeconds:0.0} s), so its final flush may be missing. Raise SnapshotStore.StopGracePeriod if it is slow to flush",
                    engine.LogTail(LogTailLines),
                    logFile,
                    null);
            }

            Phase("engine-stopped");
            IReadOnlyList<SnapshotFile> files = await Task.Run(() => HashAndSync(data, key, cancellationToken), cancellationToken).ConfigureAwait(false);
            Phase("hashed");

            var manifest = new SnapshotManifest
            {
                FormatVersion = FormatVersion,
                Key = key,
                BuildId = buildId,
                PlanHash = request.PlanHash,
                FixtureVersion = request.FixtureVersion,
                Engine = new SnapshotEngine { Name = request.Engine.Name, Version = request.Engine.Version, Kind = request.Engine.Kind.ToString() },
                CreatedUtc = DateTimeOffset.UtcNow,
                BuildMilliseconds = clock.ElapsedMilliseconds,
                Files = files,
            };

            // The manifest is written last: a directory with a valid manifest is complete.
            AtomicFile.WriteAllBytes(Path.Combine(temporary, SnapshotLayout.ManifestFileName), ManifestCodec.Serialize(manifest));
            Phase("manifest-written");
            Fsync.Path(temporary);
            try
            {
                Directory.Move(temporary, final);
            }
            catch (IOException) when (Directory.Exists(final))
            {
                // Someone published this key without holding the lock; theirs wins if it is valid.
                if (TryOpen(key, request) is { } theirs)
                {
                    return theirs;
                }

                throw;
            }

            published = true;
            Fsync.Path(Root);
            Phase("published");
            LogBuilt(_logger, key, files.Count, manifest.TotalBytes, clock.ElapsedMilliseconds);
            return new Snapshot(final, manifest, built: true);
        }
        catch (Exception ex) when (ex is not SnapshotBuildException and not OperationCanceledException)
        {
            throw new SnapshotBuildException(key, "publish", $"{ex.GetType().Name}: {ex.Message}", engine?.LogTail(LogTailLines) ?? [], logFile, ex);
        }
        finally
        {
            if (engine is not null)
            {
                await engine.DisposeAsync().ConfigureAwait(false);
            }

            if (!published)
            {
                RemoveDirectory(temporary, reason: null);
            }
        }
    }

    private async Task RunUserStepAsync(Func<Uri, CancellationToken, Task> step, RunningEngine engine, string key, string phase, CancellationToken cancellationToken)
    {
        try
        {
            await step(engine.Endpoint, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex)
        {
            throw new SnapshotBuildException(key, phase, $"the {phase} delegate threw {ex.GetType().Name}: {ex.Message}", engine.LogTail(LogTailLines), engine.LogFile, ex);
        }
    }

    private static List<SnapshotFile> HashAndSync(string data, string key, CancellationToken cancellationToken)
    {
        var paths = new List<string>();
        foreach (string path in Directory.EnumerateFiles(data, "*", SearchOption.AllDirectories))
        {
            cancellationToken.ThrowIfCancellationRequested();
            string name = Path.GetFileName(path);
            if (name.StartsWith(AtomicFile.TemporaryPrefix, StringComparison.Ordinal) || name.EndsWith(".tmp", StringComparison.Ordinal))
            {
                // The leftover of a write the engine never finished; engines never read these.
                File.Delete(path);
                continue;
            }

            paths.Add(path);
        }

        // Hash, seal and fsync the files in parallel: a data directory holds one file per S3 object.
        var hashed = new SnapshotFile[paths.Count];
        ParallelFiles.For(
            paths.Count,
            i =>
            {
                string path = paths[i];
                if (new FileInfo(path).LinkTarget is { } linkTarget)
                {
                    throw new SnapshotBuildException(key, "hash", $"'{path}' is a symbolic link to '{linkTarget}'; a snapshot holds only regular files", [], null, null);
                }

                (long size, string sha256) = FileHashing.Hash(path);
                MakeReadOnly(path);
                Fsync.Path(path);
                hashed[i] = new SnapshotFile { Path = Path.GetRelativePath(data, path).Replace('\\', '/'), Size = size, Sha256 = sha256 };
            },
            cancellationToken);

        var files = new List<SnapshotFile>(hashed);
        foreach (string directory in Directory.EnumerateDirectories(data, "*", SearchOption.AllDirectories))
        {
            Fsync.Path(directory);
        }

        Fsync.Path(data);
        files.Sort((a, b) => string.CompareOrdinal(a.Path, b.Path));
        return files;
    }

    /// <summary>
    /// Snapshot files are read-only (0444): engines replace files by rename, which needs no write
    /// permission on the file, while an accidental in-place write through a hard-linked restore
    /// fails loudly instead of changing the snapshot (for processes not running as root).
    /// </summary>
    internal static void MakeReadOnly(string path)
    {
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Reusing snapshot {Key} created {Created:O}")]
    private static partial void LogReused(ILogger logger, string key, DateTimeOffset created);

    [LoggerMessage(Level = LogLevel.Information, Message = "Building snapshot {Key} with {Engine} (plan {PlanHash}, fixture {FixtureVersion})")]
    private static partial void LogBuilding(ILogger logger, string key, string engine, string planHash, string fixtureVersion);

    [LoggerMessage(Level = LogLevel.Information, Message = "Published snapshot {Key}: {Files} files, {Bytes} bytes, in {ElapsedMs} ms")]
    private static partial void LogBuilt(ILogger logger, string key, int files, long bytes, long elapsedMs);
}
