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
    internal const string ContentType = AwsJson.ContentType;
    internal const string TargetPrefix = "AmazonSQS.";
    private const string ErrorNamespace = "com.amazonaws.sqs#";

    /// <summary>The action named by the X-Amz-Target header.</summary>
    public static string ActionOf(HttpRequest request)
    {
        string target = request.Headers["X-Amz-Target"].ToString();
        if (!target.StartsWith(TargetPrefix, StringComparison.Ordinal) || target.Length == TargetPrefix.Length)
        {
            throw SqsErrors.MissingAction();
        }

        // A known action is answered with its constant name: no substring per request.
        ReadOnlySpan<char> action = target.AsSpan(TargetPrefix.Length);
        foreach (string known in SqsOperations.Actions)
        {
            if (action.SequenceEqual(known))
            {
                return known;
            }
        }

        return action.ToString();
    }

    /// <summary>Parses the request body; an empty body is an empty object.</summary>
    public static JsonDocument Parse(ReadOnlyMemory<byte> body) =>
        AwsJson.Parse(body, 32, SqsErrors.Serialization, "{\"QueueName\":\"my-queue\"}");

    public static void WriteResult(HttpContext context, SqsStructure result, string requestId)
    {
        Utf8JsonWriter writer = JsonScratch.Answer.Begin();
        WriteNode(writer, result);
        AwsJson.Send(context, StatusCodes.Status200OK, JsonScratch.Answer.Written(), requestId, crc32: false);
    }

    public static void WriteError(HttpContext context, AwsServiceException error, string requestId)
    {
        Utf8JsonWriter writer = JsonScratch.Answer.Begin();
        writer.WriteStartObject();
        writer.WriteString("__type", ErrorNamespace + error.Code);
        writer.WriteString("message", error.Message);
        writer.WriteEndObject();
        context.Response.Headers["x-amzn-query-error"] = $"{error.QueryCode ?? error.Code};{(error.IsSenderFault ? "Sender" : "Receiver")}";
        AwsJson.Send(context, error.StatusCode, JsonScratch.Answer.Written(), requestId, crc32: false);
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
}
