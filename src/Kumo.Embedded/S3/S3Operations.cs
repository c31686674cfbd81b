using System.Globalization;
using System.Text;

namespace Kumo.Embedded.S3;

/// <summary>
/// S3's operations on plain values: the rules (key and body limits, conditional requests, ranges,
/// digests, copy semantics) between <see cref="S3RestProtocol"/>, which reads and writes HTTP, and
/// <see cref="S3Store"/>, which holds the state.
/// </summary>
internal sealed partial class S3Operations
{
    private readonly S3Store _store;
    private readonly long _maxObjectSize;

    public S3Operations(S3Store store, long maxObjectSize)
    {
        _store = store;
        _maxObjectSize = maxObjectSize;
    }

    public DateTimeOffset Now => _store.Now;

    public List<S3Bucket> ListBuckets(string? prefix) => _store.ListBuckets(prefix);

    /// <summary>Throws NoSuchBucket unless the bucket exists; returns its region.</summary>
    public string RequireBucket(string name) => _store.RequireBucket(name);

    public Task CreateBucketAsync(string name, string? locationConstraint)
    {
        string region = string.IsNullOrEmpty(locationConstraint) ? EngineContext.Region : locationConstraint;
        return _store.DurableAsync(_store.CreateBucket(name, region));
    }

    /// <summary>Refuses a bucket name AWS would refuse (checked before the request body is read).</summary>
    public static void CheckBucketName(string name)
    {
        if (BucketNames.Violation(name) is { } rule)
        {
            throw S3Errors.InvalidBucketName(name, rule);
        }
    }

    public Task DeleteBucketAsync(string name) => _store.DurableAsync(_store.DeleteBucket(name));

    /// <summary>Stores an object: checks the key and the write conditions, streams the body to a staged blob, and commits.</summary>
    /// <param name="bucketName">The bucket.</param>
    /// <param name="key">The key.</param>
    /// <param name="body">The body and the digests it must match, asked for once the key and conditions pass.</param>
    /// <param name="describe">The object's metadata (content headers, user metadata), read after the body.</param>
    /// <param name="conditions">The request's conditional headers.</param>
    public async Task<S3Object> PutObjectAsync(string bucketName, string key, Func<S3Body> body, Func<S3Object> describe, S3Conditions conditions)
    {
        CheckKey(key);

        // Refused before the body is read (a missing bucket, a failed condition): a client that sent
        // Expect: 100-continue gets the error without sending the body. The commit checks again under the lock.
        // Without a condition only the bucket is looked up, not the key.
        bool conditional = !conditions.IsEmpty;
        if (conditional)
        {
            CheckWriteConditions(conditions, _store.Find(bucketName, key));
        }
        else
        {
            _store.RequireBucket(bucketName);
        }

        (StagedBlob staged, string? checksumAlgorithm, string? checksumValue) = await StageAsync(body()).ConfigureAwait(false);
        S3Object value;
        try
        {
            value = describe() with
            {
                Size = staged.Size,
                ETag = staged.ETag,
                BlobId = staged.BlobId,
                ChecksumAlgorithm = checksumAlgorithm,
                ChecksumValue = checksumValue,
            };
        }
        catch
        {
            _store.Blobs.Discard(staged);
            throw;
        }

        long sequence = _store.Commit(bucketName, value, staged, conditional ? existing => CheckWriteConditions(conditions, existing) : null);
        await _store.DurableAsync(sequence).ConfigureAwait(false);
        return value;
    }

    /// <summary>
    /// Looks an object up for GET or HEAD: 412 for a failed If-Match / If-Unmodified-Since, then
    /// <see cref="S3ObjectRead.NotModified"/> for If-None-Match / If-Modified-Since, then the range.
    /// </summary>
    public S3ObjectRead GetObject(string bucketName, string key, S3Conditions conditions, string? range, bool includeBody)
    {
        S3Object value;
        StoredBody? content = null;
        if (includeBody)
        {
            (value, content) = _store.Open(bucketName, key);
        }
        else
        {
            value = _store.Get(bucketName, key);
        }

        try
        {
            if (EvaluateReadConditions(conditions, value))
            {
                return new S3ObjectRead(value, content, NotModified: true, Range: null);
            }

            return new S3ObjectRead(value, content, NotModified: false, ParseRange(range, value.Size));
        }
        catch
        {
            content?.Dispose();
            throw;
        }
    }

    public Task DeleteObjectAsync(string bucketName, string key) => _store.DurableAsync(_store.Delete(bucketName, [key]));

    /// <summary>Deletes between 1 and 1,000 keys (missing keys are no error).</summary>
    public async Task DeleteObjectsAsync(string bucketName, List<string> keys)
    {
        if (keys.Count is 0 or > 1000)
        {
            throw S3Errors.MalformedXml("a Delete request must name between 1 and 1000 objects.");
        }

        if (keys.Find(k => !string.Equals(S3Xml.WellFormedUtf16(k), k, StringComparison.Ordinal)) is { } unpaired)
        {
            throw S3Errors.MalformedXml($"the key '{S3Xml.WellFormedUtf16(unpaired)}' holds an unpaired surrogate, which no UTF-8 key can.");
        }

        await _store.DurableAsync(_store.Delete(bucketName, keys)).ConfigureAwait(false);
    }

    /// <summary>Copies an object, sharing its body; <paramref name="replace"/> takes the metadata from <paramref name="describe"/>.</summary>
    public async Task<S3Object> CopyObjectAsync(string bucketName, string key, string copySource, bool replace, Func<S3Object> describe, S3Conditions sourceConditions)
    {
        CheckKey(key);
        (string sourceBucket, string sourceKey) = ParseCopySource(copySource);
        (S3Object copy, long sequence) = _store.Copy(sourceBucket, sourceKey, bucketName, original =>
        {
            CheckCopySourceConditions(sourceConditions, original);
            if (!replace && sourceBucket == bucketName && sourceKey == key)
            {
                throw S3Errors.InvalidRequest("This copy request is illegal because it is trying to copy an object to itself without changing the object's metadata, storage class, website redirect location or encryption attributes.");
            }

            return (replace ? describe() : original with { Key = key }) with
            {
                Size = original.Size,
                ETag = original.ETag,
                BlobId = original.BlobId,
                LastModified = Now,
                ChecksumAlgorithm = original.ChecksumAlgorithm,
                ChecksumValue = original.ChecksumValue,
            };
        });
        await _store.DurableAsync(sequence).ConfigureAwait(false);
        return copy;
    }

    public S3ListPage ListObjects(string bucketName, string prefix, string? delimiter, string? marker, int maxKeys) =>
        _store.List(bucketName, prefix, delimiter, marker, maxKeys);

    /// <summary>Streams a request body to a staged blob and checks the digests the client sent.</summary>
    // region: where in an upload's assembly a part's body is written (its length announced), instead of a file of its own.
    private async ValueTask<(StagedBlob Blob, string? ChecksumAlgorithm, string? ChecksumValue)> StageAsync(S3Body body, BodyRegion? region = null)
    {
        if (body.Length > _maxObjectSize)
        {
            throw S3Errors.EntityTooLarge(_maxObjectSize);
        }

        StagedBlob staged = region is null
            ? await _store.Blobs.StageAsync(body.Content, _maxObjectSize, body.Length, body.CancellationToken).ConfigureAwait(false)
            : await _store.Blobs.StageAtAsync(body.Content, region.Path, region.Offset, body.Length!.Value, _maxObjectSize, body.CancellationToken).ConfigureAwait(false);
        body.MarkRead();
        try
        {
            if (body.ContentMd5 is { } contentMd5)
            {
                if (!TryFromBase64(contentMd5, out byte[] md5) || md5.Length != 16)
                {
                    throw S3Errors.InvalidDigest("Content-MD5");
                }

                if (!md5.AsSpan().SequenceEqual(staged.Md5))
                {
                    throw S3Errors.BadDigest("Content-MD5");
                }
            }

            (string? algorithm, string? value) = body.Checksum();
            if (algorithm == "SHA256" && value is not null)
            {
                if (!string.Equals(Convert.ToBase64String(BlobStore.Sha256Of(staged)), value, StringComparison.Ordinal))
                {
                    throw S3Errors.BadDigest("x-amz-checksum-sha256");
                }
            }

            return (staged, algorithm, value);
        }
        catch
        {
            _store.Blobs.Discard(staged);
            throw;
        }
    }

    /// <summary>Parses <c>x-amz-copy-source</c>: <c>&lt;bucket&gt;/&lt;key&gt;</c>, URL-encoded, optionally with a leading slash and a query.</summary>
    private static (string Bucket, string Key) ParseCopySource(string header)
    {
        string source = header;
        int query = source.IndexOf('?', StringComparison.Ordinal);
        if (query >= 0)
        {
            source = source[..query];
        }

        source = Uri.UnescapeDataString(source).TrimStart('/');
        int slash = source.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0 || slash == source.Length - 1)
        {
            throw S3Errors.InvalidArgument("x-amz-copy-source", $"Invalid copy source '{header}': use '<bucket>/<key>' (URL-encoded).");
        }

        return (source[..slash], source[(slash + 1)..]);
    }

    private static void CheckKey(string key)
    {
        int bytes = Encoding.UTF8.GetByteCount(key);
        if (bytes > S3Object.MaxKeyBytes)
        {
            throw S3Errors.KeyTooLong(bytes);
        }
    }

    /// <summary>S3's order: If-Match / If-Unmodified-Since → 412, then If-None-Match / If-Modified-Since → not modified (true).</summary>
    private static bool EvaluateReadConditions(S3Conditions conditions, S3Object value)
    {
        DateTimeOffset modified = TruncateToSeconds(value.LastModified);
        if (conditions.IfMatch is { } ifMatch)
        {
            if (!ETagMatches(ifMatch, value.ETag))
            {
                throw S3Errors.PreconditionFailed("If-Match");
            }
        }
        else if (conditions.IfUnmodifiedSince is { } unmodifiedSince && modified > unmodifiedSince)
        {
            throw S3Errors.PreconditionFailed("If-Unmodified-Since");
        }

        if (conditions.IfNoneMatch is { } ifNoneMatch)
        {
            return ETagMatches(ifNoneMatch, value.ETag);
        }

        return conditions.IfModifiedSince is { } modifiedSince && modified <= modifiedSince;
    }

    /// <summary>Conditional writes: <c>If-None-Match: *</c> (create only) and <c>If-Match</c> (replace a known version).</summary>
    private static void CheckWriteConditions(S3Conditions conditions, S3Object? existing)
    {
        string? ifNoneMatch = conditions.IfNoneMatch;
        if (ifNoneMatch is not null && existing is not null && (ifNoneMatch.Trim() == "*" || ETagMatches(ifNoneMatch, existing.ETag)))
        {
            throw S3Errors.PreconditionFailed("If-None-Match");
        }

        string? ifMatch = conditions.IfMatch;
        if (ifMatch is not null && (existing is null || !ETagMatches(ifMatch, existing.ETag)))
        {
            throw existing is null ? S3Errors.NoSuchKey(string.Empty, string.Empty) : S3Errors.PreconditionFailed("If-Match");
        }
    }

    /// <summary>The <c>x-amz-copy-source-if-*</c> conditions, carried as <see cref="S3Conditions.IfMatch"/> and <see cref="S3Conditions.IfNoneMatch"/>.</summary>
    private static void CheckCopySourceConditions(S3Conditions conditions, S3Object source)
    {
        if (conditions.IfMatch is { } ifMatch && !ETagMatches(ifMatch, source.ETag))
        {
            throw S3Errors.PreconditionFailed("x-amz-copy-source-If-Match");
        }

        if (conditions.IfNoneMatch is { } ifNoneMatch && ETagMatches(ifNoneMatch, source.ETag))
        {
            throw S3Errors.PreconditionFailed("x-amz-copy-source-If-None-Match");
        }
    }

    private static bool ETagMatches(string condition, string etag)
    {
        foreach (string candidate in condition.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (candidate == "*" || string.Equals(candidate.Trim('"'), etag.Trim('"'), StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Parses a single <c>bytes=</c> range; returns null to serve the whole object.</summary>
    internal static (long Offset, long Length)? ParseRange(string? header, long size)
    {
        if (header is null || !header.StartsWith("bytes=", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        string spec = header[6..].Trim();
        if (spec.Contains(',', StringComparison.Ordinal))
        {
            return null; // S3 ignores multi-range requests and returns the whole object.
        }

        int dash = spec.IndexOf('-', StringComparison.Ordinal);
        if (dash < 0)
        {
            return null;
        }

        string first = spec[..dash];
        string last = spec[(dash + 1)..];
        if (first.Length == 0)
        {
            if (!long.TryParse(last, NumberStyles.None, CultureInfo.InvariantCulture, out long suffix))
            {
                return null;
            }

            if (size == 0 || suffix == 0)
            {
                throw S3Errors.InvalidRange(size);
            }

            long length = Math.Min(suffix, size);
            return (size - length, length);
        }

        if (!long.TryParse(first, NumberStyles.None, CultureInfo.InvariantCulture, out long start))
        {
            return null;
        }

        long end = size - 1;
        if (last.Length > 0)
        {
            if (!long.TryParse(last, NumberStyles.None, CultureInfo.InvariantCulture, out end) || end < start)
            {
                return null;
            }
        }

        if (start >= size)
        {
            throw S3Errors.InvalidRange(size);
        }

        end = Math.Min(end, size - 1);
        return (start, end - start + 1);
    }

    private static DateTimeOffset TruncateToSeconds(DateTimeOffset value) =>
        new(value.Ticks - (value.Ticks % TimeSpan.TicksPerSecond), value.Offset);

    private static bool TryFromBase64(string value, out byte[] bytes)
    {
        bytes = new byte[(value.Length * 3 / 4) + 3];
        if (Convert.TryFromBase64String(value, bytes, out int written))
        {
            bytes = bytes[..written];
            return true;
        }

        bytes = [];
        return false;
    }
}
