using System.Globalization;

namespace Kumo.Embedded.Sqs;

/// <summary>A queue: its attributes, tags, messages in arrival order, and FIFO bookkeeping.</summary>
/// <remarks>
/// Not thread-safe: the <see cref="SqsStore"/> lock guards every access. Messages are kept in one
/// list in send order; for a FIFO queue that order is the sequence-number order, and a message group
/// whose oldest undeleted message is not visible yields nothing until it is.
/// </remarks>
internal sealed class SqsQueue
{
    private readonly LinkedList<SqsMessage> _messages = new();
    private readonly Dictionary<string, LinkedListNode<SqsMessage>> _byId = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DeduplicationEntry> _deduplication = new(StringComparer.Ordinal);

    /// <summary>
    /// At most the oldest <see cref="SqsMessage.SentTimestamp"/> of the queue (a dead-letter queue holds messages
    /// out of send order), so <see cref="ExpireRetained"/> walks the queue only when a message may have expired.
    /// </summary>
    private long _oldestSentAtMost = long.MaxValue;

    public SqsQueue(string name, SqsQueueAttributes attributes, long createdTimestamp)
    {
        Name = name;
        Arn = QueueNames.Arn(name);
        Attributes = attributes;
        CreatedTimestamp = createdTimestamp;
        LastModifiedTimestamp = createdTimestamp;
    }

    public string Name { get; }

    public string Arn { get; }

    public bool IsFifo => Attributes.FifoQueue;

    public SqsQueueAttributes Attributes { get; set; }

    /// <summary>Unix milliseconds.</summary>
    public long CreatedTimestamp { get; }

    /// <summary>Unix milliseconds of the last attribute change.</summary>
    public long LastModifiedTimestamp { get; set; }

    public SortedDictionary<string, string> Tags { get; } = new(StringComparer.Ordinal);

    /// <summary>The last FIFO sequence number handed out.</summary>
    public long LastSequenceNumber { get; set; }

    public QueueSignal Signal { get; } = new();

    public IReadOnlyCollection<SqsMessage> Messages => _messages;

    public IEnumerable<KeyValuePair<string, DeduplicationEntry>> Deduplication => _deduplication;

    public void Add(SqsMessage message)
    {
        _byId.Add(message.MessageId, _messages.AddLast(message));
        _oldestSentAtMost = Math.Min(_oldestSentAtMost, message.SentTimestamp);
    }

    public SqsMessage? Find(string messageId) => _byId.TryGetValue(messageId, out LinkedListNode<SqsMessage>? node) ? node.Value : null;

    public bool Remove(string messageId)
    {
        if (!_byId.Remove(messageId, out LinkedListNode<SqsMessage>? node))
        {
            return false;
        }

        _messages.Remove(node);
        return true;
    }

    public int Purge()
    {
        int count = _messages.Count;
        _messages.Clear();
        _byId.Clear();
        _oldestSentAtMost = long.MaxValue;
        return count;
    }

    /// <summary>Deletes messages older than the retention period. Returns true when any was deleted.</summary>
    public bool ExpireRetained(long now)
    {
        long oldestKept = now - (Attributes.MessageRetentionPeriod * 1000L);
        if (_oldestSentAtMost >= oldestKept)
        {
            return false; // every receive calls this: without the bound it walked the whole queue each time
        }

        bool removed = false;
        long oldest = long.MaxValue;
        LinkedListNode<SqsMessage>? node = _messages.First;
        while (node is not null)
        {
            LinkedListNode<SqsMessage>? next = node.Next;
            if (node.Value.SentTimestamp < oldestKept)
            {
                _byId.Remove(node.Value.MessageId);
                _messages.Remove(node);
                removed = true;
            }
            else
            {
                oldest = Math.Min(oldest, node.Value.SentTimestamp);
            }

            node = next;
        }

        _oldestSentAtMost = oldest;
        return removed;
    }

    public (int Visible, int InFlight, int Delayed) Count(long now)
    {
        int visible = 0, inFlight = 0, delayed = 0;
        foreach (SqsMessage message in _messages)
        {
            if (message.IsVisible(now))
            {
                visible++;
            }
            else if (message.ReceiveCount > 0)
            {
                inFlight++;
            }
            else
            {
                delayed++;
            }
        }

        return (visible, inFlight, delayed);
    }

    /// <summary>The earliest future time a message becomes visible, or null when none will.</summary>
    public long? NextVisibleAt(long now)
    {
        long? next = null;
        foreach (SqsMessage message in _messages)
        {
            if (message.VisibleAt > now && (next is null || message.VisibleAt < next))
            {
                next = message.VisibleAt;
            }
        }

        return next;
    }

    /// <summary>
    /// Marks up to <paramref name="max"/> receivable messages as received and returns them in order.
    /// </summary>
    /// <param name="now">The current time (Unix ms).</param>
    /// <param name="max">The most messages to return.</param>
    /// <param name="visibilityTimeout">Seconds the returned messages stay invisible.</param>
    /// <param name="deadLetter">
    /// Called for a message whose receive count already reached the redrive policy's maxReceiveCount;
    /// returns true when it moved the message to the dead-letter queue (it is then removed here).
    /// </param>
    /// <remarks>
    /// In a standard queue a received message moves to the back of the list: the messages in flight then gather
    /// behind the ones never received, and the next receive finds a visible message at the front instead of walking
    /// over every message in flight (thousands, when consumers hold many). A message whose visibility timeout ends is
    /// delivered again after those sent before it became visible, which SQS's best-effort ordering of a standard queue
    /// allows. A FIFO queue keeps its send order.
    /// </remarks>
    public List<SqsMessage> Receive(long now, int max, int visibilityTimeout, Func<SqsMessage, bool>? deadLetter)
    {
        var received = new List<SqsMessage>(Math.Min(max, _messages.Count));
        List<LinkedListNode<SqsMessage>>? toBack = IsFifo ? null : new(Math.Min(max, _messages.Count));
        HashSet<string>? blockedGroups = IsFifo ? GroupsInFlight(now) : null;
        int? maxReceiveCount = Attributes.RedrivePolicy?.MaxReceiveCount;
        LinkedListNode<SqsMessage>? node = _messages.First;
        while (node is not null && received.Count < max)
        {
            LinkedListNode<SqsMessage>? next = node.Next;
            SqsMessage message = node.Value;
            string? group = message.MessageGroupId;
            if (blockedGroups is not null && group is not null)
            {
                if (blockedGroups.Contains(group))
                {
                    node = next;
                    continue;
                }

                if (!message.IsVisible(now))
                {
                    // Keep the group's order: nothing behind a message that is not yet visible.
                    blockedGroups.Add(group);
                    node = next;
                    continue;
                }
            }
            else if (!message.IsVisible(now))
            {
                node = next;
                continue;
            }

            if (maxReceiveCount is { } limit && message.ReceiveCount >= limit && deadLetter is not null && deadLetter(message))
            {
                _byId.Remove(message.MessageId);
                _messages.Remove(node);
                node = next;
                continue;
            }

            message.ReceiveCount++;
            message.FirstReceiveTimestamp ??= now;
            message.ReceiptNonce++;
            message.VisibleAt = now + (visibilityTimeout * 1000L);
            received.Add(message);
            toBack?.Add(node);
            node = next;
        }

        // Moved after the walk: a message received with a visibility timeout of 0 must not be met again in this call.
        foreach (LinkedListNode<SqsMessage> moved in toBack ?? [])
        {
            _messages.Remove(moved);
            _messages.AddLast(moved);
        }

        return received;
    }

    /// <summary>The next FIFO sequence number: 20 digits, strictly increasing within the queue.</summary>
    public string NextSequenceNumber() => (++LastSequenceNumber).ToString("D20", CultureInfo.InvariantCulture);

    public bool TryGetDuplicate(string key, long now, out DeduplicationEntry entry)
    {
        if (_deduplication.TryGetValue(key, out entry))
        {
            if (entry.ExpiresAt > now)
            {
                return true;
            }

            _deduplication.Remove(key);
        }

        return false;
    }

    public void RememberDeduplication(string key, DeduplicationEntry entry, long now)
    {
        if (_deduplication.Count > 0 && _deduplication.Count % 256 == 0)
        {
            foreach ((string staleKey, DeduplicationEntry stale) in _deduplication.ToArray())
            {
                if (stale.ExpiresAt <= now)
                {
                    _deduplication.Remove(staleKey);
                }
            }
        }

        _deduplication[key] = entry;
    }

    private HashSet<string> GroupsInFlight(long now)
    {
        var groups = new HashSet<string>(StringComparer.Ordinal);
        foreach (SqsMessage message in _messages)
        {
            if (message.MessageGroupId is { } group && message.IsInFlight(now))
            {
                groups.Add(group);
            }
        }

        return groups;
    }
}
