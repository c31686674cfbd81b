namespace Kumo.Embedded.Sqs;

/// <summary>
/// A queue as a checkpoint captures it under the store's lock: its settings and deduplication entries copied, and
/// every message with a copy of its delivery state (the only part of a stored message that changes), so the
/// checkpoint document is built and serialized after the lock is released, while sends and receives go on.
/// </summary>
/// <param name="Queue">The queue's settings and deduplication entries (its messages list empty).</param>
/// <param name="Messages">Copies of the stored messages in queue order (immutable content, delivery state at the capture).</param>
internal sealed record SqsQueueSnapshot(SqsQueueState Queue, StoredMessage[] Messages);
