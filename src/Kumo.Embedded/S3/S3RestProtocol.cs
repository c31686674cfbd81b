using System.Globalization;
using System.Xml;
using Kumo.Embedded.Compatibility;
using Kumo.Embedded.Protocol;
using Microsoft.AspNetCore.Http;

namespace Kumo.Embedded.S3;

/// <summary>
/// S3's REST-XML protocol: routes a request by method, path and subresource, reads its headers,
/// query and body into plain values for <see cref="S3Operations"/>, and writes the answer (headers,
/// XML documents, bodies, errors).
/// </summary>
internal sealed partial class S3RestProtocol
{
    /// <summary>S3's longest presigned URL validity: seven days.</summary>
    private const long MaxPresignedExpirySeconds = 604800;

    private static readonly string[] UnsupportedSubresources =
    [
        "acl", "policy", "cors", "lifecycle", "tagging", "website", "logging", "notification", "replication",
        "encryption", "ownershipControls", "publicAccessBlock", "object-lock", "accelerate", "requestPayment",
        "analytics", "metrics", "inventory", "intelligent-tiering", "versions", "legal-hold", "retention",
        "torrent", "restore", "select", "attributes", "policyStatus", "versionId",
    ];

    private static readonly string[] ResponseOverrides =
    [
        "response-content-type", "response-content-encoding", "response-content-disposition", "response-content-language", "response-cache-control", "response-expires",
    ];

    private readonly S3Operations _operations;
    private readonly KumoCompatibilityMonitor _compatibility;
    private readonly int _maxControlBodySize;

    public S3RestProtocol(S3Operations operations, EngineContext context)
    {
        _operations = operations;
        _compatibility = context.Compatibility;
        _maxControlBodySize = context.Options.MaxControlBodySize;
    }

    /// <summary>Serves one request; errors are thrown as <see cref="AwsServiceException"/> for <see cref="WriteError"/>.</summary>
    public Task ServeAsync(HttpContext context, S3Target target)
    {
        // Most requests have no query string: HttpRequest.Query is not touched then (it builds a feature per request).
        if (context.Request.QueryString.HasValue)
        {
            CheckPresignedExpiry(context.Request);
        }

        return RouteAsync(context, target);
    }

    private Task RouteAsync(HttpContext context, S3Target target)
    {
        HttpRequest request = context.Request;
        string method = request.Method;
        if (target.Bucket is null)
        {
            return HttpMethods.IsGet(method) ? ListBucketsAsync(context) : throw S3Errors.MethodNotAllowed(method);
        }

        bool hasQuery = request.QueryString.HasValue;
        if (hasQuery)
        {
            RejectUnsupportedSubresource(request, target);
            RejectUnsafeResponseOverrides(request);
        }

        if (target.Key is null)
        {
            return method switch
            {
                // PutBucketVersioning must not create the bucket: versioning stays off, as in kumo.
                "PUT" when request.Query.ContainsKey("versioning") => RejectBucketSubresource(target.Bucket, "versioning"),
                "PUT" => CreateBucketAsync(context, target.Bucket),
                "HEAD" => HeadBucketAsync(context, target.Bucket),
                "DELETE" => DeleteBucketAsync(context, target.Bucket),
                "GET" when request.Query.ContainsKey("location") => GetBucketLocationAsync(context, target.Bucket),
                "GET" when request.Query.ContainsKey("versioning") => GetBucketVersioningAsync(context, target.Bucket),
                "GET" when request.Query.ContainsKey("uploads") => ListMultipartUploadsAsync(context, target.Bucket),
                "GET" when request.Query["list-type"] == "2" => ListObjectsV2Async(context, target.Bucket),
                "GET" => ListObjectsV1Async(context, target.Bucket),
                "POST" when request.Query.ContainsKey("delete") => DeleteObjectsAsync(context, target.Bucket),
                _ => throw S3Errors.MethodNotAllowed(method),
            };
        }

        string bucket = target.Bucket;
        string key = target.Key;
        bool hasUploadId = hasQuery && request.Query.ContainsKey("uploadId");
        return method switch
        {
            "PUT" when hasUploadId && request.Headers.ContainsKey("x-amz-copy-source") => UploadPartCopyAsync(context, bucket, key),
            "PUT" when hasUploadId => UploadPartAsync(context, bucket, key),
            "PUT" when request.Headers.ContainsKey("x-amz-copy-source") => CopyObjectAsync(context, bucket, key),
            "PUT" => PutObjectAsync(context, bucket, key),
            "GET" when hasUploadId => ListPartsAsync(context, bucket, key),
            "GET" => GetObjectAsync(context, bucket, key, includeBody: true),
            "HEAD" => GetObjectAsync(context, bucket, key, includeBody: false),
            "DELETE" when hasUploadId => AbortMultipartUploadAsync(context, bucket, key),
            "DELETE" => DeleteObjectAsync(context, bucket, key),
            "POST" when request.Query.ContainsKey("uploads") => CreateMultipartUploadAsync(context, bucket, key),
            "POST" when hasUploadId => CompleteMultipartUploadAsync(context, bucket, key),
            _ => throw S3Errors.MethodNotAllowed(method),
        };
    }

    /// <summary>NoSuchBucket for a missing bucket, else NotImplemented for the subresource.</summary>
    private Task RejectBucketSubresource(string bucket, string subresource)
    {
        _operations.RequireBucket(bucket);
        throw S3Errors.NotImplemented($"Setting the bucket subresource '?{subresource}'");
    }

    /// <summary>Answers an unsupported subresource with NotImplemented, after NoSuchBucket as S3 checks the bucket first.</summary>
    private void RejectUnsupportedSubresource(HttpRequest request, S3Target target)
    {
        foreach (string name in UnsupportedSubresources)
        {
            if (request.Query.ContainsKey(name))
            {
                _operations.RequireBucket(target.Bucket!);
                string scope = target.Key is null ? "bucket" : "object";
                throw S3Errors.NotImplemented($"The {scope} subresource '?{name}'");
            }
        }
    }

    private static void RejectUnsafeResponseOverrides(HttpRequest request)
    {
        foreach (string name in ResponseOverrides)
        {
            if (request.Query.TryGetValue(name, out var value) && !HeaderValues.CanSend(value.ToString()))
            {
                throw S3Errors.InvalidArgument(name, $"The {name} value must be printable ASCII: it becomes a response header.");
            }
        }
    }

    private void CheckPresignedExpiry(HttpRequest request)
    {
        if (!request.Query.TryGetValue("X-Amz-Expires", out var expiresValue) || !request.Query.TryGetValue("X-Amz-Date", out var dateValue))
        {
            return;
        }

        if (!long.TryParse(expiresValue, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long seconds)
            || !DateTimeOffset.TryParseExact(dateValue, "yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out DateTimeOffset signedAt))
        {
            throw new AwsServiceException(400, "AuthorizationQueryParametersError", "X-Amz-Date must be yyyyMMddTHHmmssZ and X-Amz-Expires a number of seconds.");
        }

        if (seconds > MaxPresignedExpirySeconds)
        {
            throw new AwsServiceException(400, "AuthorizationQueryParametersError", "X-Amz-Expires must be less than a week (in seconds) that is; 604800");
        }

        // Compared as an age, not as signedAt + seconds, which overflows near year 9999.
        if ((_operations.Now - signedAt).TotalSeconds > seconds)
        {
            throw S3Errors.ExpiredPresignedUrl();
        }
    }

    /// <summary>Writes S3's XML error (or, for HEAD, the bare status with <c>x-amz-error-code</c>).</summary>
    public static void WriteError(HttpContext context, AwsServiceException error, S3Target target, string requestId)
    {
        if (context.Response.HasStarted)
        {
            context.Abort();
            return;
        }

        context.Response.Clear();
        context.Response.Headers["x-amz-request-id"] = requestId;
        context.Response.StatusCode = error.StatusCode;
        if (HasUnreadBody(context))
        {
            // The client may not have sent the body (Expect: 100-continue, answered early): if the
            // connection were reused, the server would read the next request as this one's body.
            context.Response.Headers.Connection = "close";
        }

        if (HttpMethods.IsHead(context.Request.Method))
        {
            // HEAD responses carry no body; SDKs map the status code (404 → NotFound).
            context.Response.Headers["x-amz-error-code"] = error.Code;
            return;
        }

        using var xml = new S3Xml("Error", withNamespace: false);
        xml.Element("Code", error.Code).Element("Message", error.Message);
        foreach ((string name, string value) in error.Details)
        {
            xml.Element(name, value);
        }

        if (target.Bucket is not null)
        {
            xml.Element("Resource", "/" + target.Bucket + (target.Key is null ? string.Empty : "/" + target.Key));
        }

        xml.Element("RequestId", requestId).Element("HostId", requestId);
        WriteXml(context, xml);
    }

    private static void WriteXml(HttpContext context, S3Xml xml)
    {
        context.Response.ContentType = "application/xml";
        ResponseBody.Write(context.Response, xml.Finish().Span);
    }

    /// <summary>Reads a small (non-object) request body, refusing more than the configured limit.</summary>
    private async Task<byte[]> ReadControlBodyAsync(HttpContext context)
    {
        byte[] body = await LimitedRequestBody.ReadAsync(context, _maxControlBodySize, S3Errors.MaxMessageLengthExceeded, context.RequestAborted).ConfigureAwait(false);
        MarkBodyRead(context);
        return body;
    }

    /// <summary>Marks the body consumed: a feature of the request (Kestrel clears them per request), not a per-request Items dictionary.</summary>
    private static void MarkBodyRead(HttpContext context) => context.Features.Set(BodyRead.Instance);

    private static bool HasUnreadBody(HttpContext context) =>
        (context.Request.ContentLength > 0 || context.Request.Headers.TransferEncoding.Count > 0) && context.Features.Get<BodyRead>() is null;

    /// <summary>The feature that says a request's body has been read (<see cref="MarkBodyRead"/>).</summary>
    private sealed class BodyRead
    {
        public static readonly BodyRead Instance = new();
    }

    private static XmlReaderSettings SafeXml { get; } = new()
    {
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        IgnoreComments = true,
        IgnoreWhitespace = true,
        // Keys may hold control characters, which S3 writes (and reads) as character references such as &#x1;.
        CheckCharacters = false,
        MaxCharactersInDocument = 16 * 1024 * 1024,
    };
}
