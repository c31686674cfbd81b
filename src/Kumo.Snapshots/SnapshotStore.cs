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

    internal string LockPathFor(string key) => Path.Combine(Root, SnapshotLayout.LockPrefix + key);

    private void Phase(string name) => PhaseHook?.Invoke(name);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Snapshot {Key} is not usable and will be rebuilt: {Reason}")]
    private static partial void LogInvalid(ILogger logger, string key, string reason);
}
