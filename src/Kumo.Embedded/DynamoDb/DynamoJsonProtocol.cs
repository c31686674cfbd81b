using System.Buffers;
using System.Globalization;
using System.Text.Json;
using Kumo.Embedded.Persistence;
using Kumo.Embedded.Protocol;
using Kumo.Embedded.Sqs;
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
    internal const string ContentType = "application/x-amz-json-1.0";
    internal const string TargetPrefix = "DynamoDB_20120810.";

    /// <summary>The largest request DynamoDB accepts (16 MB: a BatchWriteItem of 25 items of 400 KB fits).</summary>
    internal const int MaxRequestBytes = 16 * 1024 * 1024;

    public static bool IsDynamoDbTarget(string target) => target.StartsWith(TargetPrefix, StringComparison.Ordinal);

    public static string OperationOf(HttpRequest request)
    {
        string target = request.Headers["X-Amz-Target"].ToString();
        return IsDynamoDbTarget(target) && target.Length > TargetPrefix.Length ? target[TargetPrefix.Length..] : throw DynamoErrors.MissingTarget();
    }

    public static JsonDocument Parse(byte[] body)
    {
        if (body.Length == 0)
        {
            return JsonDocument.Parse("{}"u8.ToArray());
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 256 });
        }
        catch (JsonException ex)
        {
            throw DynamoErrors.Serialization($"The request body is not valid JSON (line {ex.LineNumber + 1}, byte {ex.BytePositionInLine + 1}): {ex.Message} Send a JSON object such as {{\"TableName\":\"orders\"}}.");
        }

        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            document.Dispose();
            throw DynamoErrors.Serialization("The request body must be a JSON object such as {\"TableName\":\"orders\"}.");
        }

        if (SqsJsonProtocol.FindUndecodableText(document.RootElement, "$") is { } path)
        {
            document.Dispose();
            throw DynamoErrors.Serialization($"The request body holds text that is not valid UTF-8 or UTF-16 at {path}. Send well-formed Unicode text.");
        }

        return document;
    }

    public static Task WriteResultAsync(HttpContext context, ArrayBufferWriter<byte> body, string requestId) =>
        SendAsync(context, StatusCodes.Status200OK, body, requestId);

    public static Task WriteErrorAsync(HttpContext context, AwsServiceException error, Action<Utf8JsonWriter>? extra, string requestId)
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

        return SendAsync(context, error.StatusCode, buffer, requestId);
    }

    private static string Namespace(string code) => code switch
    {
        "ValidationException" => "com.amazon.coral.validate#",
        "SerializationException" or "UnknownOperationException" or "RequestEntityTooLarge" => "com.amazon.coral.service#",
        _ => "com.amazonaws.dynamodb.v20120810#",
    };

    private static async Task SendAsync(HttpContext context, int status, ArrayBufferWriter<byte> body, string requestId)
    {
        HttpResponse response = context.Response;
        response.StatusCode = status;
        response.ContentType = ContentType;
        response.ContentLength = body.WrittenCount;
        response.Headers["x-amzn-RequestId"] = requestId;
        response.Headers["x-amz-crc32"] = JournalFrame.Crc32(body.WrittenSpan).ToString(CultureInfo.InvariantCulture);
        await response.Body.WriteAsync(body.WrittenMemory, context.RequestAborted).ConfigureAwait(false);
    }
}
