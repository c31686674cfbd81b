using System.Diagnostics;
using Kumo.Engines;
using Kumo.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Kumo.Snapshots;

/// <summary>
/// Content-addressed snapshots of an engine's data directory (<c>KUMO_DATA_DIR</c>): built once
/// across processes, published atomically, validated, and restored into per-worker directories.
/// </summary>
/// <remarks>
/// <para>
/// <b>Layout.</b> <c>&lt;root&gt;/&lt;key&gt;/</c> holds <c>manifest.json</c>, <c>data/</c> and
/// <c>build.log</c>; <c>&lt;root&gt;/.lock-&lt;key&gt;</c> is the key's lock file;
/// <c>&lt;root&gt;/.tmp-&lt;pid&gt;-…</c> are builds in progress (or left by dead builders, removed by
/// <see cref="SweepStale"/>). The key hashes the <see cref="FormatVersion"/>, the plan hash, the fixture
/// version and the engine's name and version, so any drift selects a different snapshot.
/// </para>
/// <para>
/// <b>Build.</b> Under the key's exclusive lock: start the engine as a process on
/// <c>.tmp-&lt;pid&gt;-&lt;id&gt;/data</c>, seed, verify, stop it with SIGTERM (its final flush; a
/// build whose engine had to be killed fails), hash and fsync every file, write
/// <c>manifest.json</c> last, fsync, and publish with one rename to <c>&lt;root&gt;/&lt;key&gt;</c>.
/// A crash at any point leaves the previous snapshot or none: a directory without a valid manifest
/// is never trusted, and a temporary directory is never read.
/// </para>
/// <para>
/// <b>Concurrency.</b> Many processes may ask for the same key at once: exactly one builds (the
/// lock is a kernel file lock, released even when its holder is killed), the others wait up to
/// <see cref="SnapshotRequest.LockTimeout"/> and reuse the result. Restores hold the lock shared,
/// so <see cref="Prune"/> never deletes a snapshot that is being built or read.
/// </para>
/// <para>
/// <b>Restore.</b> Materialises the data directory into a temporary sibling of the target (hard
/// links by default, see <see cref="RestoreMode"/>), checks every restored file's size and SHA-256
/// against the manifest, then renames it into place; stale <c>.tmp-&lt;dead pid&gt;-…</c> entries
/// beside the target are swept first. Files are linked (or copied) and hashed in parallel, one
/// worker per core. A mismatch throws <see cref="SnapshotCorruptException"/> naming the file (the
/// first in manifest order if several differ) and discards the snapshot, so the next request
/// rebuilds it. Hashing is never skipped, not even for blobs whose name is their SHA-256: a
/// flipped byte in the store is always caught before an engine loads it.
/// </para>
/// <para>
/// <b>Processes.</b> A builder killed with SIGKILL cannot stop the engine it started; that engine
/// only writes into the dead builder's temporary directory, which is never published and is swept
/// once the builder's pid is gone.
/// </para>
/// </remarks>
/// <example>
/// <code>
/// var store = new SnapshotStore("/tmp/kumo-snapshots", logger);
/// Snapshot snapshot = await store.GetOrBuildAsync(new SnapshotRequest
/// {
///     PlanHash = plan.ContentHash,
///     FixtureVersion = "1",
///     Engine = EngineDefinition.Embedded(),
///     Seed = (endpoint, ct) => seeder.SeedAsync(endpoint, ct),
/// }, cancellationToken);
/// RestoredDataDir data = await store.RestoreAsync(snapshot, $"/tmp/worker-{workerId}/data", cancellationToken);
/// await using RunningEngine engine = await EngineProcess.StartAsync(EngineDefinition.Embedded(), new EngineStartOptions { DataDir = data.Path });
/// </code>
/// </example>
public sealed partial class SnapshotStore
{
    /// <summary>The snapshot format version; part of every key and manifest. Bump it when the layout or manifest changes.</summary>
    public const int FormatVersion = 1;

    /// <summary>How long a request waits for another builder of the same snapshot by default.</summary>
    public static readonly TimeSpan DefaultLockTimeout = TimeSpan.FromMinutes(10);

    private static readonly TimeSpan DiscardLockTimeout = TimeSpan.FromSeconds(30);
    private const int LogTailLines = 20;

    private readonly ILogger _logger;

    /// <summary>Creates a store rooted at <paramref name="root"/> (created on first use).</summary>
    /// <param name="root">The directory that holds the snapshots; keep it on the same file system as the workers' data directories to allow hard links.</param>
    /// <param name="logger">Receives build, reuse, restore and cleanup events; null logs nothing.</param>
    public SnapshotStore(string root, ILogger? logger = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(root);
        Root = Path.GetFullPath(root);
        _logger = logger ?? NullLogger.Instance;
    }

    /// <summary>The full path of the store root.</summary>
    public string Root { get; }

    /// <summary>
    /// How <see cref="RestoreAsync(Snapshot, string, CancellationToken)"/> materialises files. Default
    /// <see cref="RestoreMode.HardLink"/> (falling back to a copy where the file system refuses a link):
    /// both engines only ever replace data files by rename, so a link is as isolated as a copy and
    /// several times cheaper. Use <see cref="RestoreMode.Copy"/> if anything else writes into workers'
    /// data directories in place.
    /// </summary>
    public RestoreMode RestoreMode { get; init; } = RestoreMode.HardLink;

    /// <summary>How long the build engine may take to flush and exit after SIGTERM before the build fails. Default 30 s.</summary>
    public TimeSpan StopGracePeriod { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long the build engine may take to become healthy. Default 30 s.</summary>
    public TimeSpan EngineHealthTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Called with the name of each build phase as it is reached (tests use it to stop a builder at a known point).</summary>
    internal Action<string>? PhaseHook { get; set; }

    /// <summary>Returns the key a request maps to.</summary>
    /// <param name="request">The request.</param>
    /// <returns>32 lowercase hex digits.</returns>
    public string KeyFor(SnapshotRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        request.Validate();
        return SnapshotKeys.Compute(FormatVersion, request.PlanHash, request.FixtureVersion, request.Engine.Name, request.Engine.Version);
    }

    /// <summary>Returns the published snapshot for <paramref name="request"/> if one exists and its shape is valid, without building.</summary>
    /// <param name="request">The request.</param>
    /// <returns>The snapshot, or null.</returns>
    public Snapshot? TryGet(SnapshotRequest request) => TryOpen(KeyFor(request), request);

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

    /// <summary>
    /// Fully validates <paramref name="snapshot"/> (manifest, every file's size and SHA-256, no extra
    /// files) and checks that it was made by <paramref name="engine"/>.
    /// </summary>
    /// <param name="snapshot">The snapshot.</param>
    /// <param name="engine">The engine it is meant for.</param>
    /// <param name="cancellationToken">Cancels the check.</param>
    /// <returns>The manifest read from disk.</returns>
    /// <exception cref="SnapshotCorruptException">A file is missing or differs; the message names it.</exception>
    /// <exception cref="SnapshotMismatchException">The snapshot was made by another engine or engine version.</exception>
    public Task<SnapshotManifest> ValidateAsync(Snapshot snapshot, EngineDefinition engine, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(engine);
        return Task.Run(
            () =>
            {
                SnapshotManifest manifest = SnapshotValidator.CheckContent(snapshot.Directory, cancellationToken);
                EnsureEngine(snapshot.Directory, manifest, engine);
                return manifest;
            },
            cancellationToken);
    }

    /// <summary>Restores <paramref name="snapshot"/> into <paramref name="targetDirectory"/> using <see cref="RestoreMode"/>.</summary>
    /// <param name="snapshot">The snapshot.</param>
    /// <param name="targetDirectory">The worker's data directory; it must be empty or absent.</param>
    /// <param name="cancellationToken">Cancels the restore; the target is then left absent (or empty).</param>
    /// <returns>The restored directory.</returns>
    /// <exception cref="SnapshotCorruptException">The snapshot does not match its manifest; it is discarded so the next request rebuilds it.</exception>
    /// <exception cref="IOException">The target exists and is not empty.</exception>
    public Task<RestoredDataDir> RestoreAsync(Snapshot snapshot, string targetDirectory, CancellationToken cancellationToken = default)
        => RestoreAsync(snapshot, targetDirectory, RestoreMode, cancellationToken);

    /// <summary>Restores <paramref name="snapshot"/> into <paramref name="targetDirectory"/>.</summary>
    /// <param name="snapshot">The snapshot.</param>
    /// <param name="targetDirectory">The worker's data directory; it must be empty or absent.</param>
    /// <param name="mode">Copy or hard-link the files.</param>
    /// <param name="cancellationToken">Cancels the restore; the target is then left absent (or empty).</param>
    /// <returns>The restored directory.</returns>
    /// <exception cref="SnapshotCorruptException">The snapshot does not match its manifest; it is discarded so the next request rebuilds it.</exception>
    /// <exception cref="IOException">The target exists and is not empty.</exception>
    public async Task<RestoredDataDir> RestoreAsync(Snapshot snapshot, string targetDirectory, RestoreMode mode, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentException.ThrowIfNullOrWhiteSpace(targetDirectory);
        if (!Enum.IsDefined(mode))
        {
            throw new ArgumentOutOfRangeException(nameof(mode), mode, "Use RestoreMode.Copy or RestoreMode.HardLink.");
        }

        string target = Path.GetFullPath(targetDirectory);
        try
        {
            return await SnapshotRestorer.RestoreAsync(snapshot, target, mode, LockPathFor(snapshot.Key), DefaultLockTimeout, _logger, cancellationToken).ConfigureAwait(false);
        }
        catch (SnapshotCorruptException ex)
        {
            LogCorrupt(_logger, ex, snapshot.Key);
            await DiscardAsync(snapshot.Key, snapshot.Manifest.BuildId, ex.Message, cancellationToken).ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Gets or builds the snapshot for <paramref name="request"/> and restores it into
    /// <paramref name="targetDirectory"/>; a snapshot found corrupt during the restore is rebuilt once.
    /// </summary>
    /// <param name="request">What to build and how.</param>
    /// <param name="targetDirectory">The worker's data directory; it must be empty or absent.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <returns>The restored directory.</returns>
    public async Task<RestoredDataDir> RestoreAsync(SnapshotRequest request, string targetDirectory, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        for (int attempt = 1; ; attempt++)
        {
            Snapshot snapshot = await GetOrBuildAsync(request, cancellationToken).ConfigureAwait(false);
            EnsureEngine(snapshot.Directory, snapshot.Manifest, request.Engine);
            try
            {
                return await RestoreAsync(snapshot, targetDirectory, cancellationToken).ConfigureAwait(false);
            }
            catch (SnapshotCorruptException) when (attempt == 1)
            {
                // Discarded by RestoreAsync; the next GetOrBuildAsync rebuilds it.
            }
        }
    }

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

    private Snapshot? TryOpen(string key, SnapshotRequest request)
    {
        string directory = Path.Combine(Root, key);
        if (!Directory.Exists(directory))
        {
            return null;
        }

        try
        {
            SnapshotManifest manifest = SnapshotValidator.CheckShape(directory);
            EnsureEngine(directory, manifest, request.Engine);
            if (manifest.PlanHash != request.PlanHash || manifest.FixtureVersion != request.FixtureVersion)
            {
                throw new SnapshotMismatchException($"Snapshot '{directory}' records plan {manifest.PlanHash} / fixture {manifest.FixtureVersion}, not {request.PlanHash} / {request.FixtureVersion}.");
            }

            return new Snapshot(directory, manifest, built: false);
        }
        catch (Exception ex) when (ex is SnapshotCorruptException or SnapshotMismatchException or IOException)
        {
            LogInvalid(_logger, key, ex.Message);
            return null;
        }
    }

    private static void EnsureEngine(string directory, SnapshotManifest manifest, EngineDefinition engine)
    {
        if (!string.Equals(manifest.Engine.Name, engine.Name, StringComparison.Ordinal) || !string.Equals(manifest.Engine.Version, engine.Version, StringComparison.Ordinal))
        {
            throw new SnapshotMismatchException(
                $"Snapshot '{directory}' was made by {manifest.Engine.Name} {manifest.Engine.Version}, but the engine is {engine.DisplayName}. " +
                "A snapshot is never restored into another engine or engine version (their persistence formats differ); request the snapshot with this engine and it is built under its own key.");
        }
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

    internal string LockPathFor(string key) => Path.Combine(Root, SnapshotLayout.LockPrefix + key);

    private void Phase(string name) => PhaseHook?.Invoke(name);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Reusing snapshot {Key} created {Created:O}")]
    private static partial void LogReused(ILogger logger, string key, DateTimeOffset created);

    [LoggerMessage(Level = LogLevel.Information, Message = "Building snapshot {Key} with {Engine} (plan {PlanHash}, fixture {FixtureVersion})")]
    private static partial void LogBuilding(ILogger logger, string key, string engine, string planHash, string fixtureVersion);

    [LoggerMessage(Level = LogLevel.Information, Message = "Published snapshot {Key}: {Files} files, {Bytes} bytes, in {ElapsedMs} ms")]
    private static partial void LogBuilt(ILogger logger, string key, int files, long bytes, long elapsedMs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Snapshot {Key} is not usable and will be rebuilt: {Reason}")]
    private static partial void LogInvalid(ILogger logger, string key, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Snapshot {Key} is corrupt")]
    private static partial void LogCorrupt(ILogger logger, Exception exception, string key);

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
