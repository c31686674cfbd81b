namespace Kumo.Contract;

/// <summary>The SQS queue attributes a client sets at creation, and what AWS accepts for each.</summary>
public static class SqsQueueAttributeRules
{
    /// <summary>Whether the queue is FIFO (set at creation only, from the queue's type).</summary>
    public const string FifoQueue = "FifoQueue";

    /// <summary>The dead-letter queue and receive count, as a JSON policy.</summary>
    public const string RedrivePolicy = "RedrivePolicy";

    /// <summary>Whether a FIFO queue deduplicates by the body's hash.</summary>
    public const string ContentBasedDeduplication = "ContentBasedDeduplication";

    /// <summary>The queue's ARN (read-only).</summary>
    public const string QueueArn = "QueueArn";

    private static readonly Dictionary<string, SqsAttributeRule> Rules = new SqsAttributeRule[]
    {
        Integer("DelaySeconds", 0, SqsLimits.MaxDelaySeconds),
        Integer("MaximumMessageSize", SqsLimits.MinMaximumMessageSize, SqsLimits.MaxMaximumMessageSize),
        Integer("MessageRetentionPeriod", SqsLimits.MinRetentionPeriod, SqsLimits.MaxRetentionPeriod),
        Integer("ReceiveMessageWaitTimeSeconds", 0, SqsLimits.MaxWaitTimeSeconds),
        Integer("VisibilityTimeout", 0, SqsLimits.MaxVisibilityTimeout),
        Integer("KmsDataKeyReusePeriodSeconds", SqsLimits.MinKmsDataKeyReusePeriod, SqsLimits.MaxKmsDataKeyReusePeriod),
        new("KmsMasterKeyId", SqsAttributeKind.Text, 0, 0, [], false),
        new("SqsManagedSseEnabled", SqsAttributeKind.Boolean, 0, 0, [], false),
        new("Policy", SqsAttributeKind.Json, 0, 0, [], false),
        new("RedriveAllowPolicy", SqsAttributeKind.Json, 0, 0, [], false),
        new(ContentBasedDeduplication, SqsAttributeKind.Boolean, 0, 0, [], true),
        new("DeduplicationScope", SqsAttributeKind.Choice, 0, 0, ["messageGroup", "queue"], true),
        new("FifoThroughputLimit", SqsAttributeKind.Choice, 0, 0, ["perQueue", "perMessageGroupId"], true),
    }.ToDictionary(r => r.Name, StringComparer.Ordinal);

    /// <summary>The names of the attributes that take a plain value (not <see cref="FifoQueue"/> or <see cref="RedrivePolicy"/>).</summary>
    public static IReadOnlyCollection<string> Names => Rules.Keys;

    /// <summary>The rule of attribute <paramref name="name"/>, or null when it is not one of <see cref="Names"/>.</summary>
    /// <param name="name">The attribute name (case-sensitive).</param>
    /// <returns>The rule, or null.</returns>
    public static SqsAttributeRule? Find(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return Rules.GetValueOrDefault(name);
    }

    private static SqsAttributeRule Integer(string name, long min, long max) => new(name, SqsAttributeKind.Integer, min, max, [], false);
}
