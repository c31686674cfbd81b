namespace Kumo.Embedded.Sqs;

/// <summary>A message to send, parsed and validated on its own; queue-dependent rules are checked by <see cref="SqsStore"/>.</summary>
internal sealed record SendMessageInput(
    string Body,
    int? DelaySeconds,
    IReadOnlyDictionary<string, SqsMessageAttribute> MessageAttributes,
    IReadOnlyDictionary<string, SqsMessageAttribute> SystemAttributes,
    string? MessageGroupId,
    string? MessageDeduplicationId);
