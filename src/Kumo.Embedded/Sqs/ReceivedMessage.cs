namespace Kumo.Embedded.Sqs;

/// <summary>
/// A message as one receive returned it: a copy of the stored message made under the lock, with the
/// delivery state of that receive, so rendering outside the lock is consistent.
/// </summary>
internal sealed record ReceivedMessage(SqsMessage Message, string ReceiptHandle, int ReceiveCount, long FirstReceiveTimestamp);
