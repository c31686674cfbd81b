namespace Kumo.Contract;

/// <summary>The quotas and ranges SQS enforces, in one place (kumo and the embedded engine enforce the same).</summary>
public static class SqsLimits
{
    /// <summary>The most entries in one batch request.</summary>
    public const int MaxBatchEntries = 10;

    /// <summary>The longest batch entry id.</summary>
    public const int MaxBatchEntryIdLength = 80;

    /// <summary>The most messages one ReceiveMessage returns.</summary>
    public const int MaxReceiveMessages = 10;

    /// <summary>The longest long-poll wait (<c>ReceiveMessageWaitTimeSeconds</c>, <c>WaitTimeSeconds</c>).</summary>
    public const int MaxWaitTimeSeconds = 20;

    /// <summary>The longest visibility timeout, in seconds.</summary>
    public const int MaxVisibilityTimeout = 43200;

    /// <summary>The longest delay, in seconds.</summary>
    public const int MaxDelaySeconds = 900;

    /// <summary>The smallest <c>MaximumMessageSize</c>.</summary>
    public const int MinMaximumMessageSize = 1024;

    /// <summary>The largest <c>MaximumMessageSize</c>.</summary>
    public const int MaxMaximumMessageSize = 1024 * 1024;

    /// <summary>The default <c>MaximumMessageSize</c>.</summary>
    public const int DefaultMaximumMessageSize = 256 * 1024;

    /// <summary>The shortest retention period, in seconds.</summary>
    public const int MinRetentionPeriod = 60;

    /// <summary>The longest retention period, in seconds (14 days).</summary>
    public const int MaxRetentionPeriod = 1209600;

    /// <summary>The default retention period, in seconds (4 days).</summary>
    public const int DefaultRetentionPeriod = 345600;

    /// <summary>The default visibility timeout, in seconds.</summary>
    public const int DefaultVisibilityTimeout = 30;

    /// <summary>The shortest <c>KmsDataKeyReusePeriodSeconds</c>.</summary>
    public const int MinKmsDataKeyReusePeriod = 60;

    /// <summary>The longest <c>KmsDataKeyReusePeriodSeconds</c>.</summary>
    public const int MaxKmsDataKeyReusePeriod = 86400;

    /// <summary>The largest <c>maxReceiveCount</c> of a redrive policy.</summary>
    public const int MaxReceiveCountLimit = 1000;

    /// <summary>The most message attributes on one message.</summary>
    public const int MaxMessageAttributes = 10;

    /// <summary>The longest message attribute name.</summary>
    public const int MaxAttributeNameLength = 256;

    /// <summary>The longest message attribute data type.</summary>
    public const int MaxDataTypeLength = 256;

    /// <summary>The most tags on one queue.</summary>
    public const int MaxTagsPerQueue = 50;

    /// <summary>The longest tag key.</summary>
    public const int MaxTagKeyLength = 128;

    /// <summary>The longest tag value.</summary>
    public const int MaxTagValueLength = 256;

    /// <summary>The most queues one ListQueues returns.</summary>
    public const int MaxListQueuesResults = 1000;

    /// <summary>The longest deduplication id.</summary>
    public const int MaxDeduplicationIdLength = 128;

    /// <summary>The longest message group id.</summary>
    public const int MaxMessageGroupIdLength = 128;

    /// <summary>The total payload of one SendMessageBatch request.</summary>
    public const int MaxBatchPayload = 1024 * 1024;

    /// <summary>How long a FIFO queue remembers a deduplication id.</summary>
    public static TimeSpan DeduplicationWindow { get; } = TimeSpan.FromMinutes(5);
}
