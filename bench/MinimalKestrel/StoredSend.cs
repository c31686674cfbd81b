using System.Buffers;
using System.IO.Pipelines;
using Kumo.Embedded.Protocol;
using System.Text;
using System.Text.Json;

/// <summary>
/// The least a correct SQS SendMessage (AWS JSON 1.0) can do: on bare Kestrel (target bare-kestrel-store of
/// <c>bench/peers/run.sh</c>) the floor under any SQS server built on this framework, and on plain sockets
/// (<see cref="BareSocket"/>, target bare-socket-store) the floor under any SQS server written in .NET.
/// </summary>
/// <remarks>
/// It reads the body, finds <c>QueueUrl</c> and <c>MessageBody</c> with one forward pass of <see cref="Utf8JsonReader"/>,
/// checks the body's characters (SQS's allowed range), hashes the body's UTF-8 with MD5 (the engine's
/// <see cref="ShortMd5"/>; before 2026-12-07 15:20 UTC, OpenSSL's, as in <c>peers-send-floor.md</c>), makes a message id and
/// a request id as the engine does (<see cref="UniqueIds"/>; before 2026-12-07 16:30 UTC, <see cref="Guid.NewGuid"/>, a kernel
/// call each, as in <c>peers-send-floor.md</c> and <c>peers-send-floor-md5.md</c>), keeps the
/// message as one byte array (id, MD5, body: the engine's stored form) in its queue's list under a lock, and answers
/// <c>{"MD5OfMessageBody":…,"MessageId":…}</c> with a request id. It skips what a real server also does: message
/// attributes, delays, FIFO, queue attributes and size limits, errors with SQS's codes, receipts. A request it cannot
/// serve gets a 400.
/// </remarks>
internal sealed class StoredSend
{
    private readonly Dictionary<string, List<byte[]>> _queues = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    /// <summary>Serves one SendMessage on Kestrel.</summary>
    public async Task HandleAsync(HttpContext context)
    {
        PipeReader reader = context.Request.BodyReader;
        ReadResult read = await reader.ReadAsync();
        while (!read.IsCompleted)
        {
            reader.AdvanceTo(read.Buffer.Start, read.Buffer.End);
            read = await reader.ReadAsync();
        }

        var answer = new ArrayBufferWriter<byte>(128);
        bool accepted = Accept(read.Buffer, answer);
        reader.AdvanceTo(read.Buffer.End);
        HttpResponse response = context.Response;
        if (!accepted)
        {
            response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        response.ContentType = "application/x-amz-json-1.0";
        response.Headers["x-amzn-RequestId"] = UniqueIds.Request();
        response.ContentLength = answer.WrittenCount;
        response.BodyWriter.Write(answer.WrittenSpan);
    }

    /// <summary>
    /// Keeps the message a SendMessage request's JSON carries and writes its answer's document; false when the request
    /// is not one it can serve (the caller answers 400). The part of a SendMessage that does not depend on the server.
    /// </summary>
    public bool Accept(ReadOnlySequence<byte> json, IBufferWriter<byte> answer)
    {
        if (!TryParse(json, out string? queueUrl, out string? body) || queueUrl is null || string.IsNullOrEmpty(body)
            || body.AsSpan().IndexOfAnyExceptInRange('\u0020', '\uD7FF') >= 0)
        {
            return false;
        }

        string id = UniqueIds.Message();
        int length = Encoding.UTF8.GetByteCount(body);
        byte[] message = new byte[id.Length + 16 + length];
        Encoding.ASCII.GetBytes(id, message);
        Encoding.UTF8.GetBytes(body, message.AsSpan(id.Length + 16));
        ShortMd5.HashData(message.AsSpan(id.Length + 16), message.AsSpan(id.Length, 16));
        lock (_lock)
        {
            if (!_queues.TryGetValue(queueUrl, out List<byte[]>? queue))
            {
                _queues[queueUrl] = queue = [];
            }

            queue.Add(message);
        }

        using var writer = new Utf8JsonWriter(answer);
        writer.WriteStartObject();
        writer.WriteString("MD5OfMessageBody", Convert.ToHexStringLower(message.AsSpan(id.Length, 16)));
        writer.WriteString("MessageId", id);
        writer.WriteEndObject();
        return true;
    }

    private static bool TryParse(ReadOnlySequence<byte> json, out string? queueUrl, out string? body)
    {
        queueUrl = null;
        body = null;
        var reader = new Utf8JsonReader(json);
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                bool isUrl = reader.ValueTextEquals("QueueUrl"u8);
                bool isBody = !isUrl && reader.ValueTextEquals("MessageBody"u8);
                reader.Read();
                if (isUrl || isBody)
                {
                    if (reader.TokenType != JsonTokenType.String)
                    {
                        return false;
                    }

                    if (isUrl)
                    {
                        queueUrl = reader.GetString();
                    }
                    else
                    {
                        body = reader.GetString();
                    }
                }
                else
                {
                    reader.Skip();
                }
            }

            return reader.TokenType == JsonTokenType.EndObject;
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            return false;
        }
    }
}
