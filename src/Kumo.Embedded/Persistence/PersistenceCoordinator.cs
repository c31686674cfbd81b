using System.Globalization;
using Kumo.Storage;
using Microsoft.Extensions.Logging;

namespace Kumo.Embedded.Persistence;

/// <summary>
/// Loads every service's checkpoint and journal at start, runs each service's journal and its
/// background checkpoints independently (S3 never waits for SQS or the reverse), and writes a final
/// checkpoint on stop.
/// </summary>
/// <remarks>
/// <para>
/// Loading is total: a checkpoint or journal record the engine cannot use (bad JSON, a null where a
/// value belongs, an invalid name) is logged with the file and the field, the service's files are
/// moved aside as <c>&lt;file&gt;.corrupt-&lt;time&gt;</c>, and the service starts empty; with
/// <see cref="KumoEngineOptions.RefuseCorruptState"/> the start fails with that message instead. A torn
/// record at the end of a journal segment (a write cut short by a crash) ends that segment's replay.
/// </para>
/// <para>
/// A checkpoint is taken when a service's journal has grown past the size of its last checkpoint
/// (at least <see cref="MinCheckpointBytes"/>), so replay at start is bounded by about twice the state
/// and the cost of checkpoints per mutation stays constant whatever the state size. Checkpoint files
/// are replaced atomically (<see cref="AtomicFile"/>); segments are deleted only once the checkpoint
/// that covers them is durable.
/// </para>
/// </remarks>
internal sealed partial class PersistenceCoordinator : IAsyncDisposable
{
    /// <summary>The journal size below which no checkpoint is taken.</summary>
    public const long MinCheckpointBytes = 4 * 1024 * 1024;

    /// <summary>How long a stop waits for the final checkpoint before giving up on it (the journal keeps the data).</summary>
    private static readonly TimeSpan FinalCheckpointTimeout = TimeSpan.FromSeconds(20);

    private readonly IReadOnlyList<IPersistentService> _services;
    private readonly string? _dataDir;
    private readonly KumoEngineOptions _options;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private readonly Dictionary<IPersistentService, ServiceJournal> _journals = [];
    private readonly List<Task> _loops = [];

    public PersistenceCoordinator(IReadOnlyList<IPersistentService> services, string? dataDir, KumoEngineOptions options, ILogger logger)
    {
        _services = services;
        _dataDir = dataDir;
        _options = options;
        _logger = logger;
    }

    /// <summary>The number of checkpoints written.</summary>
    public long CheckpointCount { get; private set; }

    /// <exception cref="KumoStateException">A file cannot be used and <see cref="KumoEngineOptions.RefuseCorruptState"/> is set.</exception>
    public void LoadAll()
    {
        if (_dataDir is null)
        {
            foreach (IPersistentService service in _services)
            {
                service.Attach(null);
            }

            return;
        }

        Directory.CreateDirectory(_dataDir);
        StaleTemporaryFiles.Sweep(_dataDir);
        long loadedBytes = 0;
        foreach (IPersistentService service in _services)
        {
            (long nextSegment, long replayedBytes) = Load(service);
            var journal = new Journal(_dataDir, service.Name, nextSegment, _options.Durability, _options.FlushInterval, service.Hooks, _logger);
            service.Attach(journal);
            _journals[service] = new ServiceJournal(journal) { LastCheckpointBytes = replayedBytes, ReplayedSegments = replayedBytes > 0 };
            var checkpoint = new FileInfo(CheckpointPath(service));
            loadedBytes += replayedBytes + (checkpoint.Exists ? checkpoint.Length : 0);
        }

        if (loadedBytes >= MinCheckpointBytes)
        {
            // What the load read and parsed (each checkpoint's bytes, its document, the journal segments) is garbage
            // now, much of it on the large-object heap, which only a full collection frees; nothing else would run
            // one soon, so the memory would stay resident. Once, before the first request: 0.1-0.25 s at 100,000 objects.
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        }
    }

    public void Start()
    {
        foreach ((IPersistentService service, ServiceJournal journal) in _journals)
        {
            journal.Journal.Start();
            _loops.Add(Task.Run(() => CheckpointLoopAsync(service, journal)));
        }
    }

    /// <summary>Writes a checkpoint of every service now (the journals are then empty).</summary>
    public Task FlushAsync(CancellationToken cancellationToken = default) =>
        Task.WhenAll(_journals.Select(j => CheckpointAsync(j.Key, j.Value, cancellationToken)));

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(_loops).ConfigureAwait(false);
        try
        {
            // Bounded: a data directory that fails every write (deleted, full, read-only) must not hang the stop.
            await FlushAsync().WaitAsync(FinalCheckpointTimeout).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or TimeoutException)
        {
            // The journal holds everything written: the next start replays it.
            LogCheckpointFailed(_logger, ex, "all", _dataDir ?? "(memory)");
        }

        foreach (ServiceJournal journal in _journals.Values)
        {
            await journal.Journal.DisposeAsync().ConfigureAwait(false);
            journal.Gate.Dispose();
        }

        _stop.Dispose();
    }

    private (long NextSegment, long ReplayedBytes) Load(IPersistentService service)
    {
        string checkpoint = CheckpointPath(service);
        IReadOnlyList<(long Segment, string Path)> segments = JournalSegments.List(_dataDir!, service.Name);
        long next = segments.Count == 0 ? 1 : segments[^1].Segment + 1;
        string current = checkpoint;
        long replayed = 0;
        try
        {
            long from = 1;
            if (File.Exists(checkpoint))
            {
                from = service.LoadCheckpoint(File.ReadAllBytes(checkpoint));
                LogLoaded(_logger, service.Name, checkpoint);
            }

            foreach ((long segment, string path) in segments)
            {
                if (segment < from)
                {
                    File.Delete(path); // covered by the checkpoint (a crash came between the checkpoint and this deletion)
                    continue;
                }

                current = path;
                byte[] data = File.ReadAllBytes(path);
                replayed += data.Length;
                int offset = 0;
                int index = 0;
                while (JournalFrame.TryRead(data, ref offset, out ReadOnlyMemory<byte> record))
                {
                    try
                    {
                        service.Replay(record.Span);
                    }
                    catch (Exception ex)
                    {
                        throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"record {index} (byte {offset - record.Length - JournalFrame.HeaderSize}): {ex.Message}"), ex);
                    }

                    index++;
                }

                if (offset < data.Length)
                {
                    LogTornTail(_logger, path, offset, data.Length - offset);
                }
            }

            current = checkpoint;
            service.FinishLoad();
            return (Math.Max(next, from), replayed);
        }
        catch (Exception ex) when (ex is not KumoStateException)
        {
            string problem = $"{Path.GetFileName(current)}: {ex.Message}";
            if (_options.RefuseCorruptState)
            {
                throw new KumoStateException($"Cannot load {service.Name} state from {_dataDir}: {problem} Fix or remove the file, or set KUMO_CORRUPT_STATE=quarantine to move it aside and start empty.", ex);
            }

            service.Reset();
            string suffix = ".corrupt-" + DateTime.UtcNow.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture);
            string quarantine = checkpoint + suffix;
            if (File.Exists(checkpoint))
            {
                File.Move(checkpoint, quarantine, overwrite: true);
            }

            foreach ((_, string path) in JournalSegments.List(_dataDir!, service.Name))
            {
                File.Move(path, path + suffix, overwrite: true);
            }

            LogLoadFailed(_logger, ex, service.Name, problem, _dataDir!, suffix);
            return (next, 0);
        }
    }

    private async Task CheckpointLoopAsync(IPersistentService service, ServiceJournal journal)
    {
        using var timer = new PeriodicTimer(_options.FlushInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token).ConfigureAwait(false))
            {
                if (journal.Journal.BytesSinceRotation < Math.Max(MinCheckpointBytes, journal.LastCheckpointBytes))
                {
                    continue;
                }

                try
                {
                    await CheckpointAsync(service, journal, _stop.Token).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    LogCheckpointFailed(_logger, ex, service.Name, _dataDir!);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task CheckpointAsync(IPersistentService service, ServiceJournal journal, CancellationToken cancellationToken)
    {
        await journal.Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // Make what is pending durable first, so its housekeeping (deleting released bodies) runs too.
            await journal.Journal.SyncAsync().ConfigureAwait(false);
            if (journal.Journal.BytesSinceRotation == 0 && !journal.ReplayedSegments)
            {
                return; // nothing changed since the last checkpoint (or ever): leave the files as they are
            }

            long segment = 0;
            Func<Stream, CancellationToken, Task> write = await Task.Run(() => service.Checkpoint(() => segment = journal.Journal.Rotate()), cancellationToken).ConfigureAwait(false);
            await journal.Journal.SealedBeforeAsync(segment).ConfigureAwait(false);
            string path = CheckpointPath(service);
            await AtomicFile.WriteAsync(path, write, CancellationToken.None).ConfigureAwait(false);
            journal.Journal.DeleteBefore(segment);
            journal.LastCheckpointBytes = new FileInfo(path).Length;
            journal.ReplayedSegments = false;
            CheckpointCount++;
        }
        finally
        {
            journal.Gate.Release();
        }
    }

    private string CheckpointPath(IPersistentService service) => Path.Combine(_dataDir!, service.Name + ".json");

    [LoggerMessage(Level = LogLevel.Information, Message = "Loaded {Service} state from {Path}")]
    private static partial void LogLoaded(ILogger logger, string service, string path);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not load {Service} state: {Problem}. Starting it empty; its files in {DataDir} were moved aside with the suffix {Suffix} (KUMO_CORRUPT_STATE=refuse stops the start instead)")]
    private static partial void LogLoadFailed(ILogger logger, Exception ex, string service, string problem, string dataDir, string suffix);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The journal {Path} ends with {Length} bytes of a record cut short at byte {Offset} (a crash mid-write); the records before it were replayed")]
    private static partial void LogTornTail(ILogger logger, string path, int offset, int length);

    [LoggerMessage(Level = LogLevel.Error, Message = "Writing the {Service} checkpoint to {DataDir} failed; the journal keeps every change and it will be retried")]
    private static partial void LogCheckpointFailed(ILogger logger, Exception ex, string service, string dataDir);

    private sealed class ServiceJournal(Journal journal)
    {
        public Journal Journal { get; } = journal;

        public SemaphoreSlim Gate { get; } = new(1, 1);

        public long LastCheckpointBytes { get; set; }

        /// <summary>Segments of an earlier run were replayed: the next checkpoint is due even without new records.</summary>
        public bool ReplayedSegments { get; set; }
    }
}
