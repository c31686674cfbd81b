namespace Kumo.Embedded.Sqs;

/// <summary>
/// A message as one receive returned it: the stored message (whose content never changes) plus a
/// copy of the delivery state taken under the lock, so rendering outside the lock is consistent.
/// </summary>
internal sealed record ReceivedMessage(SqsMessage Message, string ReceiptHandle, int ReceiveCount, long FirstReceiveTimestamp);
