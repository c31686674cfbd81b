using System.Buffers;
using System.Text.Json;
using Kumo.Embedded.Protocol;
using Microsoft.AspNetCore.Http;

namespace Kumo.Embedded.DynamoDb;

/// <summary>DynamoDB over AWS JSON 1.0: <c>X-Amz-Target: DynamoDB_20120810.&lt;Operation&gt;</c>, JSON in and out.</summary>
/// <remarks>
/// Answers carry <c>x-amz-crc32</c> (the CRC-32 of the body), as DynamoDB sends it and SDKs check it.
/// Errors are <c>{"__type":"&lt;namespace&gt;#&lt;Code&gt;","message":"..."}</c> with DynamoDB's namespaces,
/// which SDKs map to their typed exceptions.
/// </remarks>
internal static class DynamoJsonProtocol
{
    internal const string ContentType = AwsJson.ContentType;
    internal const string TargetPrefix = "DynamoDB_20120810.";

    /// <summary>The largest request DynamoDB accepts (16 MB: a BatchWriteItem of 25 items of 400 KB fits).</summary>
    internal const int MaxRequestBytes = 16 * 1024 * 1024;

    public static bool IsDynamoDbTarget(string target) => target.StartsWith(TargetPrefix, StringComparison.Ordinal);

    public static string OperationOf(HttpRequest request)
    {
        string target = request.Headers["X-Amz-Target"].ToString();
        return IsDynamoDbTarget(target) && target.Length > TargetPrefix.Length ? target[TargetPrefix.Length..] : throw DynamoErrors.MissingTarget();
    }

    /// <summary>Parses the request body; an empty body is an empty object.</summary>
    public static JsonDocument Parse(byte[] body) =>
        AwsJson.Parse(body, 256, DynamoErrors.Serialization, "{\"TableName\":\"orders\"}");

    public static void WriteResult(HttpContext context, ArrayBufferWriter<byte> body, string requestId) =>
        AwsJson.Send(context, StatusCodes.Status200OK, body.WrittenSpan, requestId, crc32: true);

    public static void WriteError(HttpContext context, AwsServiceException error, Action<Utf8JsonWriter>? extra, string requestId)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("__type", Namespace(error.Code) + error.Code);
            writer.WriteString("message", error.Message);
            extra?.Invoke(writer);
            writer.WriteEndObject();
        }

        AwsJson.Send(context, error.StatusCode, buffer.WrittenSpan, requestId, crc32: true);
    }

    private static string Namespace(string code) => code switch
    {
        "ValidationException" => "com.amazon.coral.validate#",
        "SerializationException" or "UnknownOperationException" or "RequestEntityTooLarge" => "com.amazon.coral.service#",
        _ => "com.amazonaws.dynamodb.v20120810#",
    };
}
