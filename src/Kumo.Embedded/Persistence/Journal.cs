using System.Buffers;
using Kumo.Storage;
using Microsoft.Extensions.Logging;

namespace Kumo.Embedded.Persistence;

/// <summary>
/// One service's append-only journal of mutations: a writer that hands every record to the kernel
/// as soon as it is appended, and a syncer that makes what was written durable (group commit).
/// </summary>
/// <remarks>
/// <para>
/// A service appends a record under its own state lock (so the journal's order is the order the
/// mutations were applied) and gets a sequence number back. The writer takes everything appended so
/// far in one swap and writes it with one <c>write</c>, whatever the mode: a killed process loses
/// only what the writer had not reached, milliseconds' worth. The writer never waits for an fsync.
/// </para>
/// <para>
/// The syncer fsyncs the bodies the written records name and the journal segments, then advances the
/// durable sequence number: every flush interval in <see cref="KumoDurability.Flush"/> mode (the
/// power-loss window), and continuously in <see cref="KumoDurability.Sync"/> mode, where
/// <see cref="WhenDurableAsync"/> holds each acknowledgement until its record is durable; records
/// appended while an fsync runs are made durable together by the next one (group commit).
/// </para>
/// <para>
/// Records go to numbered segment files. <see cref="Rotate"/> (called by a checkpoint under the
/// service lock) starts a new segment; once the checkpoint's document is durable the segments before
/// it are deleted. A write that fails moves the journal to a fresh segment, so a torn record is always
/// the last one of its file.
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
    private readonly Signal _writeWanted = new();
    private readonly Signal _syncWanted = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly List<(long Segment, TaskCompletionSource Done)> _sealWaiters = [];
    private readonly HashSet<long> _unsyncedSegments = [];
    private readonly Lock _writeGate = new();
    private List<Chunk> _pending;
    private ArrayBufferWriter<byte>? _spareBuffer;
    private long _segment;
    private long _closedThrough;
    private long _lastSequence;
    private long _writtenSequence;
    private long _durableSequence;
    private TaskCompletionSource _durable = NewCompletion();
    private bool _syncRequested;
    private bool _segmentCreated;
    private long _bytesSinceRotation;
    private FileStream? _file;
    private long _fileSegment;
    private Thread? _writer;
    private Thread? _syncer;

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

    /// <summary>Starts the writer and the syncer, each on its own thread (never queued behind request work).</summary>
    public void Start()
    {
        _writer = new Thread(WriteLoop) { IsBackground = true, Name = $"kumo-{_service}-journal-writer" };
        _syncer = new Thread(SyncLoop) { IsBackground = true, Name = $"kumo-{_service}-journal-syncer" };
        _writer.Start();
        _syncer.Start();
    }

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

        _writeWanted.Set();
        if (_mode == KumoDurability.Sync)
        {
            _syncWanted.Set();
        }

        return sequence;
    }

    /// <summary>
    /// Completes once the record <paramref name="sequence"/> is durable: at once in flush mode (the
    /// promise there is the flush interval), after the fsync that covers it in sync mode.
    /// </summary>
    public Task WhenDurableAsync(long sequence) =>
        _mode != KumoDurability.Sync || sequence <= 0 ? Task.CompletedTask : DurableThroughAsync(sequence);

    /// <summary>Writes and fsyncs everything appended so far, whatever the mode.</summary>
    public Task SyncAsync()
    {
        long target;
        lock (_lock)
        {
            target = _lastSequence;
            if (target <= _durableSequence)
            {
                return Task.CompletedTask;
            }

            _syncRequested = true;
        }

        _syncWanted.Set();
        return DurableThroughAsync(target);
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

    /// <summary>Completes once every segment before <paramref name="segment"/> is written and closed.</summary>
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

        _writeWanted.Set();
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

    /// <summary>Writes and fsyncs what is pending, then stops the writer and the syncer.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _writeWanted.Set();
        _syncWanted.Set();
        await Task.Run(() =>
        {
            _writer?.Join();
            _syncer?.Join();
        }).ConfigureAwait(false);
        _file?.Dispose();
        _stop.Dispose();
    }

    private async Task DurableThroughAsync(long sequence)
    {
        while (true)
        {
            Task advanced;
            lock (_lock)
            {
                if (sequence <= _durableSequence)
                {
                    return;
                }

                advanced = _durable.Task;
            }

            await advanced.ConfigureAwait(false);
        }
    }

    private void WriteLoop()
    {
        while (true)
        {
            bool stopping = _stop.IsCancellationRequested;
            if (!stopping)
            {
                _writeWanted.Wait(Timeout.InfiniteTimeSpan, _stop.Token);
            }

            try
            {
                WritePending();
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                LogWriteFailed(_logger, ex, _service, _dataDir);
                if (stopping)
                {
                    return;
                }

                _stop.Token.WaitHandle.WaitOne(_interval); // back off whatever signals arrive
                _writeWanted.Set(); // retry
                continue;
            }

            if (stopping)
            {
                return;
            }

            if (_mode == KumoDurability.Flush)
            {
                // Let records gather: a busy writer otherwise wakes (spinning) for every record.
                _stop.Token.WaitHandle.WaitOne(FlushBatchDelay);
            }
        }
    }

    /// <summary>
    /// How long the writer lets records gather after a write in <see cref="KumoDurability.Flush"/> mode, where no
    /// acknowledgement waits for it: a batch per 2 ms instead of a wake-up (with the semaphore's spin) per record. A
    /// wake-up of the writer costs about 40 µs of CPU however few records it finds: per data-dir PutObject the writer took
    /// 4.6 µs at 1 connection and 3.0 at 8 with a 1 ms batch, 3.2 and 2.0 with 2 ms, 2.2 and 1.5 with 4 ms. Not 4 ms:
    /// the writer must empty the bodies' lane buffers before a request fills one (256 KiB, 63 bodies of 4 KiB, written
    /// on the request's thread when full); at 18,500 PUTs a second with 4 ms, 55 % of the lane writes ran on request
    /// threads, and 2 ms keeps them on the writer up to about 30,000 (bench/results/request-cost.md sections 6 and
    /// 16). A kill loses at most this much more, far inside the flush interval that bounds the loss.
    /// </summary>
    private static readonly TimeSpan FlushBatchDelay = TimeSpan.FromMilliseconds(2);

    /// <summary>Writes everything appended so far to the segment files (page cache), in order; the writer and the syncer both call it.</summary>
    private void WritePending()
    {
        lock (_writeGate)
        {
            WritePendingLocked();
        }
    }

    private void WritePendingLocked()
    {
        List<Chunk> chunks;
        long last;
        lock (_lock)
        {
            chunks = _pending;
            _pending = [new Chunk(_segment, TakeSpareBuffer())];
            last = _lastSequence;
        }

        try
        {
            if (_hooks.BeforeWrite is { } beforeWrite && chunks.Exists(static chunk => chunk.Buffer.WrittenCount > 0))
            {
                beforeWrite();
            }

            foreach (Chunk chunk in chunks)
            {
                if (_file is not null && _fileSegment != chunk.Segment)
                {
                    _file.Dispose();
                    _file = null;
                }

                if (chunk.Buffer.WrittenCount > 0)
                {
                    WriteChunk(chunk);
                }
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Start a fresh segment so that a torn record stays the last one of its file, and keep
            // every record not known to be written for the next attempt.
            try
            {
                _file?.Dispose();
            }
            catch (IOException)
            {
            }

            _file = null;
            lock (_lock)
            {
                _segment++;
                var retry = new Chunk(_segment);
                foreach (Chunk chunk in chunks.Concat(_pending))
                {
                    retry.Buffer.Write(chunk.Buffer.WrittenSpan);
                }

                _pending = [retry];
            }

            throw;
        }

        List<TaskCompletionSource> sealedWaiters = [];
        long sealedThrough = chunks[^1].Segment - 1;
        lock (_lock)
        {
            KeepSpareBuffer(chunks[^1].Buffer);
            _writtenSequence = Math.Max(_writtenSequence, last);
            if (sealedThrough > _closedThrough)
            {
                _closedThrough = sealedThrough;
                _sealWaiters.RemoveAll(w =>
                {
                    if (w.Segment > sealedThrough)
                    {
                        return false;
                    }

                    sealedWaiters.Add(w.Done);
                    return true;
                });
            }
        }

        foreach (TaskCompletionSource waiter in sealedWaiters)
        {
            waiter.TrySetResult();
        }
    }

    /// <summary>The buffer kept from the last write, emptied, or a new one; call under <c>_lock</c>.</summary>
    private ArrayBufferWriter<byte> TakeSpareBuffer()
    {
        ArrayBufferWriter<byte>? spare = _spareBuffer;
        _spareBuffer = null;
        return spare ?? new ArrayBufferWriter<byte>(InitialChunkCapacity);
    }

    /// <summary>
    /// Keeps a written buffer for the next swap. A busy journal otherwise grew a new buffer from 4 KiB every batch: at
    /// 24,000 SendMessages a second, the new arrays' clearing, page faults and copies were half of
    /// <see cref="Append"/>, which runs under the service's state lock. A buffer a burst grew past
    /// <see cref="MaxSpareCapacity"/> is let go. Call under <c>_lock</c>.
    /// </summary>
    private void KeepSpareBuffer(ArrayBufferWriter<byte> buffer)
    {
        if (buffer.Capacity <= MaxSpareCapacity)
        {
            buffer.ResetWrittenCount();
            _spareBuffer = buffer;
        }
    }

    private const int InitialChunkCapacity = 4096;
    private const int MaxSpareCapacity = 1 << 20;

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
                lock (_lock)
                {
                    _segmentCreated = true;
                }
            }
        }

        lock (_lock)
        {
            _unsyncedSegments.Add(chunk.Segment);
        }

        _file.Write(chunk.Buffer.WrittenSpan);
    }

    private void SyncLoop()
    {
        DateTime nextSync = DateTime.UtcNow + _interval;
        while (true)
        {
            bool stopping = _stop.IsCancellationRequested;
            if (!stopping)
            {
                TimeSpan wait = _mode == KumoDurability.Sync ? Timeout.InfiniteTimeSpan : nextSync - DateTime.UtcNow;
                _syncWanted.Wait(wait < TimeSpan.Zero ? TimeSpan.Zero : wait, _stop.Token);
            }

            bool due;
            lock (_lock)
            {
                due = stopping || _syncRequested || _mode == KumoDurability.Sync || DateTime.UtcNow >= nextSync;
                due &= _lastSequence > _durableSequence; // bodies to delete only come with records
            }

            if (!due)
            {
                if (stopping)
                {
                    return;
                }

                // Nothing to make durable at the deadline: wait a whole interval again. (Without this an
                // idle journal's deadline stays in the past and the loop spins a core with zero-length waits.)
                DateTime now = DateTime.UtcNow;
                if (now >= nextSync)
                {
                    nextSync = now + _interval;
                }

                continue;
            }

            try
            {
                SyncOnce();
                nextSync = DateTime.UtcNow + _interval;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                LogSyncFailed(_logger, ex, _service, _dataDir);

                // Sync-mode requests waiting for this commit learn that it failed (a 500, not a hang).
                TaskCompletionSource failed;
                lock (_lock)
                {
                    failed = _durable;
                    _durable = NewCompletion();
                }

                failed.TrySetException(ex);
                if (!stopping)
                {
                    _stop.Token.WaitHandle.WaitOne(_interval); // back off whatever signals arrive
                }
            }

            if (stopping)
            {
                return;
            }

            lock (_lock)
            {
                if (_mode == KumoDurability.Sync && _lastSequence > _durableSequence)
                {
                    _syncWanted.Set(); // records arrived during the fsync: the next group
                }
            }
        }
    }

    /// <summary>Makes every record appended so far durable: written here (no hand-over to the writer), then bodies, then the journal fsynced.</summary>
    private void SyncOnce()
    {
        _hooks.BeforeBatch?.Invoke();
        WritePending();

        long[] segments;
        long written;
        bool created;
        lock (_lock)
        {
            written = _writtenSequence;
            segments = [.. _unsyncedSegments];
            _unsyncedSegments.Clear();
            _syncRequested = false;
            created = _segmentCreated;
            _segmentCreated = false;
        }

        try
        {
            _hooks.BeforeSync?.Invoke();
            foreach (long segment in segments)
            {
                string path = JournalSegments.PathOf(_dataDir, _service, segment);
                try
                {
                    Fsync.Path(path); // fsync is per file, whichever descriptor asks
                }
                catch (IOException) when (!File.Exists(path))
                {
                    // Deleted by a checkpoint that covers it: nothing left to make durable.
                }
            }

            if (created)
            {
                Fsync.Path(_dataDir); // a new segment file's directory entry
            }
        }
        catch
        {
            lock (_lock)
            {
                _unsyncedSegments.UnionWith(segments);
                _segmentCreated |= created;
            }

            throw;
        }

        TaskCompletionSource durable;
        lock (_lock)
        {
            _durableSequence = Math.Max(_durableSequence, written);
            durable = _durable;
            _durable = NewCompletion();
        }

        durable.TrySetResult();
        _hooks.AfterSync?.Invoke();
    }

    private static TaskCompletionSource NewCompletion() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    [LoggerMessage(Level = LogLevel.Error, Message = "Writing the {Service} journal in {DataDir} failed; retrying in a new segment")]
    private static partial void LogWriteFailed(ILogger logger, Exception ex, string service, string dataDir);

    [LoggerMessage(Level = LogLevel.Error, Message = "Making the {Service} journal in {DataDir} durable (fsync) failed; retrying")]
    private static partial void LogSyncFailed(ILogger logger, Exception ex, string service, string dataDir);

    private sealed class Chunk(long segment, ArrayBufferWriter<byte> buffer)
    {
        public Chunk(long segment)
            : this(segment, new ArrayBufferWriter<byte>(InitialChunkCapacity))
        {
        }

        public long Segment { get; } = segment;

        public ArrayBufferWriter<byte> Buffer { get; } = buffer;
    }

    /// <summary>An auto-reset wake-up: many <see cref="Set"/> calls before a wait count as one.</summary>
    private sealed class Signal
    {
        private readonly SemaphoreSlim _semaphore = new(0, int.MaxValue);
        private int _set;

        public void Set()
        {
            if (Interlocked.Exchange(ref _set, 1) == 0)
            {
                _semaphore.Release();
            }
        }

        /// <summary>Blocks until a <see cref="Set"/> (or the timeout, or the stop); never throws for the stop.</summary>
        public void Wait(TimeSpan timeout, CancellationToken stop)
        {
            try
            {
                _semaphore.Wait(timeout, stop);
            }
            catch (OperationCanceledException)
            {
            }

            Interlocked.Exchange(ref _set, 0);
        }
    }
}
