namespace Kumo.Embedded.Sqs;

/// <summary>What SendMessage (or one batch entry) returns.</summary>
internal sealed record SendMessageOutcome(
    string MessageId,
    string Md5OfMessageBody,
    string? Md5OfMessageAttributes,
    string? Md5OfMessageSystemAttributes,
    string? SequenceNumber);
