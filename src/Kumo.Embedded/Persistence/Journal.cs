using System.Buffers;
using Kumo.Storage;
using Microsoft.Extensions.Logging;

namespace Kumo.Embedded.Persistence;

/// <summary>
/// One service's append-only journal of mutations, written by its own writer task with group commit.
/// </summary>
/// <remarks>
/// <para>
/// A service appends a record under its own state lock (so the journal's order is the order the
/// mutations were applied) and gets a sequence number back. The writer takes everything appended so
/// far in one swap and writes it with one <c>write</c>: in <see cref="KumoDurability.Flush"/> mode as
/// soon as it is appended (so a killed process loses nothing the kernel has), with an fsync every
/// flush interval (the power-loss window); in <see cref="KumoDurability.Sync"/> mode followed by an
/// fsync, after which <see cref="WhenDurableAsync"/> completes for every record of the batch.
/// Records that arrive while an fsync runs form the next batch (group commit).
/// </para>
/// <para>
/// Records go to numbered segment files. <see cref="Rotate"/> (called by a checkpoint under the
/// service lock) starts a new segment; once the checkpoint's state document is durable the segments
/// before it are deleted. A write that fails moves the journal to a fresh segment, so a torn record
/// is always the last one of its file.
/// </para>
/// </remarks>
internal sealed partial class Journal : IAsyncDisposable
{
    private readonly string _dataDir;
    private readonly string _service;
    private readonly KumoDurability _mode;
    private readonly TimeSpan _interval;
    private readonly ILogger _logger;
    private readonly JournalHooks _hooks;
    private readonly Lock _lock = new();
    private readonly SemaphoreSlim _wake = new(0, int.MaxValue);
    private readonly CancellationTokenSource _stop = new();
    private readonly List<(long Segment, TaskCompletionSource Done)> _sealWaiters = [];
    private List<Chunk> _pending;
    private long _segment;
    private long _closedThrough;
    private long _lastSequence;
    private long _durableSequence;
    private long _inFlightLast;
    private TaskCompletionSource? _inFlight;
    private TaskCompletionSource _next = NewCompletion();
    private bool _syncRequested;
    private int _signaled;
    private long _bytesSinceRotation;
    private FileStream? _file;
    private long _fileSegment;
    private Task? _loop;

    public Journal(string dataDir, string service, long firstSegment, KumoDurability mode, TimeSpan interval, JournalHooks hooks, ILogger logger)
    {
        _dataDir = dataDir;
        _service = service;
        _segment = firstSegment;
        _closedThrough = firstSegment - 1;
        _mode = mode;
        _interval = interval;
        _hooks = hooks;
        _logger = logger;
        _pending = [new Chunk(firstSegment)];
    }

    /// <summary>Bytes appended since the last <see cref="Rotate"/> (what a checkpoint would let us delete).</summary>
    public long BytesSinceRotation
    {
        get
        {
            lock (_lock)
            {
                return _bytesSinceRotation;
            }
        }
    }

    public void Start() => _loop = Task.Run(RunAsync);

    /// <summary>Appends one record; call under the service's state lock. Returns its sequence number.</summary>
    public long Append(ReadOnlySpan<byte> payload)
    {
        long sequence;
        lock (_lock)
        {
            JournalFrame.Write(_pending[^1].Buffer, payload);
            _bytesSinceRotation += JournalFrame.HeaderSize + payload.Length;
            sequence = ++_lastSequence;
        }

        Signal();
        return sequence;
    }

    /// <summary>
    /// Completes once the record <paramref name="sequence"/> is durable: at once in flush mode (the
    /// promise there is the flush interval), after the fsync of its batch in sync mode.
    /// </summary>
    public Task WhenDurableAsync(long sequence)
    {
        if (_mode != KumoDurability.Sync || sequence <= 0)
        {
            return Task.CompletedTask;
        }

        lock (_lock)
        {
            if (sequence <= _durableSequence)
            {
                return Task.CompletedTask;
            }

            return _inFlight is not null && sequence <= _inFlightLast ? _inFlight.Task : _next.Task;
        }
    }

    /// <summary>The sequence number of the last record appended (0 before the first).</summary>
    public long LastSequence
    {
        get
        {
            lock (_lock)
            {
                return _lastSequence;
            }
        }
    }

    /// <summary>Writes and fsyncs everything appended so far, whatever the mode.</summary>
    public Task SyncAsync()
    {
        Task done;
        lock (_lock)
        {
            if (_lastSequence <= _durableSequence)
            {
                return Task.CompletedTask;
            }

            _syncRequested = true;
            done = _inFlight is not null && _lastSequence <= _inFlightLast ? _inFlight.Task : _next.Task;
        }

        Signal();
        return done;
    }

    /// <summary>
    /// Starts a new segment: records appended from now on go to it. Call under the service's state
    /// lock, in the same critical section that captures the state for a checkpoint.
    /// </summary>
    /// <returns>The new segment, which the checkpoint names as the first one to replay.</returns>
    public long Rotate()
    {
        lock (_lock)
        {
            _segment++;
            _pending.Add(new Chunk(_segment));
            _bytesSinceRotation = 0;
            return _segment;
        }
    }

    /// <summary>Completes once every segment before <paramref name="segment"/> is written, fsynced and closed.</summary>
    public Task SealedBeforeAsync(long segment)
    {
        Task done;
        lock (_lock)
        {
            if (_closedThrough >= segment - 1)
            {
                return Task.CompletedTask;
            }

            var waiter = NewCompletion();
            _sealWaiters.Add((segment - 1, waiter));
            done = waiter.Task;
        }

        Signal();
        return done;
    }

    /// <summary>Deletes the segment files before <paramref name="segment"/> (their records are in a durable checkpoint).</summary>
    public void DeleteBefore(long segment)
    {
        foreach ((long number, string path) in JournalSegments.List(_dataDir, _service))
        {
            if (number < segment)
            {
                File.Delete(path);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        if (_loop is not null)
        {
            await _loop.ConfigureAwait(false);
        }

        CloseFile();
        _stop.Dispose();
        _wake.Dispose();
    }

    private void Signal()
    {
        if (Interlocked.Exchange(ref _signaled, 1) == 0)
        {
            _wake.Release();
        }
    }

    private async Task RunAsync()
    {
        DateTime nextSync = DateTime.UtcNow + _interval;
        while (true)
        {
            bool stopping = _stop.IsCancellationRequested;
            if (!stopping)
            {
                TimeSpan wait = nextSync - DateTime.UtcNow;
                try
                {
                    await _wake.WaitAsync(wait > TimeSpan.Zero ? wait : TimeSpan.Zero, _stop.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    stopping = true;
                }
            }

            Interlocked.Exchange(ref _signaled, 0);
            bool sync;
            lock (_lock)
            {
                sync = _mode == KumoDurability.Sync || _syncRequested || stopping || DateTime.UtcNow >= nextSync;
            }

            try
            {
                Cycle(sync);
                if (sync)
                {
                    nextSync = DateTime.UtcNow + _interval;
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                LogWriteFailed(_logger, ex, _service, _dataDir);
                if (stopping)
                {
                    return;
                }

                try
                {
                    await Task.Delay(_interval, _stop.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                }

                continue;
            }

            if (stopping)
            {
                return;
            }
        }
    }

    /// <summary>Writes everything pending; with <paramref name="sync"/>, makes it durable and completes its waiters.</summary>
    private void Cycle(bool sync)
    {
        if (sync)
        {
            _hooks.BeforeBatch?.Invoke();
        }

        List<Chunk> chunks;
        long last;
        TaskCompletionSource? commit = null;
        lock (_lock)
        {
            chunks = _pending;
            _pending = [new Chunk(_segment)];
            last = _lastSequence;
            if (sync)
            {
                commit = _next;
                _next = NewCompletion();
                _inFlight = commit;
                _inFlightLast = last;
                _syncRequested = false;
            }
        }

        try
        {
            foreach (Chunk chunk in chunks)
            {
                if (_file is not null && _fileSegment != chunk.Segment)
                {
                    CloseFile();
                }

                if (chunk.Buffer.WrittenCount == 0)
                {
                    continue;
                }

                WriteChunk(chunk);
            }

            SealThrough(chunks[^1].Segment - 1);
            if (sync)
            {
                _hooks.BeforeSync?.Invoke();
                _file?.Flush(flushToDisk: true);
                lock (_lock)
                {
                    _durableSequence = Math.Max(_durableSequence, last);
                    _inFlight = null;
                }

                commit!.TrySetResult();
                _hooks.AfterSync?.Invoke();
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Start a fresh segment so that a torn record stays the last one of its file, and keep
            // the batch for the next attempt. Sync-mode waiters of this batch learn of the failure.
            CloseFileQuietly();
            lock (_lock)
            {
                _segment++;
                var retry = new Chunk(_segment);
                foreach (Chunk chunk in chunks)
                {
                    retry.Buffer.Write(chunk.Buffer.WrittenSpan);
                }

                foreach (Chunk chunk in _pending)
                {
                    retry.Buffer.Write(chunk.Buffer.WrittenSpan);
                }

                _pending = [retry];
                _inFlight = null;
            }

            commit?.TrySetException(ex);
            throw;
        }
    }

    private void WriteChunk(Chunk chunk)
    {
        if (_file is null)
        {
            string path = JournalSegments.PathOf(_dataDir, _service, chunk.Segment);
            bool created = !File.Exists(path);
            _file = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read, bufferSize: 0);
            _fileSegment = chunk.Segment;
            if (created)
            {
                Fsync.Path(_dataDir);
            }
        }

        _file.Write(chunk.Buffer.WrittenSpan);
    }

    private void SealThrough(long segment)
    {
        List<TaskCompletionSource> done = [];
        lock (_lock)
        {
            if (segment <= _closedThrough)
            {
                return;
            }

            _closedThrough = segment;
            _sealWaiters.RemoveAll(w =>
            {
                if (w.Segment > segment)
                {
                    return false;
                }

                done.Add(w.Done);
                return true;
            });
        }

        foreach (TaskCompletionSource waiter in done)
        {
            waiter.TrySetResult();
        }
    }

    private void CloseFile()
    {
        if (_file is null)
        {
            return;
        }

        _file.Flush(flushToDisk: true);
        _file.Dispose();
        _file = null;
    }

    private void CloseFileQuietly()
    {
        try
        {
            _file?.Dispose();
        }
        catch (IOException)
        {
        }

        _file = null;
    }

    private static TaskCompletionSource NewCompletion() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    [LoggerMessage(Level = LogLevel.Error, Message = "Writing the {Service} journal in {DataDir} failed; retrying in a new segment")]
    private static partial void LogWriteFailed(ILogger logger, Exception ex, string service, string dataDir);

    private sealed class Chunk(long segment)
    {
        public long Segment { get; } = segment;

        public ArrayBufferWriter<byte> Buffer { get; } = new(4096);
    }
}
