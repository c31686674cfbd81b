using System.Text.Json;
using System.Xml;
using Kumo.Embedded.Persistence;
using Kumo.Embedded.Protocol;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Kumo.Embedded.S3;

/// <summary>
/// The S3 half of the engine: buckets and objects, kept in memory, bodies on disk, state persisted
/// to <c>s3.json</c>.
/// </summary>
/// <remarks>
/// One lock guards the bucket/object maps and the blob reference counts; bodies are streamed
/// outside it and published (renamed into place) inside it, so a blob is never deleted while an
/// object that names it is being committed, and never deleted before a state file that no longer
/// names it is durable.
/// </remarks>
internal sealed partial class S3Service : IPersistentService, IAsyncDisposable
{
    private readonly EngineContext _context;
    private readonly ILogger _logger;
    private readonly BlobStore _blobs;
    private readonly object _lock = new();
    private readonly Dictionary<string, S3Bucket> _buckets = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _references = new(StringComparer.Ordinal);
    private readonly HashSet<string> _orphans = new(StringComparer.Ordinal);
    private readonly HashSet<string> _capturedOrphans = new(StringComparer.Ordinal);
    private readonly string _multipartRoot;
    private Journal? _journal;

    public S3Service(EngineContext context)
    {
        _context = context;
        _logger = context.LoggerFactory.CreateLogger("kumo.s3");
        _blobs = new BlobStore(context.BlobRoot, durable: context.Options.DataDir is not null, syncEachBlob: context.Options.DataDir is not null && context.Options.Durability == KumoDurability.Sync);
        _multipartRoot = Path.Combine(context.BlobRoot, "s3-multipart");
        if (Directory.Exists(_multipartRoot))
        {
            // kumo does not persist multipart uploads either: parts left by a previous run are garbage.
            Directory.Delete(_multipartRoot, recursive: true);
        }
    }

    public string Name => "s3";

    private DateTimeOffset Now => _context.Time.GetUtcNow();

    public async Task HandleAsync(HttpContext context)
    {
        string requestId = RequestIds.Next();
        context.Response.Headers["x-amz-request-id"] = requestId;
        context.Response.Headers["x-amz-id-2"] = requestId;
        S3Target target = default;
        try
        {
            target = S3Target.From(context);
            CheckPresignedExpiry(context.Request);
            await RouteAsync(context, target).ConfigureAwait(false);
        }
        catch (AwsServiceException ex)
        {
            await WriteErrorAsync(context, ex, target, requestId).ConfigureAwait(false);
        }
        catch (XmlException ex)
        {
            await WriteErrorAsync(context, S3Errors.MalformedXml(ex.Message), target, requestId).ConfigureAwait(false);
        }
        catch (BadHttpRequestException ex)
        {
            await WriteErrorAsync(context, new AwsServiceException(ex.StatusCode, "BadRequest", ex.Message), target, requestId).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException && context.RequestAborted.IsCancellationRequested)
        {
            LogAborted(_logger, context.Request.Method, context.Request.Path);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogUnexpected(_logger, ex, context.Request.Method, context.Request.Path);
            await WriteErrorAsync(context, new AwsServiceException(), target, requestId).ConfigureAwait(false);
        }
    }

    private Task RouteAsync(HttpContext context, S3Target target)
    {
        HttpRequest request = context.Request;
        string method = request.Method;
        if (target.Bucket is null)
        {
            return HttpMethods.IsGet(method) ? ListBucketsAsync(context) : throw S3Errors.MethodNotAllowed(method);
        }

        RejectUnsupportedSubresource(request, target);
        RejectUnsafeResponseOverrides(request);
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
        bool hasUploadId = request.Query.ContainsKey("uploadId");
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

    /// <summary>S3's longest presigned URL validity: seven days.</summary>
    private const long MaxPresignedExpirySeconds = 604800;

    private static readonly string[] UnsupportedSubresources =
    [
        "acl", "policy", "cors", "lifecycle", "tagging", "website", "logging", "notification", "replication",
        "encryption", "ownershipControls", "publicAccessBlock", "object-lock", "accelerate", "requestPayment",
        "analytics", "metrics", "inventory", "intelligent-tiering", "versions", "legal-hold", "retention",
        "torrent", "restore", "select", "attributes", "policyStatus", "versionId",
    ];

    /// <summary>NoSuchBucket for a missing bucket, else NotImplemented for the subresource.</summary>
    private Task RejectBucketSubresource(string bucket, string subresource)
    {
        lock (_lock)
        {
            RequireBucket(bucket);
        }

        throw S3Errors.NotImplemented($"Setting the bucket subresource '?{subresource}'");
    }

    /// <summary>Answers an unsupported subresource with NotImplemented, after NoSuchBucket as S3 checks the bucket first.</summary>
    private void RejectUnsupportedSubresource(HttpRequest request, S3Target target)
    {
        foreach (string name in UnsupportedSubresources)
        {
            if (request.Query.ContainsKey(name))
            {
                lock (_lock)
                {
                    RequireBucket(target.Bucket!);
                }

                string scope = target.Key is null ? "bucket" : "object";
                throw S3Errors.NotImplemented($"The {scope} subresource '?{name}'");
            }
        }
    }

    private static readonly string[] ResponseOverrides =
    [
        "response-content-type", "response-content-encoding", "response-content-disposition", "response-content-language", "response-cache-control", "response-expires",
    ];

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

        if (!long.TryParse(expiresValue, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out long seconds)
            || !DateTimeOffset.TryParseExact(dateValue, "yyyyMMdd'T'HHmmss'Z'", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out DateTimeOffset signedAt))
        {
            throw new AwsServiceException(400, "AuthorizationQueryParametersError", "X-Amz-Date must be yyyyMMddTHHmmssZ and X-Amz-Expires a number of seconds.");
        }

        if (seconds > MaxPresignedExpirySeconds)
        {
            throw new AwsServiceException(400, "AuthorizationQueryParametersError", "X-Amz-Expires must be less than a week (in seconds) that is; 604800");
        }

        // Compared as an age, not as signedAt + seconds, which overflows near year 9999.
        if ((Now - signedAt).TotalSeconds > seconds)
        {
            throw S3Errors.ExpiredPresignedUrl();
        }
    }

    private static async Task WriteErrorAsync(HttpContext context, AwsServiceException error, S3Target target, string requestId)
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
        await WriteBodyAsync(context, xml.Finish()).ConfigureAwait(false);
    }

    private static async Task WriteXmlAsync(HttpContext context, S3Xml xml)
    {
        await WriteBodyAsync(context, xml.Finish()).ConfigureAwait(false);
    }

    private static async Task WriteBodyAsync(HttpContext context, ReadOnlyMemory<byte> body)
    {
        context.Response.ContentType = "application/xml";
        context.Response.ContentLength = body.Length;
        await context.Response.Body.WriteAsync(body, context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>Reads a small (non-object) request body, refusing more than the configured limit.</summary>
    private async Task<byte[]> ReadControlBodyAsync(HttpContext context)
    {
        byte[] body = await LimitedRequestBody.ReadAsync(context, _context.Options.MaxControlBodySize, S3Errors.MaxMessageLengthExceeded, context.RequestAborted).ConfigureAwait(false);
        MarkBodyRead(context);
        return body;
    }

    private const string BodyReadKey = "kumo.body-read";

    private static void MarkBodyRead(HttpContext context) => context.Items[BodyReadKey] = true;

    private static bool HasUnreadBody(HttpContext context) =>
        (context.Request.ContentLength > 0 || context.Request.Headers.TransferEncoding.Count > 0) && !context.Items.ContainsKey(BodyReadKey);

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

    private S3Bucket RequireBucket(string name) =>
        _buckets.TryGetValue(name, out S3Bucket? bucket) ? bucket : throw S3Errors.NoSuchBucket(name);

    private void AddReference(string blobId)
    {
        _references[blobId] = _references.GetValueOrDefault(blobId) + 1;
        _orphans.Remove(blobId);
    }

    private void ReleaseReference(string blobId)
    {
        int count = _references.GetValueOrDefault(blobId) - 1;
        if (count <= 0)
        {
            _references.Remove(blobId);
            if (_journal is null)
            {
                _blobs.Delete(blobId); // memory only: nothing on disk names it; readers hold it open
            }
            else
            {
                _orphans.Add(blobId); // deleted once the journal record that released it is durable
            }
        }
        else
        {
            _references[blobId] = count;
        }
    }

    public ValueTask DisposeAsync()
    {
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

        return ValueTask.CompletedTask;
    }

    private static bool IsBlobId(string value) => value.Length == 64 && value.All(char.IsAsciiHexDigitLower);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Client aborted {Method} {Path}")]
    private static partial void LogAborted(ILogger logger, string method, PathString path);

    [LoggerMessage(Level = LogLevel.Error, Message = "Unexpected failure serving {Method} {Path}")]
    private static partial void LogUnexpected(ILogger logger, Exception ex, string method, PathString path);

}
