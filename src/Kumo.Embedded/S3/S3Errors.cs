using System.Globalization;
using Kumo.Embedded.Protocol;

namespace Kumo.Embedded.S3;

/// <summary>The S3 errors the engine returns, with the codes SDKs map to typed exceptions.</summary>
internal static class S3Errors
{
    public static AwsServiceException NoSuchBucket(string bucket) =>
        new(404, "NoSuchBucket", "The specified bucket does not exist") { Details = [new("BucketName", bucket)] };

    public static AwsServiceException NoSuchKey(string bucket, string key) =>
        new(404, "NoSuchKey", "The specified key does not exist.") { Details = [new("BucketName", bucket), new("Key", key)] };

    public static AwsServiceException NoSuchUpload(string uploadId) =>
        new(404, "NoSuchUpload", "The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.") { Details = [new("UploadId", uploadId)] };

    public static AwsServiceException BucketAlreadyOwnedByYou(string bucket) =>
        new(409, "BucketAlreadyOwnedByYou", "Your previous request to create the named bucket succeeded and you already own it.") { Details = [new("BucketName", bucket)] };

    public static AwsServiceException BucketNotEmpty(string bucket) =>
        new(409, "BucketNotEmpty", "The bucket you tried to delete is not empty") { Details = [new("BucketName", bucket)] };

    public static AwsServiceException InvalidBucketName(string bucket, string rule) =>
        new(400, "InvalidBucketName", $"The specified bucket is not valid: {rule}") { Details = [new("BucketName", bucket)] };

    public static AwsServiceException KeyTooLong(int length) =>
        new(400, "KeyTooLongError", $"Your key is too long: {length.ToString(CultureInfo.InvariantCulture)} bytes; the maximum is 1024 bytes of UTF-8.");

    public static AwsServiceException EntityTooLarge(long maxSize) =>
        new(400, "EntityTooLarge", $"Your proposed upload exceeds the maximum allowed size of {maxSize.ToString(CultureInfo.InvariantCulture)} bytes (KUMO_MAX_OBJECT_SIZE).") { Details = [new("MaxSizeAllowed", maxSize.ToString(CultureInfo.InvariantCulture))] };

    public static AwsServiceException EntityTooSmall(int partNumber) =>
        new(400, "EntityTooSmall", $"Your proposed upload is smaller than the minimum allowed object size: part {partNumber.ToString(CultureInfo.InvariantCulture)} is under 5 MiB and is not the last part.");

    public static AwsServiceException IncompleteBody(long expected, long actual) =>
        new(400, "IncompleteBody", $"You did not provide the number of bytes specified by the Content-Length HTTP header: expected {expected.ToString(CultureInfo.InvariantCulture)}, received {actual.ToString(CultureInfo.InvariantCulture)}.");

    public static AwsServiceException MetadataTooLarge(int size, int limit) =>
        new(400, "MetadataTooLarge", $"Your metadata headers exceed the maximum allowed metadata size: {size.ToString(CultureInfo.InvariantCulture)} bytes of names and values; the limit is {limit.ToString(CultureInfo.InvariantCulture)}.") { Details = [new("Size", size.ToString(CultureInfo.InvariantCulture)), new("MaxSizeAllowed", limit.ToString(CultureInfo.InvariantCulture))] };

    public static AwsServiceException MalformedChunk(string detail) =>
        new(400, "IncompleteBody", $"The aws-chunked body is malformed: {detail}.");

    public static AwsServiceException BadDigest(string header) =>
        new(400, "BadDigest", $"The {header} you specified did not match what we received.");

    public static AwsServiceException InvalidDigest(string header) =>
        new(400, "InvalidDigest", $"The {header} you specified is not valid.");

    public static AwsServiceException MalformedXml(string detail) =>
        new(400, "MalformedXML", $"The XML you provided was not well-formed or did not validate against our published schema: {detail}");

    public static AwsServiceException InvalidArgument(string name, string detail) =>
        new(400, "InvalidArgument", detail) { Details = [new("ArgumentName", name)] };

    public static AwsServiceException InvalidRange(long size) =>
        new(416, "InvalidRange", "The requested range is not satisfiable") { Details = [new("ActualObjectSize", size.ToString(CultureInfo.InvariantCulture))] };

    public static AwsServiceException PreconditionFailed(string condition) =>
        new(412, "PreconditionFailed", "At least one of the pre-conditions you specified did not hold") { Details = [new("Condition", condition)] };

    public static AwsServiceException InvalidPart(string detail) =>
        new(400, "InvalidPart", $"One or more of the specified parts could not be found. {detail}");

    public static AwsServiceException InvalidPartOrder() =>
        new(400, "InvalidPartOrder", "The list of parts was not in ascending order. Parts must be ordered by part number.");

    public static AwsServiceException NotImplemented(string what) =>
        new(501, "NotImplemented", $"{what} is not implemented by kumo-embedded. Supported: buckets, objects, listings, copy, multipart, presigned URLs.");

    public static AwsServiceException MethodNotAllowed(string method) =>
        new(405, "MethodNotAllowed", $"The specified method {method} is not allowed against this resource.");

    public static AwsServiceException InvalidRequest(string detail) =>
        new(400, "InvalidRequest", detail);

    public static AwsServiceException ExpiredPresignedUrl() =>
        new(403, "AccessDenied", "Request has expired");

    public static AwsServiceException MaxMessageLengthExceeded(long size, int limit) =>
        new(400, "MaxMessageLengthExceeded", $"Your request was too big ({(size < 0 ? "over the limit" : size.ToString(CultureInfo.InvariantCulture) + " bytes")}): the limit for this request body is {limit.ToString(CultureInfo.InvariantCulture)} bytes (KumoEngineOptions.MaxControlBodySize).");
}
