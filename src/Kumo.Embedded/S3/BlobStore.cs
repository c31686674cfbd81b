using System.Security.Cryptography;
using Kumo.Storage;

namespace Kumo.Embedded.S3;

/// <summary>
/// Object bodies as content-addressed files, <c>s3-objects/&lt;sha256&gt;</c>, as kumo lays them out.
/// </summary>
/// <remarks>
/// A body is streamed to a temporary file while its MD5 and SHA-256 are computed, so no body is
/// held in memory whatever its size. The file name is the hash, never anything the client chose,
/// so no key can name a path outside the data directory. Publishing (rename into place) and
/// deletion are done by <see cref="S3Service"/> under its state lock, so a blob is never deleted
/// while an object that references it is being committed.
/// </remarks>
internal sealed class BlobStore
{
    public const string DirectoryName = "s3-objects";
    private readonly List<string> _unsynced = [];
    private readonly bool _durable;
    private readonly bool _syncEachBlob;
    private bool _publishedSinceSync;

    /// <param name="root">The data directory (or a private temporary one).</param>
    /// <param name="durable">Bodies must survive a crash: they are fsynced before the records that name them.</param>
    /// <param name="syncEachBlob">
    /// Each body is fsynced as it is staged, by the request that wrote it (sync durability: in parallel,
    /// before the acknowledgement); otherwise bodies are fsynced together before the journal's next fsync.
    /// </param>
    public BlobStore(string root, bool durable, bool syncEachBlob)
    {
        Directory = Path.Combine(root, DirectoryName);
        System.IO.Directory.CreateDirectory(Directory);
        StaleTemporaryFiles.Sweep(Directory);
        _durable = durable;
        _syncEachBlob = syncEachBlob;
    }

    public string Directory { get; }

    public string PathOf(string blobId) => Path.Combine(Directory, blobId);

    /// <summary>Streams <paramref name="source"/> into a temporary file, hashing as it goes.</summary>
    /// <exception cref="Protocol.AwsServiceException">The body exceeds <paramref name="maxSize"/> or is shorter than announced.</exception>
    public async Task<StagedBlob> StageAsync(Stream source, long maxSize, long? expectedLength, CancellationToken cancellationToken)
    {
        string temporary = Path.Combine(Directory, $"{AtomicFile.TemporaryPrefix}{Environment.ProcessId}-{Guid.NewGuid():N}");
        using var md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        long total = 0;
        try
        {
            await using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, useAsync: true))
            {
                byte[] buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(81920);
                try
                {
                    int read;
                    while ((read = await source.ReadAsync(buffer.AsMemory(0, buffer.Length), cancellationToken).ConfigureAwait(false)) > 0)
                    {
                        total += read;
                        if (total > maxSize)
                        {
                            throw S3Errors.EntityTooLarge(maxSize);
                        }

                        md5.AppendData(buffer, 0, read);
                        sha.AppendData(buffer, 0, read);
                        await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                    }

                    if (_syncEachBlob)
                    {
                        file.Flush(flushToDisk: true);
                    }
                }
                finally
                {
                    System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
                }
            }

            if (expectedLength is { } expected && expected != total)
            {
                throw S3Errors.IncompleteBody(expected, total);
            }

            return new StagedBlob(temporary, Convert.ToHexStringLower(sha.GetHashAndReset()), md5.GetHashAndReset(), total);
        }
        catch
        {
            TryDelete(temporary);
            throw;
        }
    }

    /// <summary>Moves a staged body into place (or drops it if the same content is already stored). Call under the state lock.</summary>
    public void Publish(StagedBlob staged)
    {
        string target = PathOf(staged.BlobId);
        if (File.Exists(target))
        {
            TryDelete(staged.TemporaryPath);
            return;
        }

        File.Move(staged.TemporaryPath, target);
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

    public void Discard(StagedBlob staged) => TryDelete(staged.TemporaryPath);

    public void Delete(string blobId) => TryDelete(PathOf(blobId));

    /// <summary>Makes every blob published since the last call durable (and its directory entry), before the records that name them are.</summary>
    public void SyncPublished()
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

/// <summary>A body written to a temporary file with its hashes, not yet visible.</summary>
internal sealed record StagedBlob(string TemporaryPath, string BlobId, byte[] Md5, long Size)
{
    public string ETag => "\"" + Convert.ToHexStringLower(Md5) + "\"";
}
