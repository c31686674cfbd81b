using System.Text;

namespace Kumo.Embedded.Sqs;

/// <summary>A message to send, parsed and validated on its own; queue-dependent rules are checked by <see cref="SqsStore"/>.</summary>
internal sealed record SendMessageInput(
    string Body,
    int? DelaySeconds,
    IReadOnlyDictionary<string, SqsMessageAttribute> MessageAttributes,
    IReadOnlyDictionary<string, SqsMessageAttribute> SystemAttributes,
    string? MessageGroupId,
    string? MessageDeduplicationId)
{
    /// <summary>The bytes the message counts against a queue's MaximumMessageSize and a batch's payload quota: the body's UTF-8 and every user attribute (name, type, value).</summary>
    public long Size => Encoding.UTF8.GetByteCount(Body) + MessageAttributes.Sum(a => (long)a.Value.SizeWith(a.Key));
}
