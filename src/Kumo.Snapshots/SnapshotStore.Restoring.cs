using Kumo.Engines;
using Microsoft.Extensions.Logging;

namespace Kumo.Snapshots;

/// <summary>Restoring: a snapshot is validated and materialised (hard links or copies) into a worker's data directory; a corrupt one is discarded and rebuilt once.</summary>
public sealed partial class SnapshotStore
{
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

    [LoggerMessage(Level = LogLevel.Error, Message = "Snapshot {Key} is corrupt")]
    private static partial void LogCorrupt(ILogger logger, Exception exception, string key);
}
