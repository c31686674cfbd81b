using System.Globalization;
using System.Text.Json;
using Kumo.Embedded.Protocol;

namespace Kumo.Embedded.Sqs;

/// <summary>Converts between live queues and the <see cref="SqsState"/> document.</summary>
/// <remarks>
/// Loading re-validates everything through the same rules as the API (queue names, attributes,
/// message attributes) and reports the first problem as an <see cref="InvalidDataException"/> whose
/// message holds the JSON pointer of the bad value.
/// </remarks>
internal static class SqsStateMapper
{
    public static byte[] Serialize(IEnumerable<SqsQueue> queues)
    {
        var state = new SqsState();
        foreach (SqsQueue queue in queues)
        {
            var record = new SqsQueueState
            {
                Name = queue.Name,
                CreatedTimestamp = queue.CreatedTimestamp,
                LastModifiedTimestamp = queue.LastModifiedTimestamp,
                Attributes = queue.Attributes.All().ToDictionary(StringComparer.Ordinal),
                Tags = new Dictionary<string, string>(queue.Tags, StringComparer.Ordinal),
                LastSequenceNumber = queue.LastSequenceNumber,
            };
            foreach (SqsMessage message in queue.Messages)
            {
                record.Messages.Add(new SqsMessageState
                {
                    MessageId = message.MessageId,
                    Body = message.Body,
                    MessageAttributes = ToState(message.MessageAttributes),
                    SystemAttributes = ToState(message.SystemAttributes),
                    SentTimestamp = message.SentTimestamp,
                    SenderId = message.SenderId,
                    MessageGroupId = message.MessageGroupId,
                    MessageDeduplicationId = message.MessageDeduplicationId,
                    SequenceNumber = message.SequenceNumber,
                    VisibleAt = message.VisibleAt,
                    ReceiveCount = message.ReceiveCount,
                    FirstReceiveTimestamp = message.FirstReceiveTimestamp,
                    ReceiptNonce = message.ReceiptNonce,
                    DeadLetterQueueSourceArn = message.DeadLetterQueueSourceArn,
                });
            }

            foreach ((string key, DeduplicationEntry entry) in queue.Deduplication)
            {
                record.Deduplication.Add(new SqsDeduplicationState { Key = key, MessageId = entry.MessageId, SequenceNumber = entry.SequenceNumber, ExpiresAt = entry.ExpiresAt });
            }

            state.Queues.Add(record);
        }

        return JsonSerializer.SerializeToUtf8Bytes(state, SqsStateJsonContext.Default.SqsState);
    }

    /// <summary>Rebuilds queues from a document. Messages that were in flight come back visible at <paramref name="now"/>.</summary>
    public static List<SqsQueue> Deserialize(ReadOnlySpan<byte> document, long now)
    {
        SqsState state = JsonSerializer.Deserialize(document, SqsStateJsonContext.Default.SqsState)
            ?? throw new InvalidDataException("sqs.json: the document is null; expected an object with 'format' and 'queues'.");
        if (state.Format != SqsState.CurrentFormat)
        {
            throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"sqs.json: /format is {state.Format}; this engine reads format {SqsState.CurrentFormat}. Restore a snapshot made by this engine version."));
        }

        var queues = new List<SqsQueue>(state.Queues.Count);
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (int q = 0; q < state.Queues.Count; q++)
        {
            SqsQueueState record = state.Queues[q];
            string at = Pointer($"/queues/{q}");
            if (!names.Add(record.Name))
            {
                throw new InvalidDataException($"sqs.json: {at}/name: the queue '{record.Name}' appears twice.");
            }

            bool fifo = record.Attributes.TryGetValue(SqsQueueAttributes.FifoQueueName, out string? fifoValue) && fifoValue == "true";
            var attributes = new SqsQueueAttributes(fifo);
            Check($"{at}/name", () => QueueNames.Validate(record.Name, fifo));
            foreach ((string name, string value) in record.Attributes)
            {
                Check($"{at}/attributes/{name}", () => attributes.Set(name, value, creating: true));
            }

            var queue = new SqsQueue(record.Name, attributes, record.CreatedTimestamp)
            {
                LastModifiedTimestamp = record.LastModifiedTimestamp,
                LastSequenceNumber = record.LastSequenceNumber,
            };
            foreach ((string key, string value) in record.Tags)
            {
                queue.Tags[key] = value;
            }

            for (int m = 0; m < record.Messages.Count; m++)
            {
                SqsMessageState stored = record.Messages[m];
                string messageAt = Pointer($"{at}/messages/{m}");
                if (stored.MessageId.Length == 0 || queue.Find(stored.MessageId) is not null)
                {
                    throw new InvalidDataException($"sqs.json: {messageAt}/messageId: missing or repeated message id '{stored.MessageId}'.");
                }

                SortedDictionary<string, SqsMessageAttribute> messageAttributes = FromState(stored.MessageAttributes, $"{messageAt}/messageAttributes", system: false);
                SortedDictionary<string, SqsMessageAttribute> systemAttributes = FromState(stored.SystemAttributes, $"{messageAt}/systemAttributes", system: true);
                queue.Add(new SqsMessage
                {
                    MessageId = stored.MessageId,
                    Body = stored.Body,
                    Md5OfBody = MessageContents.Md5Hex(stored.Body),
                    MessageAttributes = messageAttributes,
                    Md5OfMessageAttributes = MessageAttributeMd5.Compute(messageAttributes),
                    SystemAttributes = systemAttributes,
                    Md5OfMessageSystemAttributes = MessageAttributeMd5.Compute(systemAttributes),
                    SentTimestamp = stored.SentTimestamp,
                    SenderId = stored.SenderId,
                    MessageGroupId = stored.MessageGroupId,
                    MessageDeduplicationId = stored.MessageDeduplicationId,
                    SequenceNumber = stored.SequenceNumber,
                    // A message in flight when the engine stopped is visible again: its consumer is gone.
                    VisibleAt = stored.ReceiveCount > 0 && stored.VisibleAt > now ? now : stored.VisibleAt,
                    ReceiveCount = stored.ReceiveCount,
                    FirstReceiveTimestamp = stored.FirstReceiveTimestamp,
                    ReceiptNonce = stored.ReceiptNonce,
                    DeadLetterQueueSourceArn = stored.DeadLetterQueueSourceArn,
                });
            }

            foreach (SqsDeduplicationState entry in record.Deduplication)
            {
                if (entry.ExpiresAt > now)
                {
                    queue.RememberDeduplication(entry.Key, new DeduplicationEntry(entry.MessageId, entry.SequenceNumber, entry.ExpiresAt), now);
                }
            }

            queues.Add(queue);
        }

        return queues;
    }

    private static List<SqsAttributeState>? ToState(SortedDictionary<string, SqsMessageAttribute> attributes)
    {
        if (attributes.Count == 0)
        {
            return null;
        }

        return [.. attributes.Select(a => new SqsAttributeState { Name = a.Key, DataType = a.Value.DataType, StringValue = a.Value.StringValue, BinaryValue = a.Value.BinaryValue })];
    }

    private static SortedDictionary<string, SqsMessageAttribute> FromState(List<SqsAttributeState>? stored, string at, bool system)
    {
        var attributes = new SortedDictionary<string, SqsMessageAttribute>(StringComparer.Ordinal);
        if (stored is null)
        {
            return attributes;
        }

        for (int i = 0; i < stored.Count; i++)
        {
            SqsAttributeState attribute = stored[i];
            Check($"{at}/{i}", () => attributes[attribute.Name] = SqsMessageAttribute.Create(attribute.Name, attribute.DataType, attribute.StringValue, attribute.BinaryValue, system));
        }

        return attributes;
    }

    private static void Check(string pointer, Action validate)
    {
        try
        {
            validate();
        }
        catch (AwsServiceException ex)
        {
            throw new InvalidDataException($"sqs.json: {pointer}: {ex.Message}", ex);
        }
    }

    private static string Pointer(FormattableString path) => path.ToString(CultureInfo.InvariantCulture);
}
