using System.Buffers;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Kumo.Embedded.Protocol;

/// <summary>AWS JSON 1.0 as SQS and DynamoDB speak it: the request body (a JSON object of well-formed Unicode, or the service's SerializationException) and the answer.</summary>
internal static class AwsJson
{
    /// <summary>The content type of AWS JSON 1.0 requests and answers.</summary>
    public const string ContentType = "application/x-amz-json-1.0";

    /// <summary>Parses the request body; an empty body is an empty object.</summary>
    /// <param name="body">The body bytes.</param>
    /// <param name="maxDepth">The deepest nesting accepted.</param>
    /// <param name="serialization">Builds the service's SerializationException from a message.</param>
    /// <param name="example">A valid request of the service, quoted in the messages.</param>
    public static JsonDocument Parse(byte[] body, int maxDepth, Func<string, AwsServiceException> serialization, string example)
    {
        if (body.Length == 0)
        {
            return JsonDocument.Parse("{}"u8.ToArray());
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = maxDepth });
        }
        catch (JsonException ex)
        {
            throw serialization($"The request body is not valid JSON (line {ex.LineNumber + 1}, byte {ex.BytePositionInLine + 1}): {ex.Message} Send a JSON object such as {example}.");
        }

        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            document.Dispose();
            throw serialization($"The request body must be a JSON object such as {example}.");
        }

        if (FindUndecodableText(document.RootElement, "$") is { } path)
        {
            document.Dispose();
            throw serialization($"The request body holds text that is not valid UTF-8 or UTF-16 at {path} (invalid UTF-8 bytes, or an unpaired surrogate escape such as \\ud800). Send well-formed Unicode text.");
        }

        return document;
    }

    /// <summary>Sends a JSON answer with the request id (and, for DynamoDB, the CRC-32 of the body that SDKs check).</summary>
    public static async Task SendAsync(HttpContext context, int status, ArrayBufferWriter<byte> body, string requestId, bool crc32)
    {
        HttpResponse response = context.Response;
        response.StatusCode = status;
        response.ContentType = ContentType;
        response.ContentLength = body.WrittenCount;
        response.Headers["x-amzn-RequestId"] = requestId;
        if (crc32)
        {
            response.Headers["x-amz-crc32"] = Persistence.JournalFrame.Crc32(body.WrittenSpan).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        await response.Body.WriteAsync(body.WrittenMemory, context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>
    /// The JSON path of the first property name or string that cannot be decoded (the parser accepts
    /// invalid UTF-8 and lone surrogate escapes inside strings; reading them later would throw), or null.
    /// </summary>
    private static string? FindUndecodableText(JsonElement element, string path)
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
}
