using System.Globalization;
using System.Text;
using System.Xml;
using Kumo.Embedded.Protocol;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace Kumo.Embedded.S3;

/// <summary>Object requests: put, get/head, delete, batch delete, copy; the object headers both ways.</summary>
internal sealed partial class S3RestProtocol
{
    /// <summary>S3's limit on user metadata: names and values, UTF-8 bytes.</summary>
    private const int MaxMetadataBytes = 2048;

    private const string MetadataPrefix = "x-amz-meta-";

    private const string ChunkedFix = "Configure the S3 client with RequestChecksumCalculation = WHEN_REQUIRED and send PutObject/UploadPart with UseChunkEncoding = false (Kumo.ServiceDefaults' AddKumoAwsClients does both).";

    private static readonly string[] ChecksumAlgorithms = ["crc32", "crc32c", "crc64nvme", "sha1", "sha256"];

    /// <summary>The request header of each of <see cref="ChecksumAlgorithms"/>, built once.</summary>
    private static readonly string[] ChecksumHeaders = [.. ChecksumAlgorithms.Select(a => "x-amz-checksum-" + a)];

    private async Task PutObjectAsync(HttpContext context, string bucketName, string key)
    {
        HttpRequest request = context.Request;
        S3Object value = await _operations.PutObjectAsync(bucketName, key, () => ReadBody(context), () => DescribeFromHeaders(request, key), WriteConditions(request)).ConfigureAwait(false);
        context.Response.Headers.ETag = value.ETag;
        if (value.ChecksumAlgorithm is not null)
        {
            context.Response.Headers["x-amz-checksum-" + value.ChecksumAlgorithm.ToLowerInvariant()] = value.ChecksumValue;
        }

        context.Response.ContentLength = 0;
    }

    /// <summary>The request body as the operations read it: aws-chunked decoded, with the digests the client sent.</summary>
    private S3Body ReadBody(HttpContext context)
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
            _compatibility.Report("aws-chunked", $"{request.Method} {request.Path} sent an aws-chunked body ({contentSha ?? "Content-Encoding: aws-chunked"})", ChunkedFix);
            if (Header(request, "x-amz-trailer") is { } trailer)
            {
                _compatibility.Report("checksum-trailer", $"{request.Method} {request.Path} sent a trailing checksum ({trailer})", ChunkedFix);
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

        return new RequestBody(context, chunked, body, expected, Header(request, "Content-MD5"));
    }

    /// <summary>A request's body as <see cref="S3Operations"/> reads it; one object per request, no delegates.</summary>
    private sealed class RequestBody(HttpContext context, AwsChunkedStream? chunked, Stream content, long? length, string? contentMd5)
        : S3Body(content, length, contentMd5, context.RequestAborted)
    {
        public override (string? Algorithm, string? Value) Checksum() => FindChecksum(context.Request, chunked);

        public override void MarkRead() => MarkBodyRead(context);
    }

    private static (string? Algorithm, string? Value) FindChecksum(HttpRequest request, AwsChunkedStream? chunked)
    {
        for (int i = 0; i < ChecksumAlgorithms.Length; i++)
        {
            string algorithm = ChecksumAlgorithms[i];
            string header = ChecksumHeaders[i];
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
        S3ObjectRead read = _operations.GetObject(bucketName, key, ReadConditions(request), Header(request, HeaderNames.Range), includeBody);
        using (read.Content)
        {
            S3Object value = read.Value;
            WriteObjectHeaders(context, value);
            if (read.NotModified)
            {
                response.StatusCode = StatusCodes.Status304NotModified;
                return;
            }

            long offset = 0;
            long length = value.Size;
            if (read.Range is { } range)
            {
                (offset, length) = range;
                response.StatusCode = StatusCodes.Status206PartialContent;
                response.Headers.ContentRange = $"bytes {offset}-{offset + length - 1}/{value.Size}";
            }

            response.ContentLength = length;
            if (read.Content is null || length == 0)
            {
                return;
            }

            if (length <= BlobStore.SmallBodyBytes)
            {
                // Written unflushed: Kestrel sends headers and body in one write when the request ends (ResponseBody).
                BlobStore.CopySmallTo(read.Content, offset, (int)length, response.BodyWriter);
                return;
            }

            await BlobStore.CopyToAsync(read.Content, offset, length, response.Body, context.RequestAborted).ConfigureAwait(false);
        }
    }

    private static void WriteObjectHeaders(HttpContext context, S3Object value)
    {
        IHeaderDictionary headers = context.Response.Headers;

        // The response-* overrides come from the query string; without one, HttpRequest.Query is not built.
        IQueryCollection? query = context.Request.QueryString.HasValue ? context.Request.Query : null;
        headers.ETag = value.ETag;
        headers.LastModified = HttpDate.Format(value.LastModified);
        headers.AcceptRanges = "bytes";
        headers.ContentType = Override(query, "response-content-type") ?? value.ContentType;
        SetIfPresent(headers, HeaderNames.ContentEncoding, Override(query, "response-content-encoding") ?? value.ContentEncoding);
        SetIfPresent(headers, HeaderNames.ContentDisposition, Override(query, "response-content-disposition") ?? value.ContentDisposition);
        SetIfPresent(headers, HeaderNames.ContentLanguage, Override(query, "response-content-language") ?? value.ContentLanguage);
        SetIfPresent(headers, HeaderNames.CacheControl, Override(query, "response-cache-control") ?? value.CacheControl);
        SetIfPresent(headers, HeaderNames.Expires, Override(query, "response-expires") ?? value.Expires);
        if (value.Metadata.Count > 0)
        {
            // Enumerating the interface boxes an enumerator: most objects have no metadata to enumerate.
            foreach ((string name, string metadata) in value.Metadata)
            {
                headers["x-amz-meta-" + name] = metadata;
            }
        }

        if (value.ChecksumAlgorithm is not null
            && string.Equals(Header(context.Request, "x-amz-checksum-mode"), "ENABLED", StringComparison.OrdinalIgnoreCase)
            && !context.Request.Headers.ContainsKey(HeaderNames.Range))
        {
            headers["x-amz-checksum-" + value.ChecksumAlgorithm.ToLowerInvariant()] = value.ChecksumValue;
        }
    }

    /// <summary>The <c>response-*</c> override <paramref name="name"/> of a GetObject, if the query string has one.</summary>
    private static string? Override(IQueryCollection? query, string name) => query?[name].FirstOrDefault();

    private async Task DeleteObjectAsync(HttpContext context, string bucketName, string key)
    {
        await _operations.DeleteObjectAsync(bucketName, key).ConfigureAwait(false);
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

        await _operations.DeleteObjectsAsync(bucketName, keys).ConfigureAwait(false);

        using var xml = new S3Xml("DeleteResult");
        if (!quiet)
        {
            foreach (string key in keys)
            {
                xml.Start("Deleted").Element("Key", key).End();
            }
        }

        WriteXml(context, xml);
    }

    private async Task CopyObjectAsync(HttpContext context, string bucketName, string key)
    {
        HttpRequest request = context.Request;
        bool replace = string.Equals(Header(request, "x-amz-metadata-directive"), "REPLACE", StringComparison.OrdinalIgnoreCase);
        S3Object copy = await _operations.CopyObjectAsync(bucketName, key, Header(request, "x-amz-copy-source")!, replace, () => DescribeFromHeaders(request, key), CopySourceConditions(request)).ConfigureAwait(false);

        using var xml = new S3Xml("CopyObjectResult");
        xml.Element("LastModified", S3Xml.Timestamp(copy.LastModified)).Element("ETag", copy.ETag);
        WriteXml(context, xml);
    }

    private static S3Conditions ReadConditions(HttpRequest request) => S3Conditions.ForRead(
        Header(request, HeaderNames.IfMatch),
        Header(request, HeaderNames.IfNoneMatch),
        ParseHttpDate(Header(request, HeaderNames.IfModifiedSince)),
        ParseHttpDate(Header(request, HeaderNames.IfUnmodifiedSince)));

    private static S3Conditions WriteConditions(HttpRequest request) =>
        S3Conditions.ForWrite(Header(request, HeaderNames.IfMatch), Header(request, HeaderNames.IfNoneMatch));

    private static S3Conditions CopySourceConditions(HttpRequest request) =>
        new(Header(request, "x-amz-copy-source-if-match"), Header(request, "x-amz-copy-source-if-none-match"), null, null);

    /// <summary>An object described by the request's content headers and <c>x-amz-meta-*</c>, with no body yet.</summary>
    private S3Object DescribeFromHeaders(HttpRequest request, string key)
    {
        var value = new S3Object
        {
            Key = key,
            Size = 0,
            ETag = string.Empty,
            BlobId = string.Empty,
            LastModified = _operations.Now,
            ContentType = SendableHeader(HeaderNames.ContentType, request.ContentType) ?? "binary/octet-stream",
            ContentEncoding = SendableHeader(HeaderNames.ContentEncoding, StoredContentEncoding(request)),
            ContentDisposition = SendableHeader(HeaderNames.ContentDisposition, Header(request, HeaderNames.ContentDisposition)),
            ContentLanguage = SendableHeader(HeaderNames.ContentLanguage, Header(request, HeaderNames.ContentLanguage)),
            CacheControl = SendableHeader(HeaderNames.CacheControl, Header(request, HeaderNames.CacheControl)),
            Expires = SendableHeader(HeaderNames.Expires, Header(request, HeaderNames.Expires)),
            Metadata = ReadUserMetadata(request),
        };

        return value;
    }

    /// <summary>The user metadata (<c>x-amz-meta-*</c>), at most 2 KB of UTF-8 names and values as in S3; the shared empty map when there is none.</summary>
    private static IReadOnlyDictionary<string, string> ReadUserMetadata(HttpRequest request)
    {
        Dictionary<string, string>? metadata = null;
        int bytes = 0;
        foreach ((string name, Microsoft.Extensions.Primitives.StringValues value) in request.Headers)
        {
            if (name.StartsWith(MetadataPrefix, StringComparison.OrdinalIgnoreCase))
            {
                string key = name[MetadataPrefix.Length..].ToLowerInvariant();
                string text = SendableHeader(name, value.ToString())!;
                bytes += Encoding.UTF8.GetByteCount(key) + Encoding.UTF8.GetByteCount(text);
                metadata ??= new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
                metadata[key] = text;
            }
        }

        if (bytes > MaxMetadataBytes)
        {
            throw S3Errors.MetadataTooLarge(bytes, MaxMetadataBytes);
        }

        return metadata ?? S3Object.NoMetadata;
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
}
