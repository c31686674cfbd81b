using System.Buffers.Text;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Kumo.Embedded.Persistence;
using Kumo.Embedded.Protocol;

namespace Kumo.Embedded.Sqs;

/// <summary>
/// All queues of one engine and the SQS semantics over them: visibility, delays, retention,
/// redrive to dead-letter queues, FIFO ordering and deduplication, and long polling.
/// </summary>
/// <remarks>
/// <para>
/// One lock guards everything; every operation is short and never waits while holding it. A long
/// poll takes the queue's <see cref="QueueSignal"/> under the lock and awaits it outside, together
/// with a timer for the next message that becomes visible on its own.
/// </para>
/// <para>
/// Every mutation appends a <see cref="SqsJournalRecord"/> to the journal in the same critical
/// section, so the journal's order is the order of the mutations; <see cref="Checkpoint"/> captures
/// the state and starts a new journal segment in one critical section too.
/// </para>
/// </remarks>
internal sealed class SqsStore
{
    private readonly Lock _gate = new();
    private readonly List<TaskCompletionSource> _woken = [];
    private int _depth;
    private readonly SortedDictionary<string, SqsQueue> _queues = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;
    private Journal? _journal;

    public SqsStore(TimeProvider time)
    {
        _time = time;
    }

    private long Now => _time.GetUtcNow().ToUnixTimeMilliseconds();

    /// <summary>Creates a queue, or returns the existing one when every given attribute matches it.</summary>
    public void CreateQueue(string name, IReadOnlyList<KeyValuePair<string, string>> attributes, IReadOnlyList<KeyValuePair<string, string>> tags)
    {
        bool fifo = false;
        foreach ((string key, string value) in attributes)
        {
            if (key == SqsQueueAttributes.FifoQueueName && bool.TryParse(value, out bool flag))
            {
                fifo = flag;
            }
        }

        QueueNames.Validate(name, fifo);
        var requested = new SqsQueueAttributes(fifo);
        foreach ((string key, string value) in attributes)
        {
            requested.Set(key, value, creating: true);
        }

        ValidateTags(tags);
        using (Enter())
        {
            if (_queues.TryGetValue(name, out SqsQueue? existing))
            {
                var conflicts = attributes
                    .Select(a => a.Key)
                    .Where(key => requested.Get(key) != existing.Attributes.Get(key))
                    .Distinct(StringComparer.Ordinal)
                    .ToList();
                if (conflicts.Count > 0)
                {
                    throw SqsErrors.QueueNameExists(name, conflicts);
                }

                return;
            }

            ValidateRedriveTarget(name, requested);
            long now = Now;
            var queue = new SqsQueue(name, requested, now);
            foreach ((string key, string value) in tags)
            {
                queue.Tags[key] = value;
            }

            _queues.Add(name, queue);
            RecordQueue(queue);
        }
    }

    /// <summary>Throws QueueDoesNotExist unless the queue exists.</summary>
    public void RequireQueue(string name)
    {
        using (Enter())
        {
            _ = Get(name);
        }
    }

    public void DeleteQueue(string name)
    {
        using (Enter())
        {
            SqsQueue queue = Get(name);
            _queues.Remove(name);
            Wake(queue.Signal);
            Record(new SqsJournalRecord { Op = SqsJournalRecord.DeleteQueue, Queue = name });
        }
    }

    /// <summary>Queue names in name order, after <paramref name="nextToken"/>, with a token when more follow.</summary>
    public (IReadOnlyList<string> Names, string? NextToken) ListQueues(string? prefix, int? maxResults, string? nextToken)
    {
        string? after = null;
        if (nextToken is not null)
        {
            try
            {
                after = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(nextToken));
            }
            catch (FormatException)
            {
                throw SqsErrors.InvalidParameterValue("NextToken", nextToken, "Use the NextToken of a previous ListQueues response.");
            }
        }

        int limit = maxResults ?? SqsLimits.MaxListQueuesResults;
        var names = new List<string>();
        bool more = false;
        using (Enter())
        {
            foreach (string name in _queues.Keys)
            {
                if ((prefix is not null && !name.StartsWith(prefix, StringComparison.Ordinal))
                    || (after is not null && string.CompareOrdinal(name, after) <= 0))
                {
                    continue;
                }

                if (names.Count == limit)
                {
                    more = true;
                    break;
                }

                names.Add(name);
            }
        }

        string? token = more && maxResults is not null ? Base64Url.EncodeToString(Encoding.UTF8.GetBytes(names[^1])) : null;
        return (names, token);
    }

    public IReadOnlyList<KeyValuePair<string, string>> GetQueueAttributes(string name, IReadOnlyList<string> requested)
    {
        foreach (string attribute in requested)
        {
            if (attribute != "All" && !SqsQueueAttributes.IsKnown(attribute))
            {
                throw SqsErrors.InvalidAttributeName(attribute);
            }
        }

        bool all = requested.Contains("All");
        var result = new List<KeyValuePair<string, string>>();
        using (Enter())
        {
            SqsQueue queue = Get(name);
            long now = Now;
            queue.ExpireRetained(now); // time decides expiry, so a replay reaches the same result: no record
            (int visible, int inFlight, int delayed) = queue.Count(now);
            foreach (string attribute in SqsQueueAttributes.ComputedNames)
            {
                if (all || requested.Contains(attribute))
                {
                    result.Add(new(attribute, attribute switch
                    {
                        "ApproximateNumberOfMessages" => Format(visible),
                        "ApproximateNumberOfMessagesNotVisible" => Format(inFlight),
                        "ApproximateNumberOfMessagesDelayed" => Format(delayed),
                        "CreatedTimestamp" => Format(queue.CreatedTimestamp / 1000),
                        "LastModifiedTimestamp" => Format(queue.LastModifiedTimestamp / 1000),
                        _ => queue.Arn,
                    }));
                }
            }

            foreach (string attribute in SqsQueueAttributes.SettableNames)
            {
                if ((all || requested.Contains(attribute)) && queue.Attributes.Get(attribute) is { } value)
                {
                    result.Add(new(attribute, value));
                }
            }
        }

        return result;
    }

    /// <summary>Applies all attributes or none.</summary>
    public void SetQueueAttributes(string name, IReadOnlyList<KeyValuePair<string, string>> attributes)
    {
        using (Enter())
        {
            SqsQueue queue = Get(name);
            SqsQueueAttributes updated = queue.Attributes.Clone();
            foreach ((string key, string value) in attributes)
            {
                updated.Set(key, value, creating: false);
            }

            ValidateRedriveTarget(name, updated);
            queue.Attributes = updated;
            queue.LastModifiedTimestamp = Now;
            Wake(queue.Signal);
            RecordQueue(queue);
        }
    }

    public SendMessageOutcome Send(string queueName, SendMessageInput input)
    {
        // Made before the lock, which every send and receive of the engine takes: they need no state.
        string messageId = UniqueIds.Message();
        // The stored form of a plain message, with the body's MD5 in it; the queue keeps it only if the message is
        // plain (StoredMessage.From decides), else it was just where the MD5 was computed.
        byte[]? encoded = StoredMessage.Encode(messageId, input.Body);
        string md5OfBody = encoded is null ? MessageContents.Md5Hex(input.Body) : StoredMessage.Md5Hex(encoded, messageId.Length);
        string? md5OfAttributes = MessageAttributeMd5.Compute(input.MessageAttributes);
        string? md5OfSystemAttributes = MessageAttributeMd5.Compute(input.SystemAttributes);
        long size = input.Size;
        using (Enter())
        {
            SqsQueue queue = Get(queueName);
            SqsQueueAttributes attributes = queue.Attributes;
            if (size > attributes.MaximumMessageSize)
            {
                throw SqsErrors.InvalidParameterValue(string.Create(CultureInfo.InvariantCulture,
                    $"One or more parameters are invalid. Reason: Message must be shorter than {attributes.MaximumMessageSize} bytes (body plus message attributes is {size} bytes). Raise the queue's MaximumMessageSize (up to {SqsLimits.MaxMaximumMessageSize}) or send a smaller message."));
            }

            long now = Now;
            string? dedupKey = null;
            if (queue.IsFifo)
            {
                if (input.DelaySeconds is > 0)
                {
                    throw SqsErrors.InvalidParameterValue("DelaySeconds", input.DelaySeconds, "The request includes a parameter that is not valid for this queue type: FIFO queues support only queue-level DelaySeconds.");
                }

                if (input.MessageGroupId is null)
                {
                    throw SqsErrors.MissingParameter("MessageGroupId");
                }

                string? dedupId = input.MessageDeduplicationId;
                if (dedupId is null)
                {
                    if (!attributes.ContentBasedDeduplication)
                    {
                        throw SqsErrors.InvalidParameterValue("The queue should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly.");
                    }

                    dedupId = MessageContents.Sha256Hex(input.Body);
                }

                dedupKey = attributes.DeduplicationScope == "messageGroup" ? input.MessageGroupId + "\n" + dedupId : dedupId;
                if (queue.TryGetDuplicate(dedupKey, now, out DeduplicationEntry duplicate))
                {
                    return Outcome(duplicate.MessageId, duplicate.SequenceNumber);
                }

                input = input with { MessageDeduplicationId = dedupId };
            }
            else if (input.MessageDeduplicationId is not null)
            {
                throw SqsErrors.InvalidParameterValue("MessageDeduplicationId", input.MessageDeduplicationId, "The request includes a parameter that is not valid for this queue type: MessageDeduplicationId is only supported by FIFO queues.");
            }

            int delay = queue.IsFifo ? attributes.DelaySeconds : input.DelaySeconds ?? attributes.DelaySeconds;
            var message = new SqsMessage
            {
                MessageId = messageId,
                Body = input.Body,
                Md5OfBody = md5OfBody,
                MessageAttributes = input.MessageAttributes,
                Md5OfMessageAttributes = md5OfAttributes,
                SystemAttributes = input.SystemAttributes,
                Md5OfMessageSystemAttributes = md5OfSystemAttributes,
                SentTimestamp = now,
                SenderId = EngineContext.AccountId,
                MessageGroupId = input.MessageGroupId,
                MessageDeduplicationId = input.MessageDeduplicationId,
                SequenceNumber = queue.IsFifo ? queue.NextSequenceNumber() : null,
                VisibleAt = now + (delay * 1000L),
            };
            queue.Add(message, encoded);
            if (dedupKey is not null)
            {
                queue.RememberDeduplication(dedupKey, new DeduplicationEntry(message.MessageId, message.SequenceNumber, now + (long)SqsLimits.DeduplicationWindow.TotalMilliseconds), now);
            }

            Wake(queue.Signal);
            RecordSent(queue, message, dedupKey, now);

            return new SendMessageOutcome(message.MessageId, message.Md5OfBody, message.Md5OfMessageAttributes, message.Md5OfMessageSystemAttributes, message.SequenceNumber);

            SendMessageOutcome Outcome(string duplicateId, string? sequenceNumber) => new(
                duplicateId,
                md5OfBody,
                md5OfAttributes,
                md5OfSystemAttributes,
                sequenceNumber);
        }
    }

    /// <summary>Journals a sent message; in memory (no journal) the record, a copy of the message, is not even built.</summary>
    private void RecordSent(SqsQueue queue, SqsMessage message, string? dedupKey, long now)
    {
        if (_journal is null)
        {
            return;
        }

        Record(new SqsJournalRecord
        {
            Op = SqsJournalRecord.AddMessage,
            Queue = queue.Name,
            Message = SqsStateMapper.ToState(message),
            LastSequenceNumber = queue.IsFifo ? queue.LastSequenceNumber : null,
            Deduplication = dedupKey is null ? null : new SqsDeduplicationState { Key = dedupKey, MessageId = message.MessageId, SequenceNumber = message.SequenceNumber, ExpiresAt = now + (long)SqsLimits.DeduplicationWindow.TotalMilliseconds },
        });
    }

    /// <summary>
    /// Receives up to <paramref name="max"/> messages, waiting up to the wait time (long polling) for
    /// the first one to arrive or become visible.
    /// </summary>
    /// <param name="queueName">The queue.</param>
    /// <param name="max">1 to 10.</param>
    /// <param name="visibilityTimeout">Overrides the queue's VisibilityTimeout.</param>
    /// <param name="waitTimeSeconds">Overrides the queue's ReceiveMessageWaitTimeSeconds.</param>
    /// <param name="cancellationToken">Ends the wait (client gone or engine stopping).</param>
    public async Task<IReadOnlyList<ReceivedMessage>> ReceiveAsync(string queueName, int max, int? visibilityTimeout, int? waitTimeSeconds, CancellationToken cancellationToken)
    {
        long deadline = long.MinValue;
        while (true)
        {
            Task changed;
            long wait;
            using (Enter())
            {
                SqsQueue queue = Get(queueName);
                long now = Now;
                if (deadline == long.MinValue)
                {
                    deadline = now + ((waitTimeSeconds ?? queue.Attributes.ReceiveMessageWaitTimeSeconds) * 1000L);
                }

                List<ReceivedMessage> received = ReceiveLocked(queue, now, max, visibilityTimeout ?? queue.Attributes.VisibilityTimeout);
                if (received.Count > 0 || now >= deadline)
                {
                    return received;
                }

                changed = queue.Signal.Next;
                wait = Math.Min(deadline, queue.NextVisibleAt(now) ?? long.MaxValue) - now;
            }

            await WaitForChangeAsync(changed, TimeSpan.FromMilliseconds(Math.Max(1, wait)), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Deletes a message by its latest receipt handle (an older handle or a deleted message is a no-op, as in SQS).</summary>
    public void DeleteMessage(string queueName, string receiptHandle)
    {
        using (Enter())
        {
            SqsQueue queue = Get(queueName);
            ReceiptHandle handle = Decode(queueName, receiptHandle);
            int index = queue.IndexOf(handle.MessageId);
            if (index >= 0 && queue.At(index).ReceiptNonce == handle.Nonce)
            {
                queue.Delete(index);
                Record(new SqsJournalRecord { Op = SqsJournalRecord.RemoveMessage, Queue = queueName, MessageId = handle.MessageId });
            }
        }
    }

    public void ChangeMessageVisibility(string queueName, string receiptHandle, int visibilityTimeout)
    {
        using (Enter())
        {
            SqsQueue queue = Get(queueName);
            ReceiptHandle handle = Decode(queueName, receiptHandle);
            int index = queue.IndexOf(handle.MessageId);
            if (index < 0 || queue.At(index).ReceiptNonce != handle.Nonce)
            {
                throw SqsErrors.InvalidParameterValue("ReceiptHandle", receiptHandle, "Message does not exist or is not available for visibility timeout change (it was deleted, or received again with a newer receipt handle).");
            }

            ref StoredMessage message = ref queue.At(index);
            message.VisibleAt = Now + (visibilityTimeout * 1000L);
            Wake(queue.Signal);
            RecordVisibility(queue, handle.MessageId, message.VisibleAt, message.ReceiveCount, message.FirstReceiveTimestamp, message.ReceiptNonce);
        }
    }

    public void PurgeQueue(string name)
    {
        using (Enter())
        {
            SqsQueue queue = Get(name);
            if (queue.Purge() > 0)
            {
                Record(new SqsJournalRecord { Op = SqsJournalRecord.Purge, Queue = name });
            }
        }
    }

    public void TagQueue(string name, IReadOnlyList<KeyValuePair<string, string>> tags)
    {
        ValidateTags(tags);
        using (Enter())
        {
            SqsQueue queue = Get(name);
            var merged = new SortedDictionary<string, string>(queue.Tags, StringComparer.Ordinal);
            foreach ((string key, string value) in tags)
            {
                merged[key] = value;
            }

            if (merged.Count > SqsLimits.MaxTagsPerQueue)
            {
                throw SqsErrors.InvalidParameterValue(string.Create(CultureInfo.InvariantCulture, $"Too many tags: a queue can have at most {SqsLimits.MaxTagsPerQueue}; this request would make {merged.Count}."));
            }

            foreach ((string key, string value) in tags)
            {
                queue.Tags[key] = value;
            }

            RecordQueue(queue);
        }
    }

    public void UntagQueue(string name, IReadOnlyList<string> keys)
    {
        using (Enter())
        {
            SqsQueue queue = Get(name);
            foreach (string key in keys)
            {
                queue.Tags.Remove(key);
            }

            RecordQueue(queue);
        }
    }

    public IReadOnlyList<KeyValuePair<string, string>> ListQueueTags(string name)
    {
        using (Enter())
        {
            return [.. Get(name).Tags];
        }
    }

    public IReadOnlyList<string> ListDeadLetterSourceQueues(string name)
    {
        using (Enter())
        {
            _ = Get(name);
            return [.. _queues.Values.Where(q => q.Attributes.RedrivePolicy?.TargetName == name).Select(q => q.Name)];
        }
    }

    /// <summary>Gives the store its journal (null: memory only).</summary>
    public void Attach(Journal? journal) => _journal = journal;

    /// <summary>Completes when every change made so far is as durable as the durability mode promises before an acknowledgement.</summary>
    public Task DurableAsync() => _journal is null ? Task.CompletedTask : _journal.WhenDurableAsync(_journal.LastSequence);

    /// <summary>Captures all state and starts a new journal segment in one critical section.</summary>
    /// <remarks>
    /// The lock is held only to copy references and delivery state (<see cref="SqsQueueSnapshot"/>); the document is
    /// built and serialized after it, so a checkpoint of a large queue does not hold sends and receives for its length.
    /// </remarks>
    public Func<Stream, CancellationToken, Task> Checkpoint(Func<long> rotate)
    {
        List<SqsQueueSnapshot> queues;
        long journal;
        using (Enter())
        {
            queues = [.. _queues.Values.Select(SqsStateMapper.Capture)];
            journal = rotate();
        }

        return SqsStateMapper.Writer(queues, journal);
    }

    /// <summary>Replaces all state with a checkpoint; throws <see cref="InvalidDataException"/> naming what is wrong.</summary>
    /// <returns>The first journal segment to replay.</returns>
    public long LoadCheckpoint(ReadOnlySpan<byte> document)
    {
        (List<SqsQueue> queues, long journal) = SqsStateMapper.Deserialize(document, Now);
        using (Enter())
        {
            _queues.Clear();
            foreach (SqsQueue queue in queues)
            {
                _queues.Add(queue.Name, queue);
            }
        }

        return journal;
    }

    /// <summary>Applies one journal record; throws <see cref="InvalidDataException"/> naming what is wrong.</summary>
    public void Replay(ReadOnlySpan<byte> payload)
    {
        SqsJournalRecord record = JsonSerializer.Deserialize(payload, SqsStateJsonContext.Default.SqsJournalRecord)
            ?? throw new InvalidDataException("the record is null.");
        SqsStateMapper.Require(record.Queue, "/queue");
        long now = Now;
        using (Enter())
        {
            switch (record.Op)
            {
                case SqsJournalRecord.PutQueue:
                    SqsQueue settings = SqsStateMapper.QueueFromState(record.State, "/state");
                    if (_queues.TryGetValue(settings.Name, out SqsQueue? existing))
                    {
                        existing.Attributes = settings.Attributes;
                        existing.LastModifiedTimestamp = settings.LastModifiedTimestamp;
                        existing.LastSequenceNumber = Math.Max(existing.LastSequenceNumber, settings.LastSequenceNumber);
                        existing.Tags.Clear();
                        foreach ((string key, string value) in settings.Tags)
                        {
                            existing.Tags[key] = value;
                        }
                    }
                    else
                    {
                        _queues.Add(settings.Name, settings);
                    }

                    break;
                case SqsJournalRecord.DeleteQueue:
                    _queues.Remove(record.Queue);
                    break;
                case SqsJournalRecord.AddMessage:
                    SqsQueue target = ReplayQueue(record.Queue);
                    SqsMessage message = SqsStateMapper.MessageFromState(record.Message, "/message", now);
                    target.Remove(message.MessageId);
                    target.Add(message);
                    if (record.LastSequenceNumber is { } sequence)
                    {
                        target.LastSequenceNumber = Math.Max(target.LastSequenceNumber, sequence);
                    }

                    if (record.Deduplication is { } deduplication)
                    {
                        SqsStateMapper.RememberDeduplication(target, deduplication, "/deduplication", now);
                    }

                    break;
                case SqsJournalRecord.RemoveMessage:
                    ReplayQueue(record.Queue).Remove(SqsStateMapper.Require(record.MessageId, "/messageId"));
                    break;
                case SqsJournalRecord.Visibility:
                    SqsQueue visibilityQueue = ReplayQueue(record.Queue);
                    if (visibilityQueue.IndexOf(SqsStateMapper.Require(record.MessageId, "/messageId")) is >= 0 and int receivedAt)
                    {
                        ref StoredMessage received = ref visibilityQueue.At(receivedAt);
                        received.ReceiveCount = record.ReceiveCount;
                        received.FirstReceiveTimestamp = record.FirstReceiveTimestamp;
                        received.ReceiptNonce = record.ReceiptNonce;
                        received.VisibleAt = record.ReceiveCount > 0 && record.VisibleAt > now ? now : record.VisibleAt;
                    }

                    break;
                case SqsJournalRecord.Purge:
                    ReplayQueue(record.Queue).Purge();
                    break;
                default:
                    throw new InvalidDataException($"/op: unknown operation '{record.Op}'.");
            }
        }
    }

    /// <summary>Forgets all queues (their files were quarantined).</summary>
    public void Reset()
    {
        using (Enter())
        {
            _queues.Clear();
        }
    }

    private SqsQueue ReplayQueue(string name) =>
        _queues.TryGetValue(name, out SqsQueue? queue) ? queue : throw new InvalidDataException($"/queue: the queue '{name}' does not exist at this point of the journal.");

    private void Record(SqsJournalRecord record) =>
        _journal?.Append(JsonScratch.Record.Serialize(record, SqsStateJsonContext.Default.SqsJournalRecord));

    private void RecordQueue(SqsQueue queue) =>
        Record(new SqsJournalRecord { Op = SqsJournalRecord.PutQueue, Queue = queue.Name, State = SqsStateMapper.ToState(queue) });

    private void RecordVisibility(SqsQueue queue, string messageId, long visibleAt, int receiveCount, long? firstReceiveTimestamp, int receiptNonce) => Record(new SqsJournalRecord
    {
        Op = SqsJournalRecord.Visibility,
        Queue = queue.Name,
        MessageId = messageId,
        VisibleAt = visibleAt,
        ReceiveCount = receiveCount,
        FirstReceiveTimestamp = firstReceiveTimestamp,
        ReceiptNonce = receiptNonce,
    });

    private List<ReceivedMessage> ReceiveLocked(SqsQueue queue, long now, int max, int visibilityTimeout)
    {
        queue.ExpireRetained(now);
        List<SqsMessage> messages = queue.Receive(now, max, visibilityTimeout, message => MoveToDeadLetterQueue(queue, message, now));
        if (messages.Count == 0)
        {
            return [];
        }

        foreach (SqsMessage message in messages)
        {
            RecordVisibility(queue, message.MessageId, message.VisibleAt, message.ReceiveCount, message.FirstReceiveTimestamp, message.ReceiptNonce);
        }

        var received = new List<ReceivedMessage>(messages.Count);
        foreach (SqsMessage message in messages)
        {
            string handle = new ReceiptHandle(queue.Name, message.MessageId, message.ReceiptNonce).Encode();
            received.Add(new ReceivedMessage(message, handle, message.ReceiveCount, message.FirstReceiveTimestamp ?? now));
        }

        return received;
    }

    private bool MoveToDeadLetterQueue(SqsQueue source, SqsMessage message, long now)
    {
        if (source.Attributes.RedrivePolicy is not { } policy
            || !_queues.TryGetValue(policy.TargetName, out SqsQueue? target)
            || ReferenceEquals(target, source))
        {
            return false;
        }

        // A new message in the target queue: visible now, its receive history kept, its receipt handles void.
        SqsMessage moved = message with
        {
            SequenceNumber = target.IsFifo ? target.NextSequenceNumber() : null,
            VisibleAt = now,
            ReceiptNonce = 0,
            DeadLetterQueueSourceArn = source.Arn,
        };
        target.Add(moved);
        Wake(target.Signal);
        Record(new SqsJournalRecord { Op = SqsJournalRecord.RemoveMessage, Queue = source.Name, MessageId = message.MessageId });
        Record(new SqsJournalRecord { Op = SqsJournalRecord.AddMessage, Queue = target.Name, Message = SqsStateMapper.ToState(moved), LastSequenceNumber = target.IsFifo ? target.LastSequenceNumber : null });
        return true;
    }

    private void ValidateRedriveTarget(string queueName, SqsQueueAttributes attributes)
    {
        if (attributes.RedrivePolicy is not { } policy)
        {
            return;
        }

        if (policy.TargetName == queueName)
        {
            throw SqsErrors.InvalidParameterValue(SqsQueueAttributes.RedrivePolicyName, policy.DeadLetterTargetArn, "A queue cannot be its own dead-letter queue.");
        }

        if (!_queues.TryGetValue(policy.TargetName, out SqsQueue? target))
        {
            throw SqsErrors.InvalidParameterValue(SqsQueueAttributes.RedrivePolicyName, policy.DeadLetterTargetArn, "Dead-letter target does not exist. Create the dead-letter queue first.");
        }

        if (target.IsFifo != attributes.FifoQueue)
        {
            throw SqsErrors.InvalidParameterValue(SqsQueueAttributes.RedrivePolicyName, policy.DeadLetterTargetArn, "The dead-letter queue of a FIFO queue must be a FIFO queue, and of a standard queue a standard queue.");
        }
    }

    private static void ValidateTags(IReadOnlyList<KeyValuePair<string, string>> tags)
    {
        if (tags.Count > SqsLimits.MaxTagsPerQueue)
        {
            throw SqsErrors.InvalidParameterValue(string.Create(CultureInfo.InvariantCulture, $"Too many tags: a queue can have at most {SqsLimits.MaxTagsPerQueue}, the request has {tags.Count}."));
        }

        foreach ((string key, string value) in tags)
        {
            if (key.Length == 0 || key.Length > SqsLimits.MaxTagKeyLength)
            {
                throw SqsErrors.InvalidParameterValue("Tag key", key, string.Create(CultureInfo.InvariantCulture, $"Tag keys are 1 to {SqsLimits.MaxTagKeyLength} characters."));
            }

            if (value.Length > SqsLimits.MaxTagValueLength)
            {
                throw SqsErrors.InvalidParameterValue("Tag value", value, string.Create(CultureInfo.InvariantCulture, $"Tag values are at most {SqsLimits.MaxTagValueLength} characters."));
            }
        }
    }

    private static ReceiptHandle Decode(string queueName, string receiptHandle)
    {
        if (!ReceiptHandle.TryDecode(receiptHandle, out ReceiptHandle handle) || handle.QueueName != queueName)
        {
            throw SqsErrors.ReceiptHandleIsInvalid(receiptHandle);
        }

        return handle;
    }

    private async Task WaitForChangeAsync(Task changed, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var stopTimer = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        Task timer = Task.Delay(timeout, _time, stopTimer.Token);
        await Task.WhenAny(changed, timer).ConfigureAwait(false);
        // Cancelled on this thread: CancelAsync would run the timer's cancellation on a pool thread and resume the woken
        // receive there, undoing the inline wake-up.
        stopTimer.Cancel();
        cancellationToken.ThrowIfCancellationRequested();
    }

    /// <summary>Enters the state lock for a <c>using</c> block; leaving it wakes the long polls the block pulsed (<see cref="StateScope"/>).</summary>
    private StateScope Enter()
    {
        _gate.Enter();
        _depth++;
        return new StateScope(this);
    }

    /// <summary>Marks a queue's parked long polls to be woken when the state lock is left; call under it.</summary>
    private void Wake(QueueSignal signal)
    {
        if (signal.Pulse() is { } waiters)
        {
            _woken.Add(waiters);
        }
    }

    /// <summary>
    /// The state lock, held for a <c>using</c> block. Leaving the outermost block completes the waits it pulsed, on this
    /// thread, after the lock is released: a woken receive runs at once here (its continuation is synchronous) instead
    /// of waiting for a pool thread, and never inside another mutation's critical section.
    /// </summary>
    private readonly ref struct StateScope(SqsStore store)
    {
        public void Dispose()
        {
            List<TaskCompletionSource> woken = store._woken;
            TaskCompletionSource[]? wake = null;
            if (--store._depth == 0 && woken.Count > 0)
            {
                wake = [.. woken];
                woken.Clear();
            }

            store._gate.Exit();
            foreach (TaskCompletionSource waiters in wake ?? [])
            {
                waiters.TrySetResult();
            }
        }
    }

    private SqsQueue Get(string name) => _queues.TryGetValue(name, out SqsQueue? queue) ? queue : throw SqsErrors.QueueDoesNotExist(name);

    private static string Format(long value) => value.ToString(CultureInfo.InvariantCulture);
}
