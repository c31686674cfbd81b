using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using Kumo.Embedded.Persistence;
using Kumo.Embedded.Protocol;
using Microsoft.Extensions.Logging;

namespace Kumo.Embedded.S3;

/// <summary>
/// S3 persistence: every mutation is a journal record appended under the state lock; a checkpoint is
/// the whole bucket/object map (<c>s3.json</c>); bodies are content-addressed extents of segment files or files.
/// </summary>
/// <remarks>
/// A body is published (appended to a segment, or renamed into place) before the record that names it is appended, and fsynced
/// before that record's batch is; a body no object names any more is deleted only once the record that
/// released it is durable. Loading validates every value and reports the JSON pointer of the first
/// one it cannot use.
/// </remarks>
internal sealed partial class S3Store
{
    /// <summary>How many released bodies are deleted per hold of the state lock.</summary>
    private const int OrphansPerLock = 256;

    public JournalHooks Hooks => new(BeforeWrite: _blobs.FlushAppends, BeforeBatch: SetAsideOrphans, BeforeSync: _blobs.SyncPublished, AfterSync: DeleteSetAsideOrphans);

    public void Attach(Journal? journal) => _journal = journal;

    public long LoadCheckpoint(ReadOnlySpan<byte> document)
    {
        S3Document state = JsonSerializer.Deserialize(document, S3JsonContext.Default.S3Document)
            ?? throw new InvalidDataException("the document is null; expected an object with 'format', 'journal' and 'buckets'.");
        if (state.Format != EngineIdentity.PersistenceFormat)
        {
            throw new InvalidDataException($"/format is {state.Format}; this engine reads format {EngineIdentity.PersistenceFormat}. Restore a snapshot made by this engine version.");
        }

        Require(state.Buckets, "/buckets");
        if (state.Journal < 1)
        {
            throw new InvalidDataException("/journal must be a segment number of at least 1.");
        }

        lock (_lock)
        {
            for (int b = 0; b < state.Buckets.Count; b++)
            {
                string at = Pointer($"/buckets/{b}");
                BucketDocument saved = Require(state.Buckets[b], at);
                CheckBucket(saved.Name, saved.Region, $"{at}");
                Require(saved.Objects, $"{at}/objects");
                if (_buckets.ContainsKey(saved.Name))
                {
                    throw new InvalidDataException($"{at}/name: the bucket '{saved.Name}' appears twice.");
                }

                var bucket = new S3Bucket(saved.Name, saved.Created, saved.Region);
                for (int o = 0; o < saved.Objects.Count; o++)
                {
                    bucket.Put(CheckObject(saved.Objects[o], Pointer($"{at}/objects/{o}")));
                }

                _buckets[bucket.Name] = bucket;
            }
        }

        return state.Journal;
    }

    public void Replay(ReadOnlySpan<byte> record)
    {
        S3JournalRecord entry = JsonSerializer.Deserialize(record, S3JsonContext.Default.S3JournalRecord)
            ?? throw new InvalidDataException("the record is null.");
        Require(entry.Bucket, "/bucket");
        lock (_lock)
        {
            switch (entry.Op)
            {
                case S3JournalRecord.CreateBucket:
                    CheckBucket(entry.Bucket, Require(entry.Region, "/region"), string.Empty);
                    _buckets[entry.Bucket] = new S3Bucket(entry.Bucket, entry.Created ?? default, entry.Region);
                    break;
                case S3JournalRecord.DeleteBucket:
                    _buckets.Remove(entry.Bucket);
                    break;
                case S3JournalRecord.PutObject:
                    ReplayBucket(entry.Bucket).Put(CheckObject(entry.Object, "/object"));
                    break;
                case S3JournalRecord.DeleteObject:
                    ReplayBucket(entry.Bucket).Remove(Require(entry.Key, "/key"));
                    break;
                default:
                    throw new InvalidDataException($"/op: unknown operation '{entry.Op}'.");
            }
        }
    }

    public void FinishLoad()
    {
        lock (_lock)
        {
            foreach (S3Bucket bucket in _buckets.Values)
            {
                // In no order (a snapshot, not the key order): ordering every key at start would keep a string per key
                // until the first listing, which may never come.
                foreach (S3Object item in bucket.Snapshot())
                {
                    long length = _blobs.LengthOf(item.BlobId);
                    if (length != item.Size)
                    {
                        LogMissingBlob(_logger, bucket.Name, item.Key, length, item.Size);
                        bucket.Remove(item.Key);
                        continue;
                    }

                    CollectionsMarshal.GetValueRefOrAddDefault(_references, BodyKey.Parse(item.BlobId), out _)++;
                }
            }

            _objectCount = _buckets.Values.Sum(b => (long)b.Count);
            _trim.Reset(_objectCount);

            // Bodies written after the last durable record before a crash are referenced by nothing: drop them.
            _blobs.DeleteUnreferenced(IsReferenced);
            if (_blobs.MigrateSmallFiles() is > 0 and int moved)
            {
                LogMigrated(_logger, moved, _blobs.Segments.Directory);
            }
        }
    }

    public void Reset()
    {
        lock (_lock)
        {
            _buckets.Clear();
            _references.Clear();
            _objectCount = 0;
            _trim.Reset(0);
        }
    }

    /// <summary>Captures the state (and makes the bodies it names durable); the document is serialized straight to the checkpoint file.</summary>
    /// <remarks>
    /// Streamed, not one byte array: at 100,000 objects the document is ~30 MiB, and a buffer of it (plus the
    /// pooled buffers it grew through) per checkpoint was most of the engine's large-object heap.
    /// </remarks>
    public Func<Stream, CancellationToken, Task> Checkpoint(Func<long> rotate)
    {
        S3Document document;
        lock (_lock)
        {
            // Only references are copied while every S3 request waits: ordering 100,000 keys here (the bucket's key
            // order is merged lazily, at the next listing) held the lock for tens of milliseconds.
            document = new S3Document
            {
                Journal = rotate(),
                Buckets = [.. _buckets.Values.Select(b => new BucketDocument { Name = b.Name, Created = b.Created, Region = b.Region, Objects = b.Snapshot() })],
            };
        }

        // The document is ordered (buckets by name, objects by key) outside the lock, so the same state always writes
        // the same checkpoint.
        document.Buckets.Sort(static (a, b) => string.CompareOrdinal(a.Name, b.Name));
        foreach (BucketDocument bucket in document.Buckets)
        {
            ((ObjectSnapshot)bucket.Objects).SortByKey();
        }

        // Objects are immutable once committed, so serializing outside the lock is safe. Bodies the
        // checkpoint names are made durable before it is written.
        _blobs.SyncPublished();
        return CheckpointDocument.Writer(stream => S3CheckpointWriter.Write(stream, document));
    }

    /// <summary>Appends a mutation to the journal; call under the state lock. Returns its sequence number (0 in memory).</summary>
    private long Record(S3JournalRecord record) => Append(Serialize(record));

    /// <summary>
    /// A record's journal payload (empty in memory), serialized before the lock is taken where the record is known in
    /// advance: the thread's record writer holds it until its next record, so append it before serializing another.
    /// </summary>
    private ReadOnlySpan<byte> Serialize(S3JournalRecord record) =>
        _journal is null ? default : JsonScratch.Record.Serialize(record, S3JsonContext.Default.S3JournalRecord);

    /// <summary>Appends a serialized record; call under the state lock.</summary>
    private long Append(ReadOnlySpan<byte> record) => _journal is null ? 0 : _journal.Append(record);

    private void SetAsideOrphans()
    {
        lock (_lock)
        {
            _capturedOrphans.UnionWith(_orphans);
            _orphans.Clear();
        }
    }

    /// <summary>
    /// Deletes the bodies released by the records just made durable, unless pinned again meanwhile: under the lock
    /// (a commit pins a body under it), but in chunks, so that many orphans (a bulk delete's) never hold it long.
    /// </summary>
    private void DeleteSetAsideOrphans()
    {
        string[] captured;
        lock (_lock)
        {
            captured = [.. _capturedOrphans];
            _capturedOrphans.Clear();
        }

        for (int start = 0; start < captured.Length; start += OrphansPerLock)
        {
            lock (_lock)
            {
                foreach (string blobId in captured.AsSpan(start, Math.Min(OrphansPerLock, captured.Length - start)))
                {
                    if (!IsReferenced(blobId))
                    {
                        _blobs.Delete(blobId);
                    }
                }
            }
        }
    }

    private S3Bucket ReplayBucket(string name) =>
        _buckets.TryGetValue(name, out S3Bucket? bucket) ? bucket : throw new InvalidDataException($"/bucket: the bucket '{name}' does not exist at this point of the journal.");

    private static void CheckBucket(string? name, string? region, string at)
    {
        Require(name, $"{at}/name");
        Require(region, $"{at}/region");
        if (BucketNames.Violation(name) is { } rule)
        {
            throw new InvalidDataException($"{at}/name: '{name}' is not a valid bucket name: {rule}");
        }
    }

    private static S3Object CheckObject(S3Object? item, string at)
    {
        Require(item, at);
        Require(item.Key, $"{at}/key");
        Require(item.ETag, $"{at}/eTag");
        Require(item.ContentType, $"{at}/contentType");
        Require(item.Metadata, $"{at}/metadata");
        if (item.Key.Length == 0 || Encoding.UTF8.GetByteCount(item.Key) > S3Object.MaxKeyBytes)
        {
            throw new InvalidDataException($"{at}/key: a key is 1 to {S3Object.MaxKeyBytes} bytes of UTF-8.");
        }

        if (!BlobStore.IsBlobId(item.BlobId ?? string.Empty))
        {
            throw new InvalidDataException($"{at}/blobId: '{item.BlobId}' is not a blob id (64 lowercase hex digits).");
        }

        if (item.Size < 0)
        {
            throw new InvalidDataException($"{at}/size: {item.Size} is negative.");
        }

        foreach ((string name, string? value) in item.Metadata)
        {
            Require(value, $"{at}/metadata/{name}");
        }

        // Stored under a case-insensitive comparer, as the API builds it.
        return item with { Metadata = S3Object.CopyMetadata(item.Metadata) };
    }

    private static T Require<T>([System.Diagnostics.CodeAnalysis.NotNull] T? value, string at)
        where T : class =>
        value ?? throw new InvalidDataException($"{(at.Length == 0 ? "/" : at)} is null; expected a value.");

    private static string Pointer(FormattableString path) => path.ToString(CultureInfo.InvariantCulture);

    [LoggerMessage(Level = LogLevel.Information, Message = "Moved {Count} small bodies of a data directory written before segments (a file each) into {Directory}")]
    private static partial void LogMigrated(ILogger logger, int count, string directory);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Dropping {Bucket}/{Key} on load: its body is missing (-1) or has {Actual} bytes instead of {Expected}")]
    private static partial void LogMissingBlob(ILogger logger, string bucket, string key, long actual, long expected);
}
