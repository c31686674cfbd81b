using System.Globalization;
using System.Text;
using System.Xml;
using Kumo.Embedded.Protocol;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace Kumo.Embedded.S3;

/// <summary>Object operations: put, get/head (ranges, conditions), delete, batch delete, copy.</summary>
internal sealed partial class S3Service
{
    private const int MaxKeyBytes = 1024;

    /// <summary>S3's limit on user metadata: names and values, UTF-8 bytes.</summary>
    private const int MaxMetadataBytes = 2048;

    private const string MetadataPrefix = "x-amz-meta-";

    private const string ChunkedFix = "Configure the S3 client with RequestChecksumCalculation = WHEN_REQUIRED and send PutObject/UploadPart with UseChunkEncoding = false (Kumo.ServiceDefaults' AddKumoAwsClients does both).";

    private static readonly string[] ChecksumAlgorithms = ["crc32", "crc32c", "crc64nvme", "sha1", "sha256"];

    private async Task PutObjectAsync(HttpContext context, string bucketName, string key)
    {
        CheckKey(key);
        HttpRequest request = context.Request;
        lock (_lock)
        {
            S3Bucket bucket = RequireBucket(bucketName);
            bucket.TryGet(key, out S3Object? existing);
            CheckWritePreconditions(request, existing);
        }

        (StagedBlob staged, string? checksumAlgorithm, string? checksumValue) = await StageBodyAsync(context).ConfigureAwait(false);
        try
        {
            S3Object value = DescribeFromHeaders(request, key) with
            {
                Size = staged.Size,
                ETag = staged.ETag,
                BlobId = staged.BlobId,
                ChecksumAlgorithm = checksumAlgorithm,
                ChecksumValue = checksumValue,
            };
            long sequence = Commit(bucketName, value, staged, request);
            await DurableAsync(sequence).ConfigureAwait(false);
            context.Response.Headers.ETag = value.ETag;
            if (checksumAlgorithm is not null)
            {
                context.Response.Headers["x-amz-checksum-" + checksumAlgorithm.ToLowerInvariant()] = checksumValue;
            }

            context.Response.ContentLength = 0;
        }
        catch
        {
            _blobs.Discard(staged);
            throw;
        }
    }

    /// <summary>Commits an object, re-checking write preconditions against what is stored now. Returns its journal sequence number.</summary>
    private long Commit(string bucketName, S3Object value, StagedBlob? staged, HttpRequest? request)
    {
        lock (_lock)
        {
            S3Bucket bucket = RequireBucket(bucketName);
            if (request is not null)
            {
                bucket.TryGet(value.Key, out S3Object? existing);
                CheckWritePreconditions(request, existing);
            }

            if (staged is not null)
            {
                _blobs.Publish(staged);
            }

            AddReference(value.BlobId);
            if (bucket.Put(value) is { } previous)
            {
                ReleaseReference(previous.BlobId);
            }

            return Record(new S3JournalRecord { Op = S3JournalRecord.PutObject, Bucket = bucketName, Object = value });
        }
    }

    /// <summary>Streams the request body to a staged blob, decoding aws-chunked and checking digests.</summary>
    private async Task<(StagedBlob Blob, string? ChecksumAlgorithm, string? ChecksumValue)> StageBodyAsync(HttpContext context)
    {
        HttpRequest request = context.Request;
        Stream body = request.Body;
        long? expected = request.ContentLength;
        AwsChunkedStream? chunked = null;
        string? contentSha = Header(request, "x-amz-content-sha256");
        bool isChunked = (Header(request, HeaderNames.ContentEncoding)?.Contains("aws-chunked", StringComparison.OrdinalIgnoreCase) ?? false)
            || (contentSha?.StartsWith("STREAMING-", StringComparison.Ordinal) ?? false);
        if (isChunked)
        {
            _context.Compatibility.Report("aws-chunked", $"{request.Method} {request.Path} sent an aws-chunked body ({contentSha ?? "Content-Encoding: aws-chunked"})", ChunkedFix);
            if (Header(request, "x-amz-trailer") is { } trailer)
            {
                _context.Compatibility.Report("checksum-trailer", $"{request.Method} {request.Path} sent a trailing checksum ({trailer})", ChunkedFix);
            }

            chunked = new AwsChunkedStream(body);
            body = chunked;
            expected = null;
            if (Header(request, "x-amz-decoded-content-length") is { } decodedHeader)
            {
                expected = long.TryParse(decodedHeader, NumberStyles.None, CultureInfo.InvariantCulture, out long decoded)
                    ? decoded
                    : throw S3Errors.InvalidArgument("x-amz-decoded-content-length", $"x-amz-decoded-content-length '{decodedHeader}' is not a number of bytes.");
            }
        }

        if (expected > _context.Options.MaxObjectSize)
        {
            throw S3Errors.EntityTooLarge(_context.Options.MaxObjectSize);
        }

        StagedBlob staged = await _blobs.StageAsync(body, _context.Options.MaxObjectSize, expected, context.RequestAborted).ConfigureAwait(false);
        MarkBodyRead(context);
        try
        {
            if (Header(request, "Content-MD5") is { } contentMd5)
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

            (string? algorithm, string? value) = FindChecksum(request, chunked);
            if (algorithm == "SHA256" && value is not null)
            {
                byte[] sha = Convert.FromHexString(staged.BlobId);
                if (!string.Equals(Convert.ToBase64String(sha), value, StringComparison.Ordinal))
                {
                    throw S3Errors.BadDigest("x-amz-checksum-sha256");
                }
            }

            return (staged, algorithm, value);
        }
        catch
        {
            _blobs.Discard(staged);
            throw;
        }
    }

    private static (string? Algorithm, string? Value) FindChecksum(HttpRequest request, AwsChunkedStream? chunked)
    {
        foreach (string algorithm in ChecksumAlgorithms)
        {
            string header = "x-amz-checksum-" + algorithm;
            string? value = Header(request, header);
            if (value is null && chunked is not null && chunked.Trailers.TryGetValue(header, out string? trailed))
            {
                value = trailed;
            }

            if (value is not null)
            {
                return (algorithm.ToUpperInvariant(), value);
            }
        }

        return (null, null);
    }

    private async Task GetObjectAsync(HttpContext context, string bucketName, string key, bool includeBody)
    {
        HttpRequest request = context.Request;
        HttpResponse response = context.Response;
        S3Object value;
        FileStream? content = null;
        lock (_lock)
        {
            S3Bucket bucket = RequireBucket(bucketName);
            if (!bucket.TryGet(key, out value))
            {
                throw S3Errors.NoSuchKey(bucketName, key);
            }

            if (includeBody)
            {
                // Opened under the lock: the blob cannot be deleted before we hold it open.
                content = new FileStream(_blobs.PathOf(value.BlobId), FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 1, useAsync: true);
            }
        }

        await using (content)
        {
            int? status = EvaluateReadPreconditions(request, value);
            WriteObjectHeaders(context, value);
            if (status == StatusCodes.Status304NotModified)
            {
                response.StatusCode = status.Value;
                return;
            }

            long offset = 0;
            long length = value.Size;
            if (ParseRange(Header(request, HeaderNames.Range), value.Size) is { } range)
            {
                (offset, length) = range;
                response.StatusCode = StatusCodes.Status206PartialContent;
                response.Headers.ContentRange = $"bytes {offset}-{offset + length - 1}/{value.Size}";
            }

            response.ContentLength = length;
            if (!includeBody || content is null || length == 0)
            {
                return;
            }

            content.Seek(offset, SeekOrigin.Begin);
            await CopyRangeAsync(content, response.Body, length, context.RequestAborted).ConfigureAwait(false);
        }
    }

    private static void WriteObjectHeaders(HttpContext context, S3Object value)
    {
        IHeaderDictionary headers = context.Response.Headers;
        IQueryCollection query = context.Request.Query;
        headers.ETag = value.ETag;
        headers.LastModified = value.LastModified.ToString("R", CultureInfo.InvariantCulture);
        headers.AcceptRanges = "bytes";
        headers.ContentType = query["response-content-type"].FirstOrDefault() ?? value.ContentType;
        SetIfPresent(headers, HeaderNames.ContentEncoding, query["response-content-encoding"].FirstOrDefault() ?? value.ContentEncoding);
        SetIfPresent(headers, HeaderNames.ContentDisposition, query["response-content-disposition"].FirstOrDefault() ?? value.ContentDisposition);
        SetIfPresent(headers, HeaderNames.ContentLanguage, query["response-content-language"].FirstOrDefault() ?? value.ContentLanguage);
        SetIfPresent(headers, HeaderNames.CacheControl, query["response-cache-control"].FirstOrDefault() ?? value.CacheControl);
        SetIfPresent(headers, HeaderNames.Expires, query["response-expires"].FirstOrDefault() ?? value.Expires);
        foreach ((string name, string metadata) in value.Metadata)
        {
            headers["x-amz-meta-" + name] = metadata;
        }

        if (value.ChecksumAlgorithm is not null
            && string.Equals(Header(context.Request, "x-amz-checksum-mode"), "ENABLED", StringComparison.OrdinalIgnoreCase)
            && !context.Request.Headers.ContainsKey(HeaderNames.Range))
        {
            headers["x-amz-checksum-" + value.ChecksumAlgorithm.ToLowerInvariant()] = value.ChecksumValue;
        }
    }

    private async Task DeleteObjectAsync(HttpContext context, string bucketName, string key)
    {
        long sequence = 0;
        lock (_lock)
        {
            S3Bucket bucket = RequireBucket(bucketName);
            if (bucket.Remove(key) is { } removed)
            {
                ReleaseReference(removed.BlobId);
                sequence = Record(new S3JournalRecord { Op = S3JournalRecord.DeleteObject, Bucket = bucketName, Key = key });
            }
        }

        await DurableAsync(sequence).ConfigureAwait(false);
        context.Response.StatusCode = StatusCodes.Status204NoContent;
    }

    private async Task DeleteObjectsAsync(HttpContext context, string bucketName)
    {
        byte[] body = await ReadControlBodyAsync(context).ConfigureAwait(false);
        var keys = new List<string>();
        bool quiet = false;
        using (var reader = XmlReader.Create(new MemoryStream(body), SafeXml))
        {
            while (reader.Read())
            {
                if (reader.NodeType != XmlNodeType.Element)
                {
                    continue;
                }

                if (reader.LocalName == "Key")
                {
                    keys.Add(reader.ReadElementContentAsString());
                }
                else if (reader.LocalName == "Quiet")
                {
                    quiet = string.Equals(reader.ReadElementContentAsString(), "true", StringComparison.OrdinalIgnoreCase);
                }
            }
        }

        if (keys.Count is 0 or > 1000)
        {
            throw S3Errors.MalformedXml("a Delete request must name between 1 and 1000 objects.");
        }

        if (keys.Find(k => !string.Equals(S3Xml.WellFormedUtf16(k), k, StringComparison.Ordinal)) is { } unpaired)
        {
            throw S3Errors.MalformedXml($"the key '{S3Xml.WellFormedUtf16(unpaired)}' holds an unpaired surrogate, which no UTF-8 key can.");
        }

        long sequence = 0;
        lock (_lock)
        {
            S3Bucket bucket = RequireBucket(bucketName);
            foreach (string key in keys)
            {
                if (bucket.Remove(key) is { } removed)
                {
                    ReleaseReference(removed.BlobId);
                    sequence = Record(new S3JournalRecord { Op = S3JournalRecord.DeleteObject, Bucket = bucketName, Key = key });
                }
            }
        }

        await DurableAsync(sequence).ConfigureAwait(false);

        using var xml = new S3Xml("DeleteResult");
        if (!quiet)
        {
            foreach (string key in keys)
            {
                xml.Start("Deleted").Element("Key", key).End();
            }
        }

        await WriteXmlAsync(context, xml).ConfigureAwait(false);
    }

    private async Task CopyObjectAsync(HttpContext context, string bucketName, string key)
    {
        CheckKey(key);
        HttpRequest request = context.Request;
        (string sourceBucket, string sourceKey) = ParseCopySource(Header(request, "x-amz-copy-source")!);
        bool replace = string.Equals(Header(request, "x-amz-metadata-directive"), "REPLACE", StringComparison.OrdinalIgnoreCase);
        S3Object copy;
        long sequence;
        lock (_lock)
        {
            S3Bucket source = RequireBucket(sourceBucket);
            RequireBucket(bucketName);
            if (!source.TryGet(sourceKey, out S3Object original))
            {
                throw S3Errors.NoSuchKey(sourceBucket, sourceKey);
            }

            CheckCopySourcePreconditions(request, original);
            if (!replace && sourceBucket == bucketName && sourceKey == key)
            {
                throw S3Errors.InvalidRequest("This copy request is illegal because it is trying to copy an object to itself without changing the object's metadata, storage class, website redirect location or encryption attributes.");
            }

            copy = (replace ? DescribeFromHeaders(request, key) : original with { Key = key, Metadata = new Dictionary<string, string>(original.Metadata, StringComparer.OrdinalIgnoreCase) }) with
            {
                Size = original.Size,
                ETag = original.ETag,
                BlobId = original.BlobId,
                LastModified = Now,
                ChecksumAlgorithm = original.ChecksumAlgorithm,
                ChecksumValue = original.ChecksumValue,
            };

            // The body is shared by reference count: a copy never duplicates bytes on disk.
            AddReference(copy.BlobId);
            if (RequireBucket(bucketName).Put(copy) is { } previous)
            {
                ReleaseReference(previous.BlobId);
            }

            sequence = Record(new S3JournalRecord { Op = S3JournalRecord.PutObject, Bucket = bucketName, Object = copy });
        }

        await DurableAsync(sequence).ConfigureAwait(false);

        using var xml = new S3Xml("CopyObjectResult");
        xml.Element("LastModified", S3Xml.Timestamp(copy.LastModified)).Element("ETag", copy.ETag);
        await WriteXmlAsync(context, xml).ConfigureAwait(false);
    }

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
        if (bytes > MaxKeyBytes)
        {
            throw S3Errors.KeyTooLong(bytes);
        }
    }

    /// <summary>S3's order: If-Match / If-Unmodified-Since → 412, then If-None-Match / If-Modified-Since → 304.</summary>
    private static int? EvaluateReadPreconditions(HttpRequest request, S3Object value)
    {
        DateTimeOffset modified = TruncateToSeconds(value.LastModified);
        string? ifMatch = Header(request, HeaderNames.IfMatch);
        if (ifMatch is not null)
        {
            if (!ETagMatches(ifMatch, value.ETag))
            {
                throw S3Errors.PreconditionFailed("If-Match");
            }
        }
        else if (ParseHttpDate(Header(request, HeaderNames.IfUnmodifiedSince)) is { } unmodifiedSince && modified > unmodifiedSince)
        {
            throw S3Errors.PreconditionFailed("If-Unmodified-Since");
        }

        string? ifNoneMatch = Header(request, HeaderNames.IfNoneMatch);
        if (ifNoneMatch is not null)
        {
            if (ETagMatches(ifNoneMatch, value.ETag))
            {
                return StatusCodes.Status304NotModified;
            }
        }
        else if (ParseHttpDate(Header(request, HeaderNames.IfModifiedSince)) is { } modifiedSince && modified <= modifiedSince)
        {
            return StatusCodes.Status304NotModified;
        }

        return null;
    }

    /// <summary>Conditional writes: <c>If-None-Match: *</c> (create only) and <c>If-Match</c> (replace a known version).</summary>
    private static void CheckWritePreconditions(HttpRequest request, S3Object? existing)
    {
        string? ifNoneMatch = Header(request, HeaderNames.IfNoneMatch);
        if (ifNoneMatch is not null && existing is not null && (ifNoneMatch.Trim() == "*" || ETagMatches(ifNoneMatch, existing.ETag)))
        {
            throw S3Errors.PreconditionFailed("If-None-Match");
        }

        string? ifMatch = Header(request, HeaderNames.IfMatch);
        if (ifMatch is not null && (existing is null || !ETagMatches(ifMatch, existing.ETag)))
        {
            throw existing is null ? S3Errors.NoSuchKey(string.Empty, string.Empty) : S3Errors.PreconditionFailed("If-Match");
        }
    }

    private static void CheckCopySourcePreconditions(HttpRequest request, S3Object source)
    {
        if (Header(request, "x-amz-copy-source-if-match") is { } ifMatch && !ETagMatches(ifMatch, source.ETag))
        {
            throw S3Errors.PreconditionFailed("x-amz-copy-source-If-Match");
        }

        if (Header(request, "x-amz-copy-source-if-none-match") is { } ifNoneMatch && ETagMatches(ifNoneMatch, source.ETag))
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

    private static async Task CopyRangeAsync(Stream source, Stream destination, long length, CancellationToken cancellationToken)
    {
        byte[] buffer = System.Buffers.ArrayPool<byte>.Shared.Rent((int)Math.Min(81920, Math.Max(length, 1)));
        try
        {
            long remaining = length;
            while (remaining > 0)
            {
                int read = await source.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, remaining)), cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    throw new IOException("The object's body file is shorter than its recorded size.");
                }

                await destination.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                remaining -= read;
            }
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>An object described by the request's content headers and <c>x-amz-meta-*</c>, with no body yet.</summary>
    private S3Object DescribeFromHeaders(HttpRequest request, string key) => new()
    {
        Key = key,
        Size = 0,
        ETag = string.Empty,
        BlobId = string.Empty,
        LastModified = Now,
        ContentType = SendableHeader(HeaderNames.ContentType, request.ContentType) ?? "binary/octet-stream",
        ContentEncoding = SendableHeader(HeaderNames.ContentEncoding, StoredContentEncoding(request)),
        ContentDisposition = SendableHeader(HeaderNames.ContentDisposition, Header(request, HeaderNames.ContentDisposition)),
        ContentLanguage = SendableHeader(HeaderNames.ContentLanguage, Header(request, HeaderNames.ContentLanguage)),
        CacheControl = SendableHeader(HeaderNames.CacheControl, Header(request, HeaderNames.CacheControl)),
        Expires = SendableHeader(HeaderNames.Expires, Header(request, HeaderNames.Expires)),
        Metadata = UserMetadata(request),
    };

    /// <summary>User metadata (<c>x-amz-meta-*</c>), at most 2 KB of UTF-8 names and values as in S3.</summary>
    private static Dictionary<string, string> UserMetadata(HttpRequest request)
    {
        var metadata = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        int bytes = 0;
        foreach ((string name, Microsoft.Extensions.Primitives.StringValues value) in request.Headers)
        {
            if (name.StartsWith(MetadataPrefix, StringComparison.OrdinalIgnoreCase))
            {
                string key = name[MetadataPrefix.Length..].ToLowerInvariant();
                string text = SendableHeader(name, value.ToString())!;
                bytes += Encoding.UTF8.GetByteCount(key) + Encoding.UTF8.GetByteCount(text);
                metadata[key] = text;
            }
        }

        if (bytes > MaxMetadataBytes)
        {
            throw S3Errors.MetadataTooLarge(bytes, MaxMetadataBytes);
        }

        return metadata;
    }

    /// <summary>A request header value the engine will echo on reads; refused unless it can be sent back.</summary>
    private static string? SendableHeader(string name, string? value) =>
        value is null || HeaderValues.CanSend(value)
            ? value
            : throw S3Errors.InvalidArgument(name, $"The {name} header must be printable ASCII (S3 returns it on every read).");

    /// <summary>The Content-Encoding to store: the client's, minus the transport-only <c>aws-chunked</c>.</summary>
    private static string? StoredContentEncoding(HttpRequest request)
    {
        string? encoding = Header(request, HeaderNames.ContentEncoding);
        if (encoding is null)
        {
            return null;
        }

        string remaining = string.Join(',', encoding.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Where(e => !e.Equals("aws-chunked", StringComparison.OrdinalIgnoreCase)));
        return remaining.Length == 0 ? null : remaining;
    }

    private static string? Header(HttpRequest request, string name) =>
        request.Headers.TryGetValue(name, out var value) && value.Count > 0 ? value.ToString() : null;

    private static void SetIfPresent(IHeaderDictionary headers, string name, string? value)
    {
        if (value is not null)
        {
            headers[name] = value;
        }
    }

    private static DateTimeOffset? ParseHttpDate(string? value) =>
        value is not null && DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out DateTimeOffset parsed) ? parsed : null;

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
