namespace Kumo.Embedded.Sqs;

/// <summary>A remembered FIFO send: a duplicate within the window is accepted but returns the original's ids.</summary>
/// <param name="MessageId">The id of the message first sent with this deduplication id.</param>
/// <param name="SequenceNumber">Its sequence number.</param>
/// <param name="ExpiresAt">Unix milliseconds when the id may be used again.</param>
internal readonly record struct DeduplicationEntry(string MessageId, string? SequenceNumber, long ExpiresAt);
