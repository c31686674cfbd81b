using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Kumo.Embedded.Persistence;
using Microsoft.Extensions.Logging;

namespace Kumo.Embedded.S3;

/// <summary>
/// The S3 state: buckets and their objects, the reference counts of the content-addressed bodies
/// (<see cref="BlobStore"/>), open multipart uploads, and the journal every mutation is recorded in.
/// </summary>
/// <remarks>
/// <para>
/// One lock guards the maps and the reference counts, and no file is read, written or renamed while
/// it is held: a body is staged outside it, pinned (its reference count raised) under it, published
/// (renamed into place) outside it, and committed under it. A pinned body is never deleted, so a
/// body is never deleted while an object that names it is being committed, and (with a journal)
/// never before a record that no longer names it is durable.
/// </para>
/// <para>
/// Nothing here knows HTTP: <see cref="S3Operations"/> calls it with plain values.
/// </para>
/// </remarks>
internal sealed partial class S3Store : IDisposable
{
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly BlobStore _blobs;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, S3Bucket> _buckets = new(StringComparer.Ordinal);
    private readonly Dictionary<BodyKey, int> _references = [];
    private readonly HashSet<string> _orphans = new(StringComparer.Ordinal);
    private readonly HashSet<string> _capturedOrphans = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, MultipartUpload> _uploads = new(StringComparer.Ordinal);
    private readonly string _multipartRoot;
    private readonly HeapTrim _trim;
    private Journal? _journal;
    private long _objectCount;

    /// <param name="blobRoot">The data directory, or the engine's private temporary folder in memory mode.</param>
    /// <param name="durable">Bodies must survive a crash (a data directory is set).</param>
    /// <param name="syncEachBlob">Each body is fsynced by the request that wrote it (sync durability).</param>
    /// <param name="time">The engine's clock.</param>
    /// <param name="logger">Where load problems are reported.</param>
    public S3Store(string blobRoot, bool durable, bool syncEachBlob, TimeProvider time, ILogger logger)
    {
        _time = time;
        _logger = logger;
        _blobs = new BlobStore(blobRoot, durable, syncEachBlob, logger);
        _trim = new HeapTrim(TimeSpan.FromSeconds(2), TrimCollections);
        _multipartRoot = Path.Combine(blobRoot, "s3-multipart");
        if (Directory.Exists(_multipartRoot))
        {
            // kumo does not persist multipart uploads either: parts left by a previous run are garbage.
            Directory.Delete(_multipartRoot, recursive: true);
        }
    }

    public BlobStore Blobs => _blobs;

    public DateTimeOffset Now => _time.GetUtcNow();

    /// <summary>The buckets whose names start with <paramref name="prefix"/> (all when null), in name order.</summary>
    public List<S3Bucket> ListBuckets(string? prefix)
    {
        lock (_lock)
        {
            return [.. _buckets.Values.Where(b => prefix is null || b.Name.StartsWith(prefix, StringComparison.Ordinal)).OrderBy(b => b.Name, StringComparer.Ordinal)];
        }
    }

    /// <summary>Throws NoSuchBucket unless <paramref name="name"/> exists; returns its region.</summary>
    public string RequireBucket(string name)
    {
        lock (_lock)
        {
            return Bucket(name).Region;
        }
    }

    public long CreateBucket(string name, string region)
    {
        lock (_lock)
        {
            if (_buckets.ContainsKey(name))
            {
                throw S3Errors.BucketAlreadyOwnedByYou(name);
            }

            var bucket = new S3Bucket(name, Now, region);
            _buckets[name] = bucket;
            return Record(new S3JournalRecord { Op = S3JournalRecord.CreateBucket, Bucket = name, Created = bucket.Created, Region = region });
        }
    }

    public long DeleteBucket(string name)
    {
        lock (_lock)
        {
            S3Bucket bucket = Bucket(name);
            if (bucket.Count > 0 || _uploads.Values.Any(u => u.Bucket == name))
            {
                throw S3Errors.BucketNotEmpty(name);
            }

            _buckets.Remove(name);
            return Record(new S3JournalRecord { Op = S3JournalRecord.DeleteBucket, Bucket = name });
        }
    }

    /// <summary>The object <paramref name="key"/> of an existing bucket, or null.</summary>
    public S3Object? Find(string bucketName, string key)
    {
        lock (_lock)
        {
            return Bucket(bucketName).TryGet(key, out S3Object value) ? value : null;
        }
    }

    /// <summary>The object <paramref name="key"/>, or NoSuchKey.</summary>
    public S3Object Get(string bucketName, string key) =>
        Find(bucketName, key) ?? throw S3Errors.NoSuchKey(bucketName, key);

    /// <summary>
    /// The object <paramref name="key"/> with its body open for reading (it stays readable, unchanged,
    /// whatever happens to the object afterwards). The body is opened outside the lock; if the object was
    /// replaced or deleted meanwhile, it is looked up again.
    /// </summary>
    public (S3Object Value, StoredBody Content) Open(string bucketName, string key)
    {
        for (int attempt = 0; ; attempt++)
        {
            S3Object value = Get(bucketName, key);
            try
            {
                return (value, _blobs.OpenRead(value.BlobId, value.Size));
            }
            catch (FileNotFoundException) when (attempt < 3)
            {
                // Released between the lookup and the open: the object changed; read it again.
            }
        }
    }

    /// <summary>
    /// Publishes a staged body and commits the object that names it, after <paramref name="check"/>
    /// accepts what is stored under the key now. Returns the record's journal sequence number.
    /// </summary>
    /// <remarks>The staged body is gone afterwards, published or discarded, whatever the outcome.</remarks>
    public long Commit(string bucketName, S3Object value, StagedBlob staged, Action<S3Object?>? check)
    {
        bool pinned = false;
        bool committed = false;
        try
        {
            if (!string.Equals(value.BlobId, staged.BlobId, StringComparison.Ordinal))
            {
                throw new ArgumentException($"The object names body {value.BlobId}, not the staged body {staged.BlobId}.", nameof(value));
            }

            lock (_lock)
            {
                Bucket(bucketName);
                Pin(staged.Key, value.BlobId);
                pinned = true;
            }

            _blobs.Publish(staged);
            return Commit(bucketName, value, staged.Key, check, pinned: true, ref committed);
        }
        finally
        {
            if (!committed)
            {
                _blobs.Discard(staged);
                if (pinned)
                {
                    lock (_lock)
                    {
                        ReleaseReference(value.BlobId);
                    }
                }
            }
        }
    }

    /// <summary>Commits an object whose body is already stored (a copy shares its source's body).</summary>
    public long Commit(string bucketName, S3Object value, Action<S3Object?>? check)
    {
        bool committed = false;
        return Commit(bucketName, value, bodyKey: null, check, pinned: false, ref committed);
    }

    // bodyKey: the body's key when the caller has it (a staged body), so the stored form need not parse the blob id.
    private long Commit(string bucketName, S3Object value, BodyKey? bodyKey, Action<S3Object?>? check, bool pinned, ref bool committed)
    {
        ReadOnlySpan<byte> record = Serialize(new S3JournalRecord { Op = S3JournalRecord.PutObject, Bucket = bucketName, Object = value });
        lock (_lock)
        {
            S3Bucket bucket = Bucket(bucketName);
            if (check is not null)
            {
                bucket.TryGet(value.Key, out S3Object? existing);
                check(existing);
            }

            if (!pinned)
            {
                Pin(value.BlobId);
            }

            // The pin becomes the new object's reference.
            if (bucket.Put(value, bodyKey) is { } previous)
            {
                ReleaseReference(previous.BlobId);
            }
            else
            {
                _trim.Observe(++_objectCount);
            }

            committed = true;
            return Append(record);
        }
    }

    /// <summary>
    /// Copies <paramref name="sourceKey"/> into <paramref name="bucketName"/>: <paramref name="describe"/> turns the
    /// source into the copy (under the lock, so the source cannot change meanwhile). The body is shared.
    /// </summary>
    public (S3Object Copy, long Sequence) Copy(string sourceBucket, string sourceKey, string bucketName, Func<S3Object, S3Object> describe)
    {
        lock (_lock)
        {
            S3Bucket source = Bucket(sourceBucket);
            S3Bucket target = Bucket(bucketName);
            if (!source.TryGet(sourceKey, out S3Object original))
            {
                throw S3Errors.NoSuchKey(sourceBucket, sourceKey);
            }

            S3Object copy = describe(original);

            // The body is shared by reference count: a copy never duplicates bytes on disk.
            Pin(copy.BlobId);
            if (target.Put(copy) is { } previous)
            {
                ReleaseReference(previous.BlobId);
            }
            else
            {
                _trim.Observe(++_objectCount);
            }

            return (copy, Record(new S3JournalRecord { Op = S3JournalRecord.PutObject, Bucket = bucketName, Object = copy }));
        }
    }

    /// <summary>Deletes the named objects (missing ones are no error). Returns the last record's sequence number (0 if none).</summary>
    public long Delete(string bucketName, IEnumerable<string> keys)
    {
        long sequence = 0;
        lock (_lock)
        {
            S3Bucket bucket = Bucket(bucketName);
            foreach (string key in keys)
            {
                if (bucket.Remove(key) is { } removed)
                {
                    ReleaseReference(removed.BlobId);
                    _objectCount--;
                    sequence = Record(new S3JournalRecord { Op = S3JournalRecord.DeleteObject, Bucket = bucketName, Key = key });
                }
            }

            _trim.Observe(_objectCount);
        }

        return sequence;
    }

    /// <summary>Completes when the record <paramref name="sequence"/> is as durable as <see cref="KumoEngineOptions.Durability"/> promises before an acknowledgement.</summary>
    public Task DurableAsync(long sequence) => _journal?.WhenDurableAsync(sequence) ?? Task.CompletedTask;

    /// <summary>Stops the trim timer, closes the body segments and removes the multipart folder (parts are never kept across runs).</summary>
    public void Dispose()
    {
        _trim.Dispose();
        _blobs.Dispose();
        try
        {
            if (Directory.Exists(_multipartRoot))
            {
                Directory.Delete(_multipartRoot, recursive: true);
            }
        }
        catch (IOException)
        {
        }
    }

    /// <summary>Gives back the spare capacity of the maps after a large drop (<see cref="HeapTrim"/>).</summary>
    private void TrimCollections()
    {
        lock (_lock)
        {
            foreach (S3Bucket bucket in _buckets.Values)
            {
                bucket.TrimExcess();
            }

            _references.TrimExcess();
            _orphans.TrimExcess();
        }

        _blobs.Segments.TrimExcess();
    }

    private S3Bucket Bucket(string name) =>
        _buckets.TryGetValue(name, out S3Bucket? bucket) ? bucket : throw S3Errors.NoSuchBucket(name);

    /// <summary>Whether an object names the body with this id (an id that is not one names nothing); call under the lock.</summary>
    private bool IsReferenced(ReadOnlySpan<char> blobId) => BodyKey.TryParse(blobId, out BodyKey key) && _references.ContainsKey(key);

    /// <summary>Raises a body's reference count (an object names it, or a commit is about to); call under the lock.</summary>
    private void Pin(string blobId) => Pin(BodyKey.Parse(blobId), blobId);

    /// <summary>Raises the reference count of the body <paramref name="key"/> names (<paramref name="blobId"/> in hex); call under the lock.</summary>
    private void Pin(BodyKey key, string blobId)
    {
        CollectionsMarshal.GetValueRefOrAddDefault(_references, key, out _)++;
        if (_orphans.Count > 0)
        {
            _orphans.Remove(blobId);
        }
    }

    private void ReleaseReference(string blobId)
    {
        BodyKey key = BodyKey.Parse(blobId);
        ref int count = ref CollectionsMarshal.GetValueRefOrNullRef(_references, key);
        if (Unsafe.IsNullRef(ref count) || --count <= 0)
        {
            _references.Remove(key);
            if (_journal is null)
            {
                _blobs.Delete(blobId); // memory only: nothing on disk names it; readers hold it open
            }
            else
            {
                _orphans.Add(blobId); // deleted once the journal record that released it is durable
            }
        }
    }
}
