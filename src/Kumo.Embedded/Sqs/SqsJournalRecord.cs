namespace Kumo.Embedded.Sqs;

/// <summary>One SQS mutation in the journal (<c>sqs-journal-&lt;segment&gt;</c>).</summary>
/// <remarks>
/// Messages that expire by retention need no record: replay ends with the same expiry on the next
/// access, since it is a function of time.
/// </remarks>
internal sealed class SqsJournalRecord
{
    /// <summary>Creates or replaces a queue's settings (attributes, tags, timestamps), keeping its messages.</summary>
    public const string PutQueue = "queue";
    public const string DeleteQueue = "delete-queue";

    /// <summary>Adds a message (a send, or a move to a dead-letter queue).</summary>
    public const string AddMessage = "message";
    public const string RemoveMessage = "remove";

    /// <summary>A receive or a visibility change: the message's mutable fields.</summary>
    public const string Visibility = "visibility";
    public const string Purge = "purge";

    public required string Op { get; set; }

    public required string Queue { get; set; }

    /// <summary>For <see cref="PutQueue"/>: the queue without messages.</summary>
    public SqsQueueState? State { get; set; }

    /// <summary>For <see cref="AddMessage"/>.</summary>
    public SqsMessageState? Message { get; set; }

    /// <summary>For <see cref="AddMessage"/> on a FIFO queue: the queue's sequence counter after the send.</summary>
    public long? LastSequenceNumber { get; set; }

    /// <summary>For <see cref="AddMessage"/> of a FIFO send: the deduplication entry it created.</summary>
    public SqsDeduplicationState? Deduplication { get; set; }

    /// <summary>For <see cref="RemoveMessage"/> and <see cref="Visibility"/>.</summary>
    public string? MessageId { get; set; }

    public long VisibleAt { get; set; }

    public int ReceiveCount { get; set; }

    public long? FirstReceiveTimestamp { get; set; }

    public int ReceiptNonce { get; set; }
}
