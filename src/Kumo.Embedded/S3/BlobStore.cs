using System.Buffers;
using System.Security.Cryptography;
using Kumo.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Win32.SafeHandles;

namespace Kumo.Embedded.S3;

/// <summary>
/// Object bodies, content-addressed (<see cref="ContentKey"/>): bodies up to <see cref="SmallBodyBytes"/> are extents of a
/// few segment files (<see cref="BodySegments"/>), larger ones files of their own, <c>s3-objects/&lt;id&gt;</c>
/// (where a data directory written before segments existed keeps every body; such bodies are read there).
/// </summary>
/// <remarks>
/// A large body is streamed to a temporary file while its MD5 and content key are computed, so no body is
/// held in memory whatever its size. The file name is the hash, never anything the client chose,
/// so no key can name a path outside the data directory. Publishing (append, or rename into place) and
/// deletion are ordered by <see cref="S3Store"/> (a body is pinned before it is published), so a blob
/// is never deleted while an object that references it is being committed.
/// </remarks>
internal sealed class BlobStore : IDisposable
{
    public const string DirectoryName = "s3-objects";
    private readonly List<string> _unsynced = [];
    private readonly HashSet<string> _files = new(StringComparer.Ordinal);
    private readonly Lock _syncLock = new();
    private readonly BodySegments _segments;
    private readonly BodyCache _cache = new();
    private readonly bool _durable;
    private readonly bool _syncEachBlob;
    private bool _publishedSinceSync;

    /// <param name="root">The data directory (or a private temporary one).</param>
    /// <param name="durable">Bodies must survive a crash: they are fsynced before the records that name them.</param>
    /// <param name="syncEachBlob">
    /// Each body file is fsynced as it is staged, by the request that wrote it (sync durability: in parallel,
    /// before the acknowledgement); otherwise body files are fsynced together before the journal's next fsync.
    /// Segments are always fsynced together before the journal's next fsync (in sync durability that fsync
    /// precedes every acknowledgement).
    /// </param>
    /// <param name="logger">Where torn segment tails and failed compactions are reported.</param>
    public BlobStore(string root, bool durable, bool syncEachBlob, ILogger logger)
    {
        Directory = Path.Combine(root, DirectoryName);
        System.IO.Directory.CreateDirectory(Directory);
        StaleTemporaryFiles.Sweep(Directory);
        foreach (string file in System.IO.Directory.EnumerateFiles(Directory))
        {
            string name = Path.GetFileName(file);
            if (IsBlobId(name))
            {
                _files.Add(name);
            }
        }

        _durable = durable;
        _syncEachBlob = syncEachBlob;
        _segments = new BodySegments(root, durable, logger);
    }

    public BodySegments Segments => _segments;

    public string Directory { get; }

    public string PathOf(string blobId) => Path.Combine(Directory, blobId);

    /// <summary>Streams <paramref name="source"/> into a temporary file, hashing as it goes.</summary>
    /// <exception cref="Protocol.AwsServiceException">The body exceeds <paramref name="maxSize"/> or is shorter than announced.</exception>
    /// <remarks>A value task: a small body already received is staged with no task allocated.</remarks>
    /// <param name="source">The body.</param>
    /// <param name="maxSize">The largest body accepted.</param>
    /// <param name="expectedLength">The length announced, or null.</param>
    /// <param name="cancellationToken">Stops the read.</param>
    /// <param name="digest">
    /// For a completed multipart upload, the digest of its ETag: a body streamed to a file is then named by it and its
    /// XXH128 (<see cref="ContentKey"/>) and not hashed with MD5 again; <see cref="StagedBlob.Md5"/> is that digest.
    /// </param>
    public ValueTask<StagedBlob> StageAsync(Stream source, long maxSize, long? expectedLength, CancellationToken cancellationToken, byte[]? digest = null) =>
        expectedLength is { } announced && announced <= SmallBodyBytes && announced <= maxSize
            ? StageSmallAsync(source, (int)announced, maxSize, cancellationToken)
            : new ValueTask<StagedBlob>(StageStreamingAsync(source, maxSize, expectedLength, digest, cancellationToken));

    /// <summary>
    /// Bodies up to this size are read into one pooled buffer and hashed in one call; the buffer is
    /// appended to a segment (one synchronous write, a page-cache copy) only when the body is published
    /// and its content is not stored yet: no asynchronous file I/O, no per-request hash state, and no
    /// file of its own (a multipart part, moved, is written to a file once).
    /// </summary>
    public const int SmallBodyBytes = 64 * 1024;

    /// <summary>Room left in front of a small body's bytes in its buffer, where <see cref="BodySegments"/> writes the extent header.</summary>
    public const int FrameRoom = BodySegments.HeaderSize;

    private async ValueTask<StagedBlob> StageSmallAsync(Stream source, int announced, long maxSize, CancellationToken cancellationToken)
    {
        byte[]? buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(FrameRoom + announced + 1);
        try
        {
            int total = 0;
            int read;
            while ((read = await source.ReadAsync(buffer.AsMemory(FrameRoom + total, buffer.Length - FrameRoom - total), cancellationToken).ConfigureAwait(false)) > 0)
            {
                total += read;
                if (total > announced)
                {
                    // Longer than announced: count the rest as the streaming path does, then refuse.
                    long all = total;
                    while (all <= maxSize && (read = await source.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
                    {
                        all += read;
                    }

                    throw all > maxSize ? S3Errors.EntityTooLarge(maxSize) : S3Errors.IncompleteBody(announced, all);
                }
            }

            if (total != announced)
            {
                throw S3Errors.IncompleteBody(announced, total);
            }

            ReadOnlySpan<byte> body = buffer.AsSpan(FrameRoom, total);
            string blobId = ContentKey.Of(body, out byte[] md5, out BodyKey key);
            var staged = new StagedBlob(null, blobId, key, md5, total) { Buffer = buffer };
            buffer = null;
            return staged;
        }
        finally
        {
            if (buffer is not null)
            {
                System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }

    /// <summary>
    /// Stages the concatenation of a completed multipart upload's parts by copying them inside the kernel (no pass
    /// through the process, no hash of the bytes): the key's first half is <paramref name="digest"/> (the ETag's), its
    /// second half the XXH128 of the parts' keys in order, which names the same bytes as surely as the parts' own keys
    /// do. Null when the kernel cannot copy between these files; the caller then streams the parts
    /// (<see cref="StageAsync"/>), which hashes the bytes instead.
    /// </summary>
    /// <param name="parts">The parts in order: their files, sizes and keys.</param>
    /// <param name="total">The parts' sizes added up.</param>
    /// <param name="digest">The MD5 of the parts' MD5s (16 bytes).</param>
    public StagedBlob? TryStageConcatenation(IReadOnlyList<UploadedPart> parts, long total, byte[] digest)
    {
        string temporary = NewTemporaryPath();
        bool copied = false;
        try
        {
            using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, useAsync: false))
            {
                long offset = 0;
                foreach (UploadedPart part in parts)
                {
                    using SafeFileHandle source = File.OpenHandle(part.Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
                    if (!FileSpace.TryCopy(source, part.Offset, file.SafeFileHandle, offset, part.Size))
                    {
                        return null;
                    }

                    offset += part.Size;
                }

                if (_syncEachBlob)
                {
                    file.Flush(flushToDisk: true);
                }
            }

            copied = true;
            return Concatenation(temporary, parts, total, digest);
        }
        finally
        {
            if (!copied)
            {
                TryDelete(temporary);
            }
        }
    }

    /// <summary>
    /// Stages a completed upload whose parts fill its assembly (<see cref="PartAssembly"/>, sealed) without copying a byte:
    /// the file gets a second name, a temporary one here (fsynced in sync durability), named like
    /// <see cref="TryStageConcatenation"/>'s. Null when the assembly holds more than the parts (regions of parts left out)
    /// or the system cannot link it here; the caller then copies.
    /// </summary>
    /// <param name="assembly">The upload's assembly file, sealed: nothing writes it any more.</param>
    /// <param name="parts">The parts in order, which <see cref="PartAssembly.TrySeal"/> found at their offsets.</param>
    /// <param name="total">The parts' sizes added up.</param>
    /// <param name="digest">The MD5 of the parts' MD5s (16 bytes).</param>
    public StagedBlob? TryStageAssembly(string assembly, IReadOnlyList<UploadedPart> parts, long total, byte[] digest)
    {
        string temporary = NewTemporaryPath();
        if (new FileInfo(assembly).Length != total || !FileSpace.TryLink(assembly, temporary))
        {
            return null;
        }

        try
        {
            if (_syncEachBlob)
            {
                Fsync.Path(temporary);
            }

            return Concatenation(temporary, parts, total, digest);
        }
        catch
        {
            TryDelete(temporary);
            throw;
        }
    }

    // A completed upload staged at temporary: its key is the ETag's digest, then the XXH128 of its parts' keys in order.
    private static StagedBlob Concatenation(string temporary, IReadOnlyList<UploadedPart> parts, long total, byte[] digest)
    {
        using var key = new ContentKey.Builder(digest);
        Span<byte> partKey = stackalloc byte[BodyKey.Bytes];
        foreach (UploadedPart part in parts)
        {
            part.Key.Write(partKey);
            key.Append(partKey);
        }

        string blobId = key.Finish(out byte[] md5, out BodyKey bodyKey);
        return new StagedBlob(temporary, blobId, bodyKey, md5, total);
    }

    /// <summary>
    /// The SHA-256 of a staged body, for a request that sends one to be checked (<c>x-amz-checksum-sha256</c>): only
    /// those pay for it, since the content key is not a SHA-256. A body staged in a file is read again.
    /// </summary>
    public static byte[] Sha256Of(StagedBlob staged)
    {
        if (staged.Buffer is { } buffer)
        {
            return SHA256.HashData(buffer.AsSpan(FrameRoom, (int)staged.Size));
        }

        if (staged.Region is { } region)
        {
            using StoredBody body = StoredBody.Open(region.Path, region.Offset, staged.Size);
            using Stream range = body.Slice(0, staged.Size);
            return SHA256.HashData(range);
        }

        using var file = new FileStream(staged.TemporaryPath!, FileMode.Open, FileAccess.Read, FileShare.Read, 1, useAsync: false);
        return SHA256.HashData(file);
    }

    /// <summary>Writes a body held in memory to a temporary file (fsynced in sync durability) and returns its path.</summary>
    private string WriteTemporary(StagedBlob staged)
    {
        string temporary = NewTemporaryPath();
        try
        {
            using var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, useAsync: false);
            file.Write(staged.Buffer.AsSpan(FrameRoom, (int)staged.Size));
            if (_syncEachBlob)
            {
                file.Flush(flushToDisk: true);
            }
        }
        catch
        {
            TryDelete(temporary);
            throw;
        }

        return temporary;
    }

    /// <summary>Moves a staged body to <paramref name="path"/> (its blob, or a multipart part), replacing what is there; the staged body is gone afterwards.</summary>
    /// <exception cref="DirectoryNotFoundException">The folder of <paramref name="path"/> is gone; the staged body is discarded.</exception>
    public void MoveTo(StagedBlob staged, string path)
    {
        try
        {
            string source = staged.TemporaryPath ?? WriteTemporary(staged);
            staged.TemporaryPath = source;
            File.Move(source, path, overwrite: true);
            staged.TemporaryPath = null;
        }
        finally
        {
            Discard(staged);
        }
    }

    private string NewTemporaryPath() => Path.Combine(Directory, $"{AtomicFile.TemporaryPrefix}{Environment.ProcessId}-{Guid.NewGuid():N}");

    private async Task<StagedBlob> StageStreamingAsync(Stream source, long maxSize, long? expectedLength, byte[]? digest, CancellationToken cancellationToken)
    {
        string temporary = NewTemporaryPath();
        try
        {
            using SafeFileHandle file = File.OpenHandle(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, FileOptions.Asynchronous);
            (string blobId, BodyKey key, byte[] md5, long total) = await WriteHashingAsync(source, file, 0, maxSize, expectedLength, digest, cancellationToken).ConfigureAwait(false);
            if (_syncEachBlob)
            {
                RandomAccess.FlushToDisk(file);
            }

            return new StagedBlob(temporary, blobId, key, md5, total);
        }
        catch
        {
            TryDelete(temporary);
            throw;
        }
    }

    /// <summary>
    /// Streams a part's body into its region of an upload's assembly (<see cref="PartAssembly"/>), hashing as it goes: the
    /// staged body has no file of its own (<see cref="StagedBlob.Region"/>), and is not fsynced (a part does not outlive a
    /// restart; the completion makes the body it becomes durable).
    /// </summary>
    /// <exception cref="Protocol.AwsServiceException">The body is not <paramref name="length"/> bytes long, or exceeds <paramref name="maxSize"/>.</exception>
    public async Task<StagedBlob> StageAtAsync(Stream source, string path, long offset, long length, long maxSize, CancellationToken cancellationToken)
    {
        using SafeFileHandle file = File.OpenHandle(path, FileMode.OpenOrCreate, FileAccess.Write, FileShare.ReadWrite, FileOptions.Asynchronous);
        (string blobId, BodyKey key, byte[] md5, long total) = await WriteHashingAsync(source, file, offset, maxSize, length, null, cancellationToken).ConfigureAwait(false);
        return new StagedBlob(null, blobId, key, md5, total) { Region = new BodyRegion(path, offset) };
    }

    // Copies source to file from start, hashing it (MD5 and XXH128, or XXH128 after a given digest); refuses more than
    // maxSize bytes, or other than expectedLength when that is given (whose bytes past it are counted, not written: a
    // region of an assembly ends there).
    private static async Task<(string BlobId, BodyKey Key, byte[] Md5, long Size)> WriteHashingAsync(Stream source, SafeFileHandle file, long start, long maxSize, long? expectedLength, byte[]? digest, CancellationToken cancellationToken)
    {
        using var key = new ContentKey.Builder(digest);
        long total = 0;
        byte[] buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(256 * 1024);
        try
        {
            int read;
            while ((read = await source.ReadAsync(buffer.AsMemory(0, buffer.Length), cancellationToken).ConfigureAwait(false)) > 0)
            {
                if (total + read > maxSize)
                {
                    throw S3Errors.EntityTooLarge(maxSize);
                }

                if (total + read > expectedLength)
                {
                    total += read;
                    continue;
                }

                // The write (a thread-pool pwrite) and the hash both only read the buffer: they run side by side.
                ValueTask write = RandomAccess.WriteAsync(file, buffer.AsMemory(0, read), start + total, cancellationToken);
                try
                {
                    key.Append(buffer.AsSpan(0, read));
                }
                finally
                {
                    await write.ConfigureAwait(false);
                }

                total += read;
            }
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }

        if (expectedLength is { } expected && expected != total)
        {
            throw S3Errors.IncompleteBody(expected, total);
        }

        string blobId = key.Finish(out byte[] md5, out BodyKey bodyKey);
        return (blobId, bodyKey, md5, total);
    }

    /// <summary>
    /// Moves a staged body into place (or drops it if the same content is already stored). Call with the
    /// body pinned (<see cref="S3Store"/>), so no deletion of the same content can run meanwhile; two
    /// publications of the same content may race, and the second simply replaces identical bytes.
    /// </summary>
    public void Publish(StagedBlob staged)
    {
        try
        {
            bool stored;
            lock (_files)
            {
                stored = _files.Contains(staged.BlobId);
            }

            if (stored)
            {
                return;
            }

            if (staged.Buffer is { } buffer)
            {
                _segments.TryAppend(staged.Key, buffer.AsMemory(0, FrameRoom + (int)staged.Size));
                return;
            }

            string target = PathOf(staged.BlobId);
            MoveTo(staged, target);
            lock (_files)
            {
                _files.Add(staged.BlobId);
            }

            if (_durable)
            {
                lock (_unsynced)
                {
                    _publishedSinceSync = true;
                    if (!_syncEachBlob)
                    {
                        _unsynced.Add(target);
                    }
                }
            }
        }
        finally
        {
            Discard(staged);
        }
    }

    /// <summary>Opens a stored body of <paramref name="size"/> bytes for reading; it stays readable, unchanged, until disposed.</summary>
    /// <exception cref="FileNotFoundException">The body is not stored (any more).</exception>
    /// <remarks>A small body read before is served from <see cref="BodyCache"/> (loaded on its second read).</remarks>
    public StoredBody OpenRead(string blobId, long size)
    {
        if (size <= SmallBodyBytes && _cache.TryGet(blobId, out byte[] cached))
        {
            return new StoredBody(cached);
        }

        StoredBody stored = _segments.TryOpen(blobId)
            ?? new StoredBody(File.OpenHandle(PathOf(blobId), FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete), size);
        if (size > SmallBodyBytes || !_cache.ShouldAdmit(blobId, size))
        {
            return stored;
        }

        using (stored)
        {
            byte[] body = stored.ReadAll();
            _cache.Add(blobId, body);
            return new StoredBody(body);
        }
    }

    /// <summary>The stored body's length, or -1 when it is missing.</summary>
    public long LengthOf(string blobId)
    {
        long length = _segments.LengthOf(blobId);
        if (length >= 0)
        {
            return length;
        }

        var file = new FileInfo(PathOf(blobId));
        return file.Exists ? file.Length : -1;
    }

    /// <summary>
    /// Deletes every stored body (segment extent or file) that <paramref name="isReferenced"/>, given its blob id,
    /// says no object names; a segment worth compacting afterwards is compacted in the background.
    /// </summary>
    public void DeleteUnreferenced(Func<ReadOnlySpan<char>, bool> isReferenced)
    {
        _segments.RemoveUnreferenced(isReferenced);
        _segments.CompactWhereWorthIt();
        List<string> files;
        lock (_files)
        {
            files = [.. _files.Where(id => !isReferenced(id))];
        }

        foreach (string blobId in files)
        {
            Delete(blobId);
        }
    }

    /// <summary>
    /// Moves the small bodies of a data directory written before segments existed (a file each in
    /// <c>s3-objects/</c>) into segments: each is appended, all are made durable, and only then are the files
    /// deleted. Crash-safe: while a body's file exists it is the original, so a copy that a migration cut short left
    /// in a segment (perhaps torn, or never fsynced) is released first and the body appended again. Call at load,
    /// before requests are served.
    /// </summary>
    /// <returns>How many bodies moved (0 if a write failed: the files then stay, and the next start moves them).</returns>
    public int MigrateSmallFiles()
    {
        List<string> candidates;
        lock (_files)
        {
            candidates = [.. _files];
        }

        var moved = new List<string>();
        byte[] buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(FrameRoom + SmallBodyBytes);
        try
        {
            foreach (string blobId in candidates)
            {
                int length;
                using (SafeFileHandle file = File.OpenHandle(PathOf(blobId), FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete))
                {
                    long size = RandomAccess.GetLength(file);
                    if (size > SmallBodyBytes || (length = RandomAccess.Read(file, buffer.AsSpan(FrameRoom, (int)size), 0)) != size)
                    {
                        continue;
                    }
                }

                _segments.Remove(blobId);
                _segments.TryAppend(blobId, buffer.AsMemory(0, FrameRoom + length));
                moved.Add(blobId);
            }

            if (moved.Count > 0 && _durable)
            {
                _segments.Sync();
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return 0; // every file stays the original; the copies appended so far are duplicates a later start releases
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }

        foreach (string blobId in moved)
        {
            lock (_files)
            {
                _files.Remove(blobId);
            }

            TryDelete(PathOf(blobId));
        }

        if (moved.Count > 0 && _durable)
        {
            Fsync.Path(Directory);
        }

        return moved.Count;
    }

    /// <summary>
    /// Copies a range of at most <see cref="SmallBodyBytes"/> of a body into <paramref name="destination"/> (a response
    /// pipe, sent when the request ends: <see cref="Protocol.ResponseBody"/>) with one synchronous read, a page-cache copy.
    /// </summary>
    public static void CopySmallTo(StoredBody content, long offset, int length, IBufferWriter<byte> destination)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(length, SmallBodyBytes);
        Span<byte> span = destination.GetSpan(length)[..length];
        for (int copied = 0; copied < length;)
        {
            int read = content.Read(span[copied..], offset + copied);
            copied += read > 0 ? read : throw new IOException("The object's body file is shorter than its recorded size.");
        }

        destination.Advance(length);
    }

    /// <summary>
    /// Sends <paramref name="length"/> bytes of a body from <paramref name="offset"/> through a stream that flushes each
    /// write (a range of up to <see cref="SmallBodyBytes"/> goes through <see cref="CopySmallTo"/> instead): a body held in
    /// memory in one write, a file's in pooled chunks, a chunk of up to <see cref="SmallBodyBytes"/> read synchronously
    /// (a page-cache copy).
    /// </summary>
    public static async Task CopyToAsync(StoredBody content, long offset, long length, Stream destination, CancellationToken cancellationToken)
    {
        if (content.Memory is { } memory)
        {
            await destination.WriteAsync(memory.AsMemory((int)offset, (int)length), cancellationToken).ConfigureAwait(false);
            return;
        }

        byte[] buffer = System.Buffers.ArrayPool<byte>.Shared.Rent((int)Math.Min(81920, Math.Max(length, 1)));
        try
        {
            long remaining = length;
            while (remaining > 0)
            {
                Memory<byte> chunk = buffer.AsMemory(0, (int)Math.Min(buffer.Length, remaining));
                int read = remaining <= SmallBodyBytes
                    ? content.Read(chunk.Span, offset)
                    : await content.ReadAsync(chunk, offset, cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    throw new IOException("The object's body file is shorter than its recorded size.");
                }

                await destination.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                offset += read;
                remaining -= read;
            }
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Whether a file name is a blob's (a <see cref="ContentKey"/> in lowercase hex), not a temporary or foreign file.</summary>
    public static bool IsBlobId(string value) => value.Length == 64 && value.All(char.IsAsciiHexDigitLower);

    /// <summary>Drops what is left of a staged body (its temporary file, its pooled buffer); safe to call more than once.</summary>
    public void Discard(StagedBlob staged)
    {
        if (staged.TemporaryPath is { } temporary)
        {
            TryDelete(temporary);
            staged.TemporaryPath = null;
        }

        if (staged.Buffer is { } buffer)
        {
            staged.Buffer = null;
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    public void Delete(string blobId)
    {
        if (_segments.Remove(blobId))
        {
            return;
        }

        lock (_files)
        {
            _files.Remove(blobId);
        }

        TryDelete(PathOf(blobId));
    }

    /// <summary>Writes the small bodies still buffered for their segments to their files (before records that may name them are written).</summary>
    public void FlushAppends() => _segments.Flush();

    /// <summary>Makes every blob published since the last call durable (and its directory entry), before the records that name them are.</summary>
    public void SyncPublished()
    {
        _segments.Sync();

        // Serialized: a caller that finds nothing pending must not return while another's fsync of it runs.
        lock (_syncLock)
        {
            string[] pending;
            lock (_unsynced)
            {
                if (!_publishedSinceSync)
                {
                    return;
                }

                pending = [.. _unsynced];
                _unsynced.Clear();
                _publishedSinceSync = false;
            }

            foreach (string path in pending)
            {
                if (File.Exists(path))
                {
                    Fsync.Path(path);
                }
            }

            Fsync.Path(Directory);
        }
    }

    /// <summary>Closes the segments.</summary>
    public void Dispose() => _segments.Dispose();

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}

/// <summary>A body's bytes inside a larger file: from <paramref name="Offset"/> of <paramref name="Path"/>.</summary>
internal sealed record BodyRegion(string Path, long Offset);

/// <summary>
/// A body with its hashes, not yet visible: in a temporary file, or (small bodies) in a pooled buffer
/// until it is published. Owned by one request; <see cref="BlobStore.Publish"/>, <see cref="BlobStore.MoveTo"/>
/// or <see cref="BlobStore.Discard"/> releases it.
/// </summary>
internal sealed class StagedBlob(string? temporaryPath, string blobId, BodyKey key, byte[] md5, long size)
{
    public string? TemporaryPath { get; set; } = temporaryPath;

    /// <summary>Where a multipart part written into its upload's assembly is (<see cref="BlobStore.StageAtAsync"/>), or null.</summary>
    public BodyRegion? Region { get; init; }

    /// <summary>A rented buffer holding the body in <see cref="Size"/> bytes after <see cref="BlobStore.FrameRoom"/> bytes of room (for the segment's extent header), or null.</summary>
    public byte[]? Buffer { get; set; }

    public string BlobId { get; } = blobId;

    /// <summary><see cref="BlobId"/> as the key of the tables that hold an entry per body, made from the hash, not parsed from the hex.</summary>
    public BodyKey Key { get; } = key;

    /// <summary>The body's MD5; for a completed multipart upload streamed to a file, the digest of its ETag (<see cref="BlobStore.StageAsync"/>).</summary>
    public byte[] Md5 { get; } = md5;

    public long Size { get; } = size;

    /// <summary>The quoted hex MD5, formatted into one string.</summary>
    public string ETag => string.Create(2 + (Md5.Length * 2), Md5, static (chars, md5) =>
    {
        chars[0] = '"';
        Convert.TryToHexStringLower(md5, chars[1..^1], out _);
        chars[^1] = '"';
    });
}
