namespace Kumo.Embedded.Sqs;

/// <summary>A message with its delivery state: what a send stores and what a queue hands out.</summary>
/// <remarks>
/// <para>
/// A queue does not keep this object: it stores the message as a <see cref="StoredMessage"/> slot and hands out a new
/// copy on each read (<see cref="SqsQueue.Receive"/>, <see cref="SqsQueue.Messages"/>), so changing a copy changes nothing
/// stored; delivery state changes go through the queue (<see cref="SqsQueue.At"/>).
/// </para>
/// <para>
/// Times are Unix milliseconds from the engine's <see cref="TimeProvider"/>. A message is
/// <em>visible</em> when <see cref="VisibleAt"/> has passed, <em>in flight</em> when it was received and
/// is not yet visible again, and <em>delayed</em> when it was never received and is not yet visible.
/// Only the delivery state (visibility, receive count, nonce) changes after a message is stored.
/// </para>
/// </remarks>
internal sealed record SqsMessage
{
    public required string MessageId { get; init; }

    public required string Body { get; init; }

    public required string Md5OfBody { get; init; }

    /// <summary>User message attributes in ordinal name order.</summary>
    /// <remarks>
    /// An empty map is <see cref="SqsMessageAttribute.None"/>, shared: a queue of messages without attributes holds no
    /// map objects per message (about 130 bytes each, which every stored message carried through the garbage
    /// collector's promotions), and a send without attributes allocates none.
    /// </remarks>
    public IReadOnlyDictionary<string, SqsMessageAttribute> MessageAttributes { get; init => field = value.Count == 0 ? SqsMessageAttribute.None : value; } = SqsMessageAttribute.None;

    public string? Md5OfMessageAttributes { get; init; }

    /// <summary>Message system attributes (AWSTraceHeader) in ordinal name order.</summary>
    /// <remarks>An empty map is not kept, as <see cref="MessageAttributes"/>.</remarks>
    public IReadOnlyDictionary<string, SqsMessageAttribute> SystemAttributes { get; init => field = value.Count == 0 ? SqsMessageAttribute.None : value; } = SqsMessageAttribute.None;

    public string? Md5OfMessageSystemAttributes { get; init; }

    public required long SentTimestamp { get; init; }

    public required string SenderId { get; init; }

    public string? MessageGroupId { get; init; }

    public string? MessageDeduplicationId { get; init; }

    public string? SequenceNumber { get; init; }

    /// <summary>When the message becomes (or became) receivable.</summary>
    public long VisibleAt { get; set; }

    public int ReceiveCount { get; set; }

    public long? FirstReceiveTimestamp { get; set; }

    /// <summary>Bumped on every receive, so only the latest receipt handle can change visibility.</summary>
    public int ReceiptNonce { get; set; }

    /// <summary>Set when the message was moved here by a redrive policy.</summary>
    public string? DeadLetterQueueSourceArn { get; init; }
}
