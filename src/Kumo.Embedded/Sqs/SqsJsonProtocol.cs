using System.Buffers;
using System.Text.Json;
using Kumo.Embedded.Protocol;
using Microsoft.AspNetCore.Http;

namespace Kumo.Embedded.Sqs;

/// <summary>SQS over AWS JSON 1.0: <c>X-Amz-Target: AmazonSQS.&lt;Action&gt;</c>, JSON in and out.</summary>
/// <remarks>
/// Errors are <c>{"__type":"com.amazonaws.sqs#&lt;Code&gt;","message":"..."}</c> with the header
/// <c>x-amzn-query-error: &lt;QueryCode&gt;;Sender</c>, which SDKs generated from the query-compatible
/// model read to pick the typed exception.
/// </remarks>
internal static class SqsJsonProtocol
{
    internal const string ContentType = "application/x-amz-json-1.0";
    internal const string TargetPrefix = "AmazonSQS.";
    private const string ErrorNamespace = "com.amazonaws.sqs#";

    /// <summary>The action named by the X-Amz-Target header.</summary>
    public static string ActionOf(HttpRequest request)
    {
        string target = request.Headers["X-Amz-Target"].ToString();
        return target.StartsWith(TargetPrefix, StringComparison.Ordinal) && target.Length > TargetPrefix.Length
            ? target[TargetPrefix.Length..]
            : throw SqsErrors.MissingAction();
    }

    /// <summary>Parses the request body; an empty body is an empty object.</summary>
    public static JsonDocument Parse(byte[] body)
    {
        if (body.Length == 0)
        {
            return JsonDocument.Parse("{}"u8.ToArray());
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 32 });
        }
        catch (JsonException ex)
        {
            throw SqsErrors.Serialization($"The request body is not valid JSON (line {ex.LineNumber + 1}, byte {ex.BytePositionInLine + 1}): {ex.Message} Send a JSON object such as {{\"QueueName\":\"my-queue\"}}.");
        }

        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            document.Dispose();
            throw SqsErrors.Serialization("The request body must be a JSON object such as {\"QueueName\":\"my-queue\"}.");
        }

        if (FindUndecodableText(document.RootElement, "$") is { } path)
        {
            document.Dispose();
            throw SqsErrors.Serialization($"The request body holds text that is not valid UTF-8 or UTF-16 at {path} (invalid UTF-8 bytes, or an unpaired surrogate escape such as \\ud800). Send well-formed Unicode text.");
        }

        return document;
    }

    /// <summary>
    /// The JSON path of the first property name or string that cannot be decoded (the parser accepts
    /// invalid UTF-8 and lone surrogate escapes inside strings; reading them later would throw), or null.
    /// </summary>
    internal static string? FindUndecodableText(JsonElement element, string path)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                return CanDecode(() => element.GetString()) ? null : path;
            case JsonValueKind.Array:
                int index = 0;
                foreach (JsonElement item in element.EnumerateArray())
                {
                    if (FindUndecodableText(item, string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{path}[{index++}]")) is { } bad)
                    {
                        return bad;
                    }
                }

                return null;
            case JsonValueKind.Object:
                foreach (JsonProperty property in element.EnumerateObject())
                {
                    if (!CanDecode(() => property.Name))
                    {
                        return path;
                    }

                    if (FindUndecodableText(property.Value, path + "." + property.Name) is { } bad)
                    {
                        return bad;
                    }
                }

                return null;
            default:
                return null;
        }
    }

    private static bool CanDecode(Func<string?> read)
    {
        try
        {
            _ = read();
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    public static Task WriteResultAsync(HttpContext context, SqsStructure result, string requestId)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            WriteNode(writer, result);
        }

        return SendAsync(context, StatusCodes.Status200OK, buffer, requestId);
    }

    public static Task WriteErrorAsync(HttpContext context, AwsServiceException error, string requestId)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("__type", ErrorNamespace + error.Code);
            writer.WriteString("message", error.Message);
            writer.WriteEndObject();
        }

        context.Response.Headers["x-amzn-query-error"] = $"{error.QueryCode ?? error.Code};{(error.IsSenderFault ? "Sender" : "Receiver")}";
        return SendAsync(context, error.StatusCode, buffer, requestId);
    }

    private static void WriteNode(Utf8JsonWriter writer, SqsNode node)
    {
        switch (node)
        {
            case SqsText text:
                writer.WriteStringValue(text.Value);
                break;
            case SqsBoolean boolean:
                writer.WriteBooleanValue(boolean.Value);
                break;
            case SqsStructure structure:
                writer.WriteStartObject();
                foreach (SqsMember member in structure.Members)
                {
                    writer.WritePropertyName(member.JsonName);
                    WriteNode(writer, member.Value);
                }

                writer.WriteEndObject();
                break;
            case SqsList list:
                writer.WriteStartArray();
                foreach (SqsNode item in list.Items)
                {
                    WriteNode(writer, item);
                }

                writer.WriteEndArray();
                break;
            case SqsMap map:
                writer.WriteStartObject();
                foreach ((string key, SqsNode value) in map.Entries)
                {
                    writer.WritePropertyName(key);
                    WriteNode(writer, value);
                }

                writer.WriteEndObject();
                break;
            default:
                throw new InvalidOperationException($"Unknown SQS result node {node.GetType().Name}.");
        }
    }

    private static async Task SendAsync(HttpContext context, int status, ArrayBufferWriter<byte> body, string requestId)
    {
        HttpResponse response = context.Response;
        response.StatusCode = status;
        response.ContentType = ContentType;
        response.ContentLength = body.WrittenCount;
        response.Headers["x-amzn-RequestId"] = requestId;
        await response.Body.WriteAsync(body.WrittenMemory, context.RequestAborted).ConfigureAwait(false);
    }
}
