using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using System.Runtime.CompilerServices;
using Kumo.Embedded.Persistence;
using Kumo.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Win32.SafeHandles;

namespace Kumo.Embedded.S3;

/// <summary>
/// Small object bodies appended to a few large files, <c>s3-segments/segment-&lt;n&gt;</c>, instead of a file
/// each: a body is an extent (a header naming its content key, then its bytes) found by (segment, offset, length).
/// </summary>
/// <remarks>
/// <para>
/// Appends go through a few lanes, each with its own active segment and one writer at a time, so a segment is
/// always whole extents followed at most by one torn one, and concurrent requests write to different files instead
/// of taking turns for one file's inode lock. A lane gathers its appends in a buffer and writes them to its segment
/// in one <c>pwrite</c> when the buffer is full, when a reader opens one of them (<see cref="TryOpen"/>), when the
/// journal is about to write records (<see cref="Flush"/>), or before a <see cref="Sync"/>: a write per body was a
/// quarter of a PUT's CPU (a system call and a page-cache copy each). So no record or checkpoint names a body that is
/// not in its file, and a killed engine loses only bodies nothing names yet. Only this process's own
/// segments are written: segments found on start are read and eventually unlinked, never written (a restored
/// snapshot may hard-link them), and the index (content key → extent) is rebuilt from their headers. With a data directory, segments written
/// since the last call are fsynced by <see cref="Sync"/>, which the journal calls before it fsyncs the
/// records that name them, as for body files.
/// </para>
/// <para>
/// A released body's extent becomes garbage. A sealed segment whose live bytes fall below half of it is
/// compacted in the background: it is read in 1 MiB windows, its live extents are copied (one gathered write per
/// window) to a segment only compaction writes, re-pointed, and made durable by compaction itself; then the
/// segment is unlinked and closed once no reader holds it (<see cref="StoredBody"/>). So a request never waits
/// behind compaction I/O: compaction takes neither an append lane (but for an instant, to seal a lane's
/// segment) nor the sync lock the journal's group commit takes. No lock here is the S3 state lock;
/// <see cref="_lock"/> is never held across I/O.
/// </para>
/// <para>
/// The index is keyed by the content key's 32 bytes, not by its hex string: a restart scans every header without
/// creating a string per body (the loaded objects hold the only copy of each id).
/// </para>
/// </remarks>
internal sealed partial class BodySegments : IDisposable
{
    public const string DirectoryName = "s3-segments";

    /// <summary>A segment is sealed once the next extent would take it past this size.</summary>
    public const long MaxSegmentBytes = 32L * 1024 * 1024;

    /// <summary>The extent header: magic, body length, content key, CRC-32 of the preceding 40 bytes, padding.</summary>
    public const int HeaderSize = 48;

    private const string FilePrefix = "segment-";

    /// <summary>
    /// A lane writes its buffered extents once they reach this size: 64 bodies of 4 KiB per <c>pwrite</c>. Four such
    /// writes cost a fifth of the CPU of the 256 single ones (bench/results/request-cost.md section 9).
    /// </summary>
    private const int LaneBufferBytes = 256 * 1024;

    /// <summary>
    /// How far ahead of its appends a lane's segment on tmpfs has its pages allocated (<see cref="FileSpace"/>), by a
    /// pool thread once less than half of it is left: a 4 KiB PutObject at 1 connection spent 1.2 µs of its
    /// 256 KiB write's share in tmpfs allocating pages as it copied, which this moves off the request's thread
    /// (bench/results/request-cost.md section 19). At most this much per lane is allocated and not yet written; a
    /// wake-up of the pool thread per half of it (a reservation per 1 MiB cost more CPU than it moved).
    /// </summary>
    private const long ReserveAheadBytes = 8 << 20;

    /// <summary>The pages allocated by one <c>fallocate</c> of <see cref="ReserveAhead"/>.</summary>
    private const long ReserveStepBytes = 1 << 20;

    /// <summary>Segments are read (on load, by compaction) in windows of this size; an extent is far smaller.</summary>
    private const int WindowBytes = 1 << 20;
    private const uint Magic = 0x4745534B; // "KSEG"

    private readonly Lock _lock = new();
    private readonly Lane[] _lanes = [.. Enumerable.Range(0, LaneCount).Select(_ => new Lane())];
    private readonly Lock _syncLock = new();
    private readonly Dictionary<BodyKey, Extent> _index = [];
    private readonly List<Segment> _segments = [];
    private readonly HashSet<Segment> _unsynced = [];
    private readonly bool _durable;
    private readonly bool _reserveAhead;
    private readonly ILogger _logger;
    private Segment? _compactionTarget;
    private long _nextNumber = 1;
    private bool _createdSinceSync;

    /// <summary>
    /// Compaction targets written since compaction last fsynced them, and whether one was created since: kept across
    /// compaction runs, so copies re-pointed by a run that failed are durable before a later run unlinks anything.
    /// Touched by the maintenance task only (one at a time).
    /// </summary>
    private readonly HashSet<Segment> _targetsToSync = [];
    private bool _targetCreatedSinceSync;
    private bool _maintaining;
    private bool _disposed;
    private Task _maintenance = Task.CompletedTask;

    /// <param name="root">The data directory (or a private temporary one).</param>
    /// <param name="durable">Appended extents must survive a crash: <see cref="Sync"/> fsyncs them.</param>
    /// <param name="logger">Where torn tails found on start and failed compactions are reported.</param>
    public BodySegments(string root, bool durable, ILogger logger)
    {
        Directory = Path.Combine(root, DirectoryName);
        System.IO.Directory.CreateDirectory(Directory);
        _durable = durable;
        _reserveAhead = !durable && PrivateFolders.IsInMemory(Directory);
        _logger = logger;
        Load();
    }

    public string Directory { get; }

    /// <summary>The number of segment files (open or being compacted).</summary>
    public int SegmentCount
    {
        get
        {
            lock (_lock)
            {
                return _segments.Count;
            }
        }
    }

    /// <summary>The stored body's length, or -1 when it is not stored here.</summary>
    public long LengthOf(string blobId)
    {
        BodyKey key = BodyKey.Parse(blobId);
        lock (_lock)
        {
            return _index.TryGetValue(key, out Extent extent) ? extent.Length : -1;
        }
    }

    /// <summary>
    /// Releases every stored body that <paramref name="isReferenced"/> (given its blob id in lowercase hex) says no
    /// object names (after a load: bodies written after the last durable record); returns how many.
    /// </summary>
    public int RemoveUnreferenced(Func<ReadOnlySpan<char>, bool> isReferenced)
    {
        Span<char> id = stackalloc char[2 * BodyKey.Bytes];
        int removed = 0;
        lock (_lock)
        {
            foreach ((BodyKey key, Extent extent) in _index)
            {
                if (!isReferenced(key.Format(id)))
                {
                    _index.Remove(key); // removing while enumerating is allowed (.NET Core 3.0+)
                    extent.Segment.LiveBytes -= HeaderSize + extent.Length;
                    removed++;
                }
            }
        }

        return removed;
    }

    /// <summary>
    /// Appends a body unless it is stored already (false then). <paramref name="framed"/> is the body behind
    /// <see cref="HeaderSize"/> bytes of room, where the extent's header is written, so header and body go to the
    /// segment in one write from one buffer (no gather list, no pinning of two buffers).
    /// </summary>
    /// <exception cref="IOException">The write failed; the segment is sealed and the body not stored.</exception>
    public bool TryAppend(string blobId, Memory<byte> framed) => TryAppend(BodyKey.Parse(blobId), framed);

    /// <inheritdoc cref="TryAppend(string, Memory{byte})"/>
    /// <param name="key">The body's key (a staged body has it from its hash: no hex to parse).</param>
    /// <param name="framed">The body behind <see cref="HeaderSize"/> bytes of room.</param>
    public bool TryAppend(BodyKey key, Memory<byte> framed)
    {
        Lane lane = EnterLane();
        lane.Appending = true;
        try
        {
            lock (_lock)
            {
                ObjectDisposedException.ThrowIf(_disposed, this);
                if (_index.ContainsKey(key))
                {
                    return false;
                }
            }

            Extent extent = Write(lane, key, framed);
            lock (_lock)
            {
                // The same body appended meanwhile through another lane keeps the first copy; this one is garbage
                // (not live, so compaction drops it; a restart keeps either, both hash to the name).
                if (!_index.TryAdd(key, extent))
                {
                    return false;
                }

                extent.Segment.LiveBytes += HeaderSize + extent.Length;
            }

            return true;
        }
        finally
        {
            lane.Appending = false;
            lane.Gate.Exit();
        }
    }

    /// <summary>
    /// Enters the first free append lane, or waits for the first one when all are busy: one writer at a time per
    /// lane keeps each segment whole extents, and a sequential writer only ever uses the first lane's segment (a lane
    /// held to write its buffer, not by an append, is waited for: the journal does that every millisecond).
    /// </summary>
    private Lane EnterLane()
    {
        foreach (Lane lane in _lanes)
        {
            if (lane.Gate.TryEnter())
            {
                return lane;
            }

            if (!lane.Appending)
            {
                // Held, but not by an append: by the journal, a reader or compaction writing its buffer, briefly. Waiting
                // keeps a sequential writer on one segment instead of spilling into the next lane's.
                lane.Gate.Enter();
                return lane;
            }
        }

        Lane first = _lanes[0];
        first.Gate.Enter();
        return first;
    }

    /// <summary>
    /// Opens a stored body for reading (a lease on its segment), or null when it is not stored here. A body still in
    /// its lane's buffer is written to its segment first.
    /// </summary>
    /// <exception cref="IOException">Writing the lane's buffer failed; it is kept for the next attempt.</exception>
    public StoredBody? TryOpen(string blobId)
    {
        BodyKey key = BodyKey.Parse(blobId);
        Extent extent;
        Segment segment;
        Lane? writer = null;
        lock (_lock)
        {
            if (!_index.TryGetValue(key, out extent))
            {
                return null;
            }

            segment = extent.Segment;
            segment.Leases++;
            if (extent.Offset + extent.Length > segment.Written)
            {
                writer = WriterOf(segment);
            }
        }

        var body = new StoredBody(segment.Handle, extent.Offset, extent.Length, () => EndLease(segment));
        if (writer is not null)
        {
            try
            {
                FlushLane(writer, segment);
            }
            catch
            {
                body.Dispose();
                throw;
            }
        }

        return body;
    }

    /// <summary>Writes every lane's buffered extents to their segments (the journal calls it before it writes records).</summary>
    /// <exception cref="IOException">A write failed; what was not written stays buffered for the next attempt.</exception>
    public void Flush()
    {
        foreach (Lane lane in _lanes)
        {
            FlushLane(lane, only: null);
        }
    }

    /// <summary>
    /// Writes a lane's buffer from outside the lane (when it still appends to <paramref name="only"/>, if given), and
    /// with <paramref name="seal"/> stops it appending there.
    /// </summary>
    private void FlushLane(Lane lane, Segment? only, bool seal = false)
    {
        lock (lane.Gate)
        {
            if (only is null || lane.Active == only)
            {
                WriteBuffered(lane);
                if (seal)
                {
                    lock (_lock)
                    {
                        lane.Active = null;
                    }
                }
            }
        }
    }

    /// <summary>Makes a body's extent garbage (false when it is not stored here); may start a compaction.</summary>
    public bool Remove(string blobId)
    {
        BodyKey key = BodyKey.Parse(blobId);
        lock (_lock)
        {
            if (!_index.Remove(key, out Extent extent))
            {
                return false;
            }

            extent.Segment.LiveBytes -= HeaderSize + extent.Length;
            if (IsWorthCompacting(extent.Segment))
            {
                StartMaintenanceLocked();
            }

            return true;
        }
    }

    /// <summary>Starts compacting in the background if a segment is worth it (e.g. after a load dropped unreferenced bodies).</summary>
    public void CompactWhereWorthIt()
    {
        lock (_lock)
        {
            if (_segments.Exists(IsWorthCompacting))
            {
                StartMaintenanceLocked();
            }
        }
    }

    /// <summary>Gives back the index's spare capacity (after a large drop, <see cref="HeapTrim"/>).</summary>
    public void TrimExcess()
    {
        lock (_lock)
        {
            _index.TrimExcess();
        }
    }

    /// <summary>Writes the lanes' buffers, then fsyncs every segment appended to since the last call (and the folder, when a segment was created).</summary>
    public void Sync()
    {
        Flush();

        // Serialized: a caller that finds nothing pending must not return while another's fsync of it runs.
        lock (_syncLock)
        {
            Segment[] pending;
            bool created;
            lock (_lock)
            {
                if (_unsynced.Count == 0 && !_createdSinceSync)
                {
                    return;
                }

                pending = [.. _unsynced];
                _unsynced.Clear();
                created = _createdSinceSync;
                _createdSinceSync = false;
            }

            try
            {
                foreach (Segment segment in pending)
                {
                    try
                    {
                        RandomAccess.FlushToDisk(segment.Handle);
                    }
                    catch (ObjectDisposedException)
                    {
                        // Compacted and closed meanwhile: its live extents were made durable elsewhere first.
                    }
                }

                if (created)
                {
                    Fsync.Path(Directory);
                }
            }
            catch
            {
                lock (_lock)
                {
                    _unsynced.UnionWith(pending);
                    _createdSinceSync |= created;
                }

                throw;
            }
        }
    }

    /// <summary>Waits for a running compaction (bounded), then closes every segment.</summary>
    public void Dispose()
    {
        Task maintenance;
        lock (_lock)
        {
            _disposed = true;
            maintenance = _maintenance;
        }

        maintenance.Wait(TimeSpan.FromSeconds(30));
        foreach (Lane lane in _lanes)
        {
            lane.Gate.Enter();
        }

        try
        {
            foreach (Lane lane in _lanes)
            {
                // Bodies only a record written from now on could name (the journal wrote its own first): written when
                // they are worth keeping, for a consistent folder.
                if (_durable)
                {
                    try
                    {
                        WriteBuffered(lane);
                    }
                    catch (IOException ex)
                    {
                        LogBufferLost(_logger, ex, lane.Active!.Path, lane.Buffered);
                    }
                }

                lane.Buffer = null;
                lane.Buffered = 0;
            }

            lock (_lock)
            {
                foreach (Segment segment in _segments)
                {
                    segment.Handle.Dispose();
                }

                _segments.Clear();
                _index.Clear();
                foreach (Lane lane in _lanes)
                {
                    lane.Active = null;
                }

                _compactionTarget = null;
            }
        }
        finally
        {
            foreach (Lane lane in _lanes)
            {
                lane.Gate.Exit();
            }
        }
    }

    /// <summary>Waits until no compaction runs (tests).</summary>
    internal Task WhenIdleAsync()
    {
        lock (_lock)
        {
            return _maintenance;
        }
    }

    private void StartMaintenanceLocked()
    {
        if (!_maintaining && !_disposed)
        {
            _maintaining = true;
            _maintenance = Task.Run(Maintain);
        }
    }

    /// <summary>
    /// Whether a segment holds so much garbage that copying its live rest elsewhere pays (a segment still written
    /// to, by requests or by compaction, only once it is a quarter full); call under <see cref="_lock"/>.
    /// </summary>
    private bool IsWorthCompacting(Segment segment) =>
        !segment.Retired
        && segment.LiveBytes * 2 < segment.Tail
        && ((!IsActive(segment) && segment != _compactionTarget) || segment.Tail >= MaxSegmentBytes / 4);

    /// <summary>Whether a lane appends to <paramref name="segment"/>; call under <see cref="_lock"/>.</summary>
    private bool IsActive(Segment segment) => WriterOf(segment) is not null;

    /// <summary>The lane appending to <paramref name="segment"/> (which may still buffer some of it), if any; call under <see cref="_lock"/>.</summary>
    private Lane? WriterOf(Segment segment)
    {
        foreach (Lane lane in _lanes)
        {
            if (lane.Active == segment)
            {
                return lane;
            }
        }

        return null;
    }

    /// <summary>
    /// Appends an extent (header into the room at the front of <paramref name="framed"/>) to the lane's buffer for its
    /// segment (starting one when needed), writing the buffer first when the extent does not fit; call in the lane.
    /// </summary>
    /// <exception cref="IOException">Writing the full buffer failed: the extent is not appended, the buffer is kept.</exception>
    private Extent Write(Lane lane, BodyKey key, Memory<byte> framed)
    {
        int length = framed.Length - HeaderSize;
        int size = framed.Length;
        Segment segment = lane.Active is { } active && (active.Tail == 0 || active.Tail + size <= MaxSegmentBytes) ? active : StartSegment(lane);
        if (lane.Buffered + size > LaneBufferBytes)
        {
            WriteBuffered(lane);
        }

        if (lane.Buffer is null || lane.Buffer.Length < size)
        {
            lane.Buffer = GC.AllocateUninitializedArray<byte>(Math.Max(LaneBufferBytes, size));
        }

        WriteHeader(framed.Span[..HeaderSize], key, length);
        framed.Span.CopyTo(lane.Buffer.AsSpan(lane.Buffered));
        lane.Buffered += size;
        long at;
        lock (_lock)
        {
            at = segment.Tail;
            segment.Tail = at + size;
        }

        if (_reserveAhead)
        {
            ReserveAhead(segment, at + size);
        }

        return new Extent(segment, at + HeaderSize, length);
    }

    /// <summary>
    /// Has a pool thread allocate the segment's next pages when less than half of <see cref="ReserveAheadBytes"/> is
    /// left past <paramref name="tail"/>, one reservation at a time; call in the lane that appends to it.
    /// </summary>
    private static void ReserveAhead(Segment segment, long tail)
    {
        long reserved = segment.Reserved;
        if (reserved - tail >= ReserveAheadBytes / 2 || reserved >= MaxSegmentBytes || Interlocked.Exchange(ref segment.Reserving, 1) == 1)
        {
            return;
        }

        long from = Math.Max(reserved, tail);
        long to = Math.Min(MaxSegmentBytes, tail + ReserveAheadBytes);
        segment.Reserved = to;
        ThreadPool.UnsafeQueueUserWorkItem(
            static state =>
            {
                // In steps, so a request's write to the same file (tmpfs holds the inode lock for a whole fallocate)
                // never waits behind more than one step; the first refusal (no room, a closed file) ends it.
                for (long at = state.From; at < state.To; at += ReserveStepBytes)
                {
                    if (!FileSpace.TryReserve(state.Segment.Handle, at, Math.Min(ReserveStepBytes, state.To - at)))
                    {
                        break;
                    }
                }

                Volatile.Write(ref state.Segment.Reserving, 0);
            },
            (Segment: segment, From: from, To: to),
            preferLocal: false);
    }

    /// <summary>
    /// Writes the lane's buffered extents to the end of its active segment's file, in one <c>pwrite</c>; call in the
    /// lane. A failed write keeps them buffered: the next attempt writes them again at the same place.
    /// </summary>
    private void WriteBuffered(Lane lane)
    {
        if (lane.Buffered == 0)
        {
            return;
        }

        Segment segment = lane.Active!;
        RandomAccess.Write(segment.Handle, lane.Buffer.AsSpan(0, lane.Buffered), segment.Written);
        lock (_lock)
        {
            segment.Written += lane.Buffered;
            if (_durable)
            {
                _unsynced.Add(segment);
            }
        }

        lane.Buffered = 0;
    }

    /// <summary>Writes the lane's buffer to its segment, then creates the next segment file and makes it the lane's; call in the lane.</summary>
    private Segment StartSegment(Lane lane)
    {
        WriteBuffered(lane);
        Segment segment = CreateSegment();
        lock (_lock)
        {
            lane.Active = segment;
            _createdSinceSync |= _durable;
        }

        return segment;
    }

    /// <summary>Creates the next segment file (empty, open for reading and writing) and lists it.</summary>
    private Segment CreateSegment()
    {
        long number;
        lock (_lock)
        {
            number = _nextNumber++;
        }

        string path = Path.Combine(Directory, FilePrefix + number.ToString(CultureInfo.InvariantCulture));
        SafeFileHandle handle = File.OpenHandle(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.Read | FileShare.Delete);
        var segment = new Segment(number, path, handle);
        lock (_lock)
        {
            _segments.Add(segment);
        }

        return segment;
    }

    private static void WriteHeader(Span<byte> header, BodyKey key, int length)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(header, Magic);
        BinaryPrimitives.WriteInt32LittleEndian(header[4..], length);
        key.Write(header.Slice(8, BodyKey.Bytes));
        BinaryPrimitives.WriteUInt32LittleEndian(header[40..], JournalFrame.Crc32(header[..40]));
        header[44..].Clear();
    }

    private static bool TryReadHeader(ReadOnlySpan<byte> header, out BodyKey key, out int length)
    {
        key = default;
        length = BinaryPrimitives.ReadInt32LittleEndian(header[4..]);
        if (BinaryPrimitives.ReadUInt32LittleEndian(header) != Magic
            || BinaryPrimitives.ReadUInt32LittleEndian(header[40..]) != JournalFrame.Crc32(header[..40])
            || length < 0)
        {
            return false;
        }

        key = BodyKey.Read(header.Slice(8, BodyKey.Bytes));
        return true;
    }

    /// <summary>Rebuilds the index from the segments on disk (read only from now on); a torn tail ends its segment's scan.</summary>
    private void Load()
    {
        var found = new List<(long Number, string Path)>();
        foreach (string path in System.IO.Directory.EnumerateFiles(Directory, FilePrefix + "*"))
        {
            if (long.TryParse(Path.GetFileName(path).AsSpan(FilePrefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out long number))
            {
                found.Add((number, path));
            }
        }

        // One window for every segment: the headers are read in 1 MiB sequential reads, the bodies skipped over.
        byte[] window = ArrayPool<byte>.Shared.Rent(WindowBytes);
        try
        {
            foreach ((long number, string path) in found.OrderBy(f => f.Number))
            {
                LoadSegment(number, path, window);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(window);
        }
    }

    private void LoadSegment(long number, string path, byte[] window)
    {
        _nextNumber = Math.Max(_nextNumber, number + 1);
        SafeFileHandle handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete);
        long fileLength = RandomAccess.GetLength(handle);
        var segment = new Segment(number, path, handle) { Tail = fileLength, Written = fileLength };
        _segments.Add(segment);
        long windowStart = 0;
        int windowLength = 0;
        long at = 0;
        while (at < segment.Tail)
        {
            if (at + HeaderSize > windowStart + windowLength && at + HeaderSize <= segment.Tail)
            {
                windowStart = at;
                windowLength = RandomAccess.Read(handle, window, at);
            }

            if (segment.Tail - at < HeaderSize
                || at + HeaderSize > windowStart + windowLength
                || !TryReadHeader(window.AsSpan((int)(at - windowStart), HeaderSize), out BodyKey key, out int length)
                || length > segment.Tail - at - HeaderSize)
            {
                LogTornTail(_logger, path, at, segment.Tail - at);
                break;
            }

            var extent = new Extent(segment, at + HeaderSize, length);
            if (!_index.TryGetValue(key, out Extent existing) || (!Holds(existing, key) && Holds(extent, key)))
            {
                // A body stored twice (a compaction was cut short, or it was stored again after a release):
                // keep a copy whose bytes hash to its name, so a torn copy is never served.
                if (_index.TryGetValue(key, out existing))
                {
                    existing.Segment.LiveBytes -= HeaderSize + existing.Length;
                }

                _index[key] = extent;
                segment.LiveBytes += HeaderSize + length;
            }

            at += HeaderSize + length;
        }
    }

    /// <summary>Whether an extent's bytes hash to <paramref name="key"/>.</summary>
    private static bool Holds(Extent extent, BodyKey key)
    {
        byte[] buffer = ArrayPool<byte>.Shared.Rent(Math.Max(extent.Length, 1));
        try
        {
            Span<byte> body = buffer.AsSpan(0, extent.Length);
            if (RandomAccess.Read(extent.Segment.Handle, body, extent.Offset) != extent.Length)
            {
                return false;
            }

            Span<byte> name = stackalloc byte[BodyKey.Bytes];
            key.Write(name);
            return ContentKey.Names(name, body);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private void EndLease(Segment segment)
    {
        bool close;
        lock (_lock)
        {
            segment.Leases--;
            close = segment.Retired && segment.Leases == 0;
        }

        if (close)
        {
            segment.Handle.Dispose();
        }
    }

    /// <summary>Compacts segments worth it, one after another, until none is (on a pool thread).</summary>
    private void Maintain()
    {
        while (true)
        {
            Segment? candidate;
            lock (_lock)
            {
                candidate = _disposed ? null : _segments.Find(IsWorthCompacting);
                if (candidate is null)
                {
                    _maintaining = false;
                    return;
                }
            }

            try
            {
                Compact(candidate);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ObjectDisposedException)
            {
                LogCompactionFailed(_logger, ex, candidate.Path);
                lock (_lock)
                {
                    _maintaining = false;
                }

                return;
            }
        }
    }

    /// <summary>
    /// Copies a segment's live extents to the compaction target (starting one when needed), re-points them, makes
    /// the copies durable, then removes the segment. Runs on the maintenance task only, so the target has one writer;
    /// a compaction under way when <see cref="Dispose"/> is called finishes (at most one segment), so a stop leaves no
    /// half-compacted segment beside its copies.
    /// </summary>
    /// <remarks>
    /// Optimized from its first call: it runs once per compacted segment, too rarely to reach the call count at which
    /// tiered compilation would optimize it, so it ran as unoptimized (PGO-instrumented) code and took the CPU that
    /// requests on a small machine needed. That, not a lock, was the 4–25 ms p99 of PUT+DELETE at one connection
    /// (<c>bench/results/put-delete-tail.md</c>).
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Compact(Segment segment)
    {
        // Seal it: nothing is appended to it any more, so its tail is final (its lane's append, if one runs, ends first,
        // and what the lane buffers for it is written).
        foreach (Lane lane in _lanes)
        {
            FlushLane(lane, only: segment, seal: true);
        }

        lock (_lock)
        {
            if (_compactionTarget == segment)
            {
                _compactionTarget = null;
            }
        }

        // A segment with nothing live (a run of PUTs and DELETEs) has nothing to copy: its headers are not even read.
        bool live;
        lock (_lock)
        {
            live = segment.LiveBytes > 0;
        }

        if (live)
        {
            CopyLiveExtents(segment);
        }

        // The copies (and a new target's directory entry) are durable before the only other copy goes. Only the
        // targets are fsynced, here, outside the sync lock: the journal's group commit never waits for them.
        if (_durable)
        {
            foreach (Segment target in _targetsToSync)
            {
                RandomAccess.FlushToDisk(target.Handle);
            }

            if (_targetCreatedSinceSync)
            {
                Fsync.Path(Directory);
            }
        }

        _targetsToSync.Clear();
        _targetCreatedSinceSync = false;

        bool close;
        lock (_lock)
        {
            if (segment.LiveBytes != 0)
            {
                throw new IOException($"{segment.Path} still holds {segment.LiveBytes} bytes of live bodies after its extents were read up to byte {segment.Tail}.");
            }

            segment.Retired = true;
            _segments.Remove(segment);
            _unsynced.Remove(segment);
            close = segment.Leases == 0;
        }

        File.Delete(segment.Path);
        if (close)
        {
            segment.Handle.Dispose();
        }
    }

    /// <summary>Copies the live extents of a sealed segment to the compaction target, re-pointing each (see <see cref="Compact"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void CopyLiveExtents(Segment segment)
    {
        var extents = new List<(BodyKey Key, Extent Extent, int At)>();
        var live = new List<(BodyKey Key, Extent Extent, int At)>();
        var gather = new List<ReadOnlyMemory<byte>>();
        byte[] window = ArrayPool<byte>.Shared.Rent(WindowBytes);
        try
        {
            long at = 0;
            while (at < segment.Tail)
            {
                // The headers of the whole extents in this window (an extent is at most 48 bytes + 64 KiB, far below the window).
                int read = RandomAccess.Read(segment.Handle, window.AsSpan(0, (int)Math.Min(window.Length, segment.Tail - at)), at);
                int offset = 0;
                extents.Clear();
                while (offset + HeaderSize <= read
                    && TryReadHeader(window.AsSpan(offset, HeaderSize), out BodyKey key, out int length)
                    && length <= read - offset - HeaderSize)
                {
                    extents.Add((key, new Extent(segment, at + offset + HeaderSize, length), offset));
                    offset += HeaderSize + length;
                }

                if (offset == 0)
                {
                    break; // a torn tail (or the end of what can be read): no whole extent is left
                }

                live.Clear();
                lock (_lock)
                {
                    foreach ((BodyKey key, Extent extent, int start) in extents)
                    {
                        if (_index.TryGetValue(key, out Extent current) && current == extent)
                        {
                            live.Add((key, extent, start));
                        }
                    }
                }

                for (int first = 0; first < live.Count;)
                {
                    // As many live extents as fit in the target, in one gathered write.
                    long size = HeaderSize + live[first].Extent.Length;
                    Segment? target;
                    lock (_lock)
                    {
                        target = _compactionTarget is { } current && (current.Tail == 0 || current.Tail + size <= MaxSegmentBytes) ? current : null;
                    }

                    if (target is null)
                    {
                        target = CreateSegment();
                        _targetCreatedSinceSync = true;
                        lock (_lock)
                        {
                            _compactionTarget = target;
                        }
                    }

                    long start = target.Tail;
                    long end = start;
                    int next = first;
                    gather.Clear();
                    while (next < live.Count && (end == start || end + HeaderSize + live[next].Extent.Length <= MaxSegmentBytes))
                    {
                        gather.Add(window.AsMemory(live[next].At, HeaderSize + live[next].Extent.Length));
                        end += HeaderSize + live[next].Extent.Length;
                        next++;
                    }

                    _targetsToSync.Add(target);
                    try
                    {
                        RandomAccess.Write(target.Handle, gather, start);
                    }
                    catch
                    {
                        lock (_lock)
                        {
                            // Sealed: whatever part was written stays its last (torn) extent.
                            target.Tail = end;
                            target.Written = end;
                            _compactionTarget = null;
                        }

                        throw;
                    }

                    lock (_lock)
                    {
                        target.Tail = end;
                        target.Written = end;
                        long position = start;
                        for (int i = first; i < next; i++)
                        {
                            (BodyKey key, Extent extent, _) = live[i];
                            var moved = new Extent(target, position + HeaderSize, extent.Length);
                            position += HeaderSize + extent.Length;

                            // Re-pointed only if it is still the same live body; otherwise the copy is garbage.
                            if (_index.TryGetValue(key, out Extent current) && current == extent)
                            {
                                _index[key] = moved;
                                target.LiveBytes += HeaderSize + moved.Length;
                                segment.LiveBytes -= HeaderSize + extent.Length;
                            }
                        }
                    }

                    first = next;
                }

                at += offset;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(window);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Path} ends with {Bytes} bytes that are no whole body (cut short by a crash) from byte {Offset}; they are ignored")]
    private static partial void LogTornTail(ILogger logger, string path, long offset, long bytes);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Writing the last {Bytes} buffered bytes to {Path} on stop failed; no record names the bodies they hold")]
    private static partial void LogBufferLost(ILogger logger, Exception ex, string path, int bytes);

    [LoggerMessage(Level = LogLevel.Error, Message = "Compacting {Path} failed; it is kept and retried after the next release")]
    private static partial void LogCompactionFailed(ILogger logger, Exception ex, string path);

    /// <summary>Where a body is: the offset of its bytes (after the header) in a segment, and their length.</summary>
    private readonly record struct Extent(Segment Segment, long Offset, int Length);

    /// <summary>
    /// Concurrent appends go to as many segments as there are lanes: a kernel serializes the writes to one file (its
    /// inode lock), so one segment made the request threads take turns for every <c>pwrite</c>.
    /// </summary>
    private static int LaneCount => Math.Clamp(Environment.ProcessorCount, 1, 4);

    /// <summary>An append lane: one writer at a time, appending to its own active segment.</summary>
    private sealed class Lane
    {
        public Lock Gate { get; } = new();

        /// <summary>The segment this lane appends to; changed in the lane under <see cref="_lock"/>, after its buffer is written.</summary>
        public Segment? Active { get; set; }

        /// <summary>Extents appended to <see cref="Active"/> and not yet written to its file (the first <see cref="Buffered"/> bytes).</summary>
        public byte[]? Buffer { get; set; }

        public int Buffered { get; set; }

        /// <summary>Whether an append holds the gate (not the journal, a reader or compaction writing the buffer).</summary>
        public volatile bool Appending;
    }

    /// <summary>One segment file: its read handle (write too while this process appends to it) and accounting; guarded by <see cref="_lock"/>.</summary>
    private sealed class Segment(long number, string path, SafeFileHandle handle)
    {
        public long Number { get; } = number;

        public string Path { get; } = path;

        public SafeFileHandle Handle { get; } = handle;

        /// <summary>Bytes appended (whole extents and perhaps one torn one), written or still in the appending lane's buffer.</summary>
        public long Tail { get; set; }

        /// <summary>Bytes in the file: <see cref="Tail"/> less what the appending lane still buffers.</summary>
        public long Written { get; set; }

        /// <summary>Bytes of the extents the index points at, headers included.</summary>
        public long LiveBytes { get; set; }

        /// <summary>Open <see cref="StoredBody"/> readers.</summary>
        public int Leases { get; set; }

        /// <summary>Compacted and unlinked; closed when the last lease ends.</summary>
        public bool Retired { get; set; }

        /// <summary>The end of the pages allocated ahead of the appends (<see cref="ReserveAhead"/>); changed in the appending lane.</summary>
        public long Reserved;

        /// <summary>1 while a pool thread allocates pages for this segment.</summary>
        public int Reserving;
    }
}
