using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Kumo.Embedded.Persistence;
using Kumo.Embedded.Protocol;

namespace Kumo.Embedded.Sqs;

/// <summary>Converts between live queues and the <see cref="SqsState"/> document and journal records.</summary>
/// <remarks>
/// Loading re-validates everything through the same rules as the API (queue names, attributes,
/// message attributes), refuses a null wherever a value belongs, and reports the first problem as an
/// <see cref="InvalidDataException"/> whose message starts with the JSON pointer of the bad value.
/// </remarks>
internal static class SqsStateMapper
{
    /// <summary>Captures a queue for a checkpoint; call under the store's lock (copies references and delivery state only).</summary>
    /// <remarks>
    /// Every SQS request waits while this runs, so it fills one array of the known size, and it is optimized from its
    /// first call: a checkpoint is too rare for tiered compilation to reach it, and its unoptimized code took 1.3 % of
    /// the CPU of a data-dir SendMessage run (a queue of 300,000 messages) with the lock held.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static SqsQueueSnapshot Capture(SqsQueue queue)
    {
        SqsQueueState state = ToState(queue);
        foreach ((string key, DeduplicationEntry entry) in queue.Deduplication)
        {
            state.Deduplication.Add(new SqsDeduplicationState { Key = key, MessageId = entry.MessageId, SequenceNumber = entry.SequenceNumber, ExpiresAt = entry.ExpiresAt });
        }

        return new SqsQueueSnapshot(state, queue.Capture());
    }

    /// <summary>
    /// What writes the checkpoint document of captured queues to a stream (<see cref="CheckpointDocument.Writer"/>); call
    /// outside the store's lock: each message is described as it is written.
    /// </summary>
    public static Func<Stream, CancellationToken, Task> Writer(IReadOnlyList<SqsQueueSnapshot> queues, long journal) =>
        CheckpointDocument.Writer(ToDocument(queues, journal), SqsStateJsonContext.Default.SqsState);

    /// <summary>
    /// The document of captured queues (outside the lock). Each queue's messages are a <see cref="StreamedMessages"/>:
    /// the serializer turns one captured message at a time into the same reused <see cref="SqsMessageState"/>, so a
    /// checkpoint keeps nothing alive per message (before, a document object per message, all alive until the last was
    /// written: 179 bytes a message, bench/results/request-cost.md section 10); a plain message's strings are decoded
    /// for its turn and die young.
    /// </summary>
    private static SqsState ToDocument(IReadOnlyList<SqsQueueSnapshot> queues, long journal)
    {
        var state = new SqsState { Journal = journal };
        foreach (SqsQueueSnapshot queue in queues)
        {
            queue.Queue.Messages = new StreamedMessages(queue.Messages);
            state.Queues.Add(queue.Queue);
        }

        return state;
    }

    /// <summary>A queue's settings (a journal record, or the start of a checkpoint's queue).</summary>
    public static SqsQueueState ToState(SqsQueue queue) => new()
    {
        Name = queue.Name,
        CreatedTimestamp = queue.CreatedTimestamp,
        LastModifiedTimestamp = queue.LastModifiedTimestamp,
        Attributes = queue.Attributes.All().ToDictionary(StringComparer.Ordinal),
        Tags = new Dictionary<string, string>(queue.Tags, StringComparer.Ordinal),
        LastSequenceNumber = queue.LastSequenceNumber,
    };

    public static SqsMessageState ToState(SqsMessage message) => Describe(message, new SqsMessageState());

    /// <summary>Sets every field of <paramref name="state"/> from <paramref name="message"/> (its attributes lists are new or null).</summary>
    private static SqsMessageState Describe(SqsMessage message, SqsMessageState state)
    {
        state.MessageId = message.MessageId;
        state.Body = message.Body;
        state.MessageAttributes = ToState(message.MessageAttributes);
        state.SystemAttributes = ToState(message.SystemAttributes);
        state.SentTimestamp = message.SentTimestamp;
        state.SenderId = message.SenderId;
        state.MessageGroupId = message.MessageGroupId;
        state.MessageDeduplicationId = message.MessageDeduplicationId;
        state.SequenceNumber = message.SequenceNumber;
        state.VisibleAt = message.VisibleAt;
        state.ReceiveCount = message.ReceiveCount;
        state.FirstReceiveTimestamp = message.FirstReceiveTimestamp;
        state.ReceiptNonce = message.ReceiptNonce;
        state.DeadLetterQueueSourceArn = message.DeadLetterQueueSourceArn;
        return state;
    }

    /// <summary>Rebuilds queues from a checkpoint. Messages that were in flight come back visible at <paramref name="now"/>.</summary>
    /// <returns>The queues and the first journal segment to replay on top of them.</returns>
    public static (List<SqsQueue> Queues, long Journal) Deserialize(ReadOnlySpan<byte> document, long now)
    {
        SqsState state = JsonSerializer.Deserialize(document, SqsStateJsonContext.Default.SqsState)
            ?? throw new InvalidDataException("the document is null; expected an object with 'format', 'journal' and 'queues'.");
        if (state.Format != EngineIdentity.PersistenceFormat)
        {
            throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"/format is {state.Format}; this engine reads format {EngineIdentity.PersistenceFormat}. Restore a snapshot made by this engine version."));
        }

        Require(state.Queues, "/queues");
        if (state.Journal < 1)
        {
            throw new InvalidDataException("/journal must be a segment number of at least 1.");
        }

        var queues = new List<SqsQueue>(state.Queues.Count);
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (int q = 0; q < state.Queues.Count; q++)
        {
            string at = Pointer($"/queues/{q}");
            SqsQueueState record = Require(state.Queues[q], at);
            SqsQueue queue = QueueFromState(record, at);
            if (!names.Add(queue.Name))
            {
                throw new InvalidDataException($"{at}/name: the queue '{queue.Name}' appears twice.");
            }

            Require(record.Messages, $"{at}/messages");
            Require(record.Deduplication, $"{at}/deduplication");
            for (int m = 0; m < record.Messages.Count; m++)
            {
                string messageAt = Pointer($"{at}/messages/{m}");
                SqsMessage message = MessageFromState(record.Messages[m], messageAt, now);
                if (queue.IndexOf(message.MessageId) >= 0)
                {
                    throw new InvalidDataException($"{messageAt}/messageId: the message id '{message.MessageId}' is repeated.");
                }

                queue.Add(message);
            }

            for (int d = 0; d < record.Deduplication.Count; d++)
            {
                RememberDeduplication(queue, record.Deduplication[d], Pointer($"{at}/deduplication/{d}"), now);
            }

            queues.Add(queue);
        }

        return (queues, state.Journal);
    }

    /// <summary>A queue with the settings of <paramref name="record"/> and no messages.</summary>
    public static SqsQueue QueueFromState([NotNull] SqsQueueState? record, string at)
    {
        Require(record, at);
        Require(record.Name, $"{at}/name");
        Require(record.Attributes, $"{at}/attributes");
        Require(record.Tags, $"{at}/tags");
        foreach ((string name, string? value) in record.Attributes)
        {
            Require(value, $"{at}/attributes/{name}");
        }

        foreach ((string key, string? value) in record.Tags)
        {
            Require(value, $"{at}/tags/{key}");
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

        return queue;
    }

    /// <summary>A message from its document; one that was in flight comes back visible at <paramref name="now"/>.</summary>
    public static SqsMessage MessageFromState([NotNull] SqsMessageState? stored, string at, long now)
    {
        Require(stored, at);
        Require(stored.MessageId, $"{at}/messageId");
        Require(stored.Body, $"{at}/body");
        Require(stored.SenderId, $"{at}/senderId");
        if (stored.MessageId.Length == 0)
        {
            throw new InvalidDataException($"{at}/messageId is empty.");
        }

        IReadOnlyDictionary<string, SqsMessageAttribute> messageAttributes = FromState(stored.MessageAttributes, $"{at}/messageAttributes", system: false);
        IReadOnlyDictionary<string, SqsMessageAttribute> systemAttributes = FromState(stored.SystemAttributes, $"{at}/systemAttributes", system: true);
        return new SqsMessage
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
        };
    }

    /// <summary>Remembers a FIFO deduplication entry that has not expired at <paramref name="now"/>.</summary>
    public static void RememberDeduplication(SqsQueue queue, SqsDeduplicationState? entry, string at, long now)
    {
        Require(entry, at);
        Require(entry.Key, $"{at}/key");
        Require(entry.MessageId, $"{at}/messageId");
        if (entry.ExpiresAt > now)
        {
            queue.RememberDeduplication(entry.Key, new DeduplicationEntry(entry.MessageId, entry.SequenceNumber, entry.ExpiresAt), now);
        }
    }

    public static T Require<T>([NotNull] T? value, string at)
        where T : class =>
        value ?? throw new InvalidDataException($"{(at.Length == 0 ? "/" : at)} is null; expected a value.");

    private static List<SqsAttributeState>? ToState(IReadOnlyDictionary<string, SqsMessageAttribute> attributes)
    {
        if (attributes.Count == 0)
        {
            return null;
        }

        return [.. attributes.Select(a => new SqsAttributeState { Name = a.Key, DataType = a.Value.DataType, StringValue = a.Value.StringValue, BinaryValue = a.Value.BinaryValue })];
    }

    private static IReadOnlyDictionary<string, SqsMessageAttribute> FromState(List<SqsAttributeState>? stored, string at, bool system)
    {
        if (stored is null || stored.Count == 0)
        {
            return SqsMessageAttribute.None;
        }

        var attributes = new SortedDictionary<string, SqsMessageAttribute>(StringComparer.Ordinal);

        for (int i = 0; i < stored.Count; i++)
        {
            string itemAt = Pointer($"{at}/{i}");
            SqsAttributeState attribute = Require(stored[i], itemAt);
            Require(attribute.Name, $"{itemAt}/name");
            Require(attribute.DataType, $"{itemAt}/dataType");
            Check(itemAt, () => attributes[attribute.Name] = SqsMessageAttribute.Create(attribute.Name, attribute.DataType, attribute.StringValue, attribute.BinaryValue, system));
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
            throw new InvalidDataException($"{pointer}: {ex.Message}", ex);
        }
    }

    private static string Pointer(FormattableString path) => path.ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// A queue's captured messages as the checkpoint writes them: element <c>i</c> is message <c>i</c> with its delivery
    /// state at the capture, described in one <see cref="SqsMessageState"/> that every element reuses. That is safe for the
    /// serializer, which finishes writing an element before it asks for the next; nothing else reads this list.
    /// </summary>
    private sealed class StreamedMessages(StoredMessage[] captured) : IReadOnlyList<SqsMessageState>
    {
        private readonly SqsMessageState _current = new();

        public int Count => captured.Length;

        public SqsMessageState this[int index]
        {
            [MethodImpl(MethodImplOptions.AggressiveOptimization)]
            get
            {
                return Describe(captured[index].View(), _current);
            }
        }

        public IEnumerator<SqsMessageState> GetEnumerator()
        {
            for (int i = 0; i < captured.Length; i++)
            {
                yield return this[i];
            }
        }

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
