namespace Kumo.Embedded.Sqs;

/// <summary>The quotas and ranges SQS enforces, in one place.</summary>
internal static class SqsLimits
{
    internal const int MaxBatchEntries = 10;
    internal const int MaxBatchEntryIdLength = 80;
    internal const int MaxReceiveMessages = 10;
    internal const int MaxWaitTimeSeconds = 20;
    internal const int MaxVisibilityTimeout = 43200;
    internal const int MaxDelaySeconds = 900;
    internal const int MinMaximumMessageSize = 1024;
    internal const int MaxMaximumMessageSize = 1024 * 1024;
    internal const int DefaultMaximumMessageSize = 256 * 1024;
    internal const int MinRetentionPeriod = 60;
    internal const int MaxRetentionPeriod = 1209600;
    internal const int DefaultRetentionPeriod = 345600;
    internal const int DefaultVisibilityTimeout = 30;
    internal const int MaxReceiveCountLimit = 1000;
    internal const int MaxMessageAttributes = 10;
    internal const int MaxAttributeNameLength = 256;
    internal const int MaxDataTypeLength = 256;
    internal const int MaxTagsPerQueue = 50;
    internal const int MaxTagKeyLength = 128;
    internal const int MaxTagValueLength = 256;
    internal const int MaxListQueuesResults = 1000;
    internal const int MaxDeduplicationIdLength = 128;
    internal const int MaxMessageGroupIdLength = 128;

    /// <summary>The total payload of one SendMessageBatch request.</summary>
    internal const int MaxBatchPayload = 1024 * 1024;

    /// <summary>How long a FIFO queue remembers a deduplication id.</summary>
    internal static readonly TimeSpan DeduplicationWindow = TimeSpan.FromMinutes(5);
}
