using System.Globalization;

namespace Kumo.Embedded.Sqs;

/// <summary>A queue: its attributes, tags, messages in arrival order, and FIFO bookkeeping.</summary>
/// <remarks>
/// <para>
/// Not thread-safe: the <see cref="SqsStore"/> lock guards every access. Messages are kept in one
/// list in send order; for a FIFO queue that order is the sequence-number order, and a message group
/// whose oldest undeleted message is not visible yields nothing until it is.
/// </para>
/// <para>
/// The messages are <see cref="StoredMessage"/> slots of one array, linked in queue order by index and found by id
/// through a hash index of buckets chained by index: no object per message but a plain message's one byte array. The
/// array doubles when full and is compacted (in queue order) when less than an eighth of it is used. A slot index is
/// only valid until the next call that adds or removes a message.
/// </para>
/// </remarks>
internal sealed class SqsQueue
{
    private const int InitialCapacity = 16;

    private readonly Dictionary<string, DeduplicationEntry> _deduplication = new(StringComparer.Ordinal);
    private StoredMessage[] _slots = new StoredMessage[InitialCapacity];
    private int[] _buckets = NewBuckets(InitialCapacity);
    private int _first = -1;
    private int _last = -1;
    private int _free = -1;
    private int _used;
    private int _count;

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

    /// <summary>The messages in queue order, each a new <see cref="SqsMessage"/> (a copy: changing it does not change the queue).</summary>
    public IEnumerable<SqsMessage> Messages
    {
        get
        {
            for (int index = _first; index >= 0; index = _slots[index].Next)
            {
                yield return _slots[index].View();
            }
        }
    }

    public IEnumerable<KeyValuePair<string, DeduplicationEntry>> Deduplication => _deduplication;

    /// <summary>The slot at <paramref name="index"/> (from <see cref="IndexOf"/>), to read or change its delivery state.</summary>
    public ref StoredMessage At(int index) => ref _slots[index];

    /// <summary>Copies of the stored messages in queue order (their content is immutable, so the copies can be read outside the lock).</summary>
    /// <remarks>Optimized from its first call, as <see cref="SqsStateMapper.Capture"/> (every request waits while it runs).</remarks>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public StoredMessage[] Capture()
    {
        var captured = new StoredMessage[_count];
        int at = 0;
        for (int index = _first; index >= 0; index = _slots[index].Next)
        {
            captured[at++] = _slots[index];
        }

        return captured;
    }

    /// <summary>Stores <paramref name="message"/> (its content and delivery state) at the back of the queue.</summary>
    /// <param name="message">The message; the queue keeps no reference to a plain one.</param>
    /// <param name="encoded">The message's <see cref="StoredMessage.Encode"/>, when the caller already made it.</param>
    public void Add(SqsMessage message, byte[]? encoded = null)
    {
        if (_free < 0 && _used == _slots.Length)
        {
            Resize(_slots.Length * 2);
        }

        int index;
        if (_free >= 0)
        {
            index = _free;
            _free = _slots[index].Next;
        }
        else
        {
            index = _used++;
        }

        StoredMessage stored = StoredMessage.From(message, encoded);
        stored.IdHash = StoredMessage.HashOf(message.MessageId);
        _slots[index] = stored;
        Link(index);
        ref int bucket = ref _buckets[stored.IdHash & (_buckets.Length - 1)];
        _slots[index].NextInBucket = bucket;
        bucket = index;
        _count++;
        _oldestSentAtMost = Math.Min(_oldestSentAtMost, message.SentTimestamp);
    }

    /// <summary>The slot index of the message with this id, or -1.</summary>
    public int IndexOf(string messageId)
    {
        int hash = StoredMessage.HashOf(messageId);
        for (int index = _buckets[hash & (_buckets.Length - 1)]; index >= 0; index = _slots[index].NextInBucket)
        {
            if (_slots[index].IdHash == hash && _slots[index].HasId(messageId))
            {
                return index;
            }
        }

        return -1;
    }

    public bool Remove(string messageId)
    {
        int index = IndexOf(messageId);
        if (index < 0)
        {
            return false;
        }

        Delete(index);
        return true;
    }

    /// <summary>Removes the message at <paramref name="index"/>, and compacts the array when it became mostly empty.</summary>
    public void Delete(int index)
    {
        RemoveAt(index);
        ShrinkIfSparse();
    }

    public int Purge()
    {
        int count = _count;
        _slots = new StoredMessage[InitialCapacity];
        _buckets = NewBuckets(InitialCapacity);
        _first = _last = _free = -1;
        _used = _count = 0;
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
        int index = _first;
        while (index >= 0)
        {
            int next = _slots[index].Next;
            long sent = _slots[index].SentTimestamp;
            if (sent < oldestKept)
            {
                RemoveAt(index);
                removed = true;
            }
            else
            {
                oldest = Math.Min(oldest, sent);
            }

            index = next;
        }

        _oldestSentAtMost = oldest;
        ShrinkIfSparse();
        return removed;
    }

    public (int Visible, int InFlight, int Delayed) Count(long now)
    {
        int visible = 0, inFlight = 0, delayed = 0;
        for (int index = _first; index >= 0; index = _slots[index].Next)
        {
            ref StoredMessage message = ref _slots[index];
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
        for (int index = _first; index >= 0; index = _slots[index].Next)
        {
            long visibleAt = _slots[index].VisibleAt;
            if (visibleAt > now && (next is null || visibleAt < next))
            {
                next = visibleAt;
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
    /// <returns>Copies of the received messages with their new delivery state.</returns>
    /// <remarks>
    /// In a standard queue a received message moves to the back of the list: the messages in flight then gather
    /// behind the ones never received, and the next receive finds a visible message at the front instead of walking
    /// over every message in flight (thousands, when consumers hold many). A message whose visibility timeout ends is
    /// delivered again after those sent before it became visible, which SQS's best-effort ordering of a standard queue
    /// allows. A FIFO queue keeps its send order.
    /// </remarks>
    public List<SqsMessage> Receive(long now, int max, int visibilityTimeout, Func<SqsMessage, bool>? deadLetter)
    {
        var received = new List<SqsMessage>(Math.Min(max, _count));
        List<int>? toBack = IsFifo ? null : new(Math.Min(max, _count));
        HashSet<string>? blockedGroups = IsFifo ? GroupsInFlight(now) : null;
        int? maxReceiveCount = Attributes.RedrivePolicy?.MaxReceiveCount;
        int index = _first;
        while (index >= 0 && received.Count < max)
        {
            ref StoredMessage message = ref _slots[index];
            int next = message.Next;
            string? group = message.MessageGroupId;
            if (blockedGroups is not null && group is not null)
            {
                if (blockedGroups.Contains(group))
                {
                    index = next;
                    continue;
                }

                if (!message.IsVisible(now))
                {
                    // Keep the group's order: nothing behind a message that is not yet visible.
                    blockedGroups.Add(group);
                    index = next;
                    continue;
                }
            }
            else if (!message.IsVisible(now))
            {
                index = next;
                continue;
            }

            if (maxReceiveCount is { } limit && message.ReceiveCount >= limit && deadLetter is not null && deadLetter(message.View()))
            {
                RemoveAt(index);
                index = next;
                continue;
            }

            message.ReceiveCount++;
            message.FirstReceiveTimestamp ??= now;
            message.ReceiptNonce++;
            message.VisibleAt = now + (visibilityTimeout * 1000L);
            received.Add(message.View());
            toBack?.Add(index);
            index = next;
        }

        // Moved after the walk: a message received with a visibility timeout of 0 must not be met again in this call.
        foreach (int moved in toBack ?? [])
        {
            Unlink(moved);
            Link(moved);
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
        for (int index = _first; index >= 0; index = _slots[index].Next)
        {
            ref StoredMessage message = ref _slots[index];
            if (message.MessageGroupId is { } group && message.IsInFlight(now))
            {
                groups.Add(group);
            }
        }

        return groups;
    }

    private static int[] NewBuckets(int capacity)
    {
        var buckets = new int[capacity];
        Array.Fill(buckets, -1);
        return buckets;
    }

    /// <summary>Appends slot <paramref name="index"/> to the queue order.</summary>
    private void Link(int index)
    {
        _slots[index].Previous = _last;
        _slots[index].Next = -1;
        if (_last >= 0)
        {
            _slots[_last].Next = index;
        }
        else
        {
            _first = index;
        }

        _last = index;
    }

    /// <summary>Takes slot <paramref name="index"/> out of the queue order.</summary>
    private void Unlink(int index)
    {
        int previous = _slots[index].Previous, next = _slots[index].Next;
        if (previous >= 0)
        {
            _slots[previous].Next = next;
        }
        else
        {
            _first = next;
        }

        if (next >= 0)
        {
            _slots[next].Previous = previous;
        }
        else
        {
            _last = previous;
        }
    }

    /// <summary>Frees slot <paramref name="index"/>: out of the order and the index, its content released, on the free list.</summary>
    private void RemoveAt(int index)
    {
        Unlink(index);
        ref int link = ref _buckets[_slots[index].IdHash & (_buckets.Length - 1)];
        while (link != index)
        {
            link = ref _slots[link].NextInBucket;
        }

        link = _slots[index].NextInBucket;
        _slots[index] = default;
        _slots[index].Next = _free;
        _free = index;
        _count--;
    }

    private void ShrinkIfSparse()
    {
        if (_slots.Length > InitialCapacity && _count < _slots.Length / 8)
        {
            Resize(Math.Max(InitialCapacity, (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)_count * 2)));
        }
    }

    /// <summary>Moves the messages, in queue order, into arrays of <paramref name="capacity"/> slots (a power of 2).</summary>
    private void Resize(int capacity)
    {
        var slots = new StoredMessage[capacity];
        int[] buckets = NewBuckets(capacity);
        int at = 0;
        for (int index = _first; index >= 0; index = _slots[index].Next)
        {
            ref StoredMessage moved = ref slots[at];
            moved = _slots[index];
            moved.Previous = at - 1;
            moved.Next = -1;
            if (at > 0)
            {
                slots[at - 1].Next = at;
            }

            ref int bucket = ref buckets[moved.IdHash & (capacity - 1)];
            moved.NextInBucket = bucket;
            bucket = at;
            at++;
        }

        _slots = slots;
        _buckets = buckets;
        _first = at > 0 ? 0 : -1;
        _last = at - 1;
        _free = -1;
        _used = at;
    }
}
