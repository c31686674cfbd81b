using System.Runtime.InteropServices;
using System.Text.Unicode;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Kumo.Embedded.Protocol;

/// <summary>AWS JSON 1.0 as SQS and DynamoDB speak it: the request body (a JSON object of well-formed Unicode, or the service's SerializationException) and the answer.</summary>
internal static class AwsJson
{
    /// <summary>The content type of AWS JSON 1.0 requests and answers.</summary>
    public const string ContentType = "application/x-amz-json-1.0";

    /// <summary>Parses the request body; an empty body is an empty object.</summary>
    /// <param name="body">The body bytes; the document reads them until it is disposed.</param>
    /// <param name="maxDepth">The deepest nesting accepted.</param>
    /// <param name="serialization">Builds the service's SerializationException from a message.</param>
    /// <param name="example">A valid request of the service, quoted in the messages.</param>
    public static JsonDocument Parse(ReadOnlyMemory<byte> body, int maxDepth, Func<string, AwsServiceException> serialization, string example)
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

        if (FindUndecodableText(document.RootElement) is { } below)
        {
            string path = "$" + below;
            document.Dispose();
            throw serialization($"The request body holds text that is not valid UTF-8 or UTF-16 at {path} (invalid UTF-8 bytes, or an unpaired surrogate escape such as \\ud800). Send well-formed Unicode text.");
        }

        return document;
    }

    /// <summary>
    /// Answers JSON with the request id (and, for DynamoDB, the CRC-32 of the body that SDKs check); Kestrel sends it
    /// when the request ends (<see cref="ResponseBody"/>). <paramref name="body"/> is copied into the response pipe
    /// before this returns, so it may be a <see cref="JsonScratch"/> buffer that the thread reuses for its next answer.
    /// </summary>
    public static void Send(HttpContext context, int status, ReadOnlySpan<byte> body, string requestId, bool crc32)
    {
        HttpResponse response = context.Response;
        response.StatusCode = status;
        response.ContentType = ContentType;
        response.Headers["x-amzn-RequestId"] = requestId;
        if (crc32)
        {
            response.Headers["x-amz-crc32"] = Persistence.JournalFrame.Crc32(body).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        ResponseBody.Write(response, body);
    }

    /// <summary>
    /// The JSON path, below <paramref name="element"/> (e.g. <c>.Entries[2]</c>; empty for the element itself), of the
    /// first property name or string that cannot be decoded (the parser accepts invalid UTF-8 and lone surrogate
    /// escapes inside strings; reading them later would throw), or null. The path is built only for a bad request.
    /// </summary>
    private static string? FindUndecodableText(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                return CanDecode(element) ? null : string.Empty;
            case JsonValueKind.Array:
                int index = 0;
                foreach (JsonElement item in element.EnumerateArray())
                {
                    if (FindUndecodableText(item) is { } bad)
                    {
                        return string.Create(System.Globalization.CultureInfo.InvariantCulture, $"[{index}]{bad}");
                    }

                    index++;
                }

                return null;
            case JsonValueKind.Object:
                foreach (JsonProperty property in element.EnumerateObject())
                {
                    if (!CanDecode(property))
                    {
                        return string.Empty;
                    }

                    if (FindUndecodableText(property.Value) is { } bad)
                    {
                        return "." + property.Name + bad;
                    }
                }

                return null;
            default:
                return null;
        }
    }

    private static bool CanDecode(JsonElement text) =>
        IsPlainUtf8(JsonMarshal.GetRawUtf8Value(text)) || Decodes(text, static t => t.GetString());

    private static bool CanDecode(JsonProperty property) =>
        IsPlainUtf8(JsonMarshal.GetRawUtf8PropertyName(property)) || Decodes(property, static p => p.Name);

    /// <summary>Whether <paramref name="read"/> decodes the text of <paramref name="source"/> (a static delegate: nothing is allocated).</summary>
    private static bool Decodes<T>(T source, Func<T, string?> read)
    {
        try
        {
            _ = read(source);
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    /// <summary>Raw JSON text with no escape sequence that is valid UTF-8 decodes as it is (checked without decoding it).</summary>
    private static bool IsPlainUtf8(ReadOnlySpan<byte> raw) => !raw.Contains((byte)'\\') && Utf8.IsValid(raw);
}
