using ContractLimits = Kumo.Contract.SqsLimits;

namespace Kumo.Embedded.Sqs;

/// <summary>The quotas and ranges SQS enforces: the contract's <see cref="ContractLimits"/>, under the names the engine uses.</summary>
internal static class SqsLimits
{
    internal const int MaxBatchEntries = ContractLimits.MaxBatchEntries;
    internal const int MaxBatchEntryIdLength = ContractLimits.MaxBatchEntryIdLength;
    internal const int MaxReceiveMessages = ContractLimits.MaxReceiveMessages;
    internal const int MaxWaitTimeSeconds = ContractLimits.MaxWaitTimeSeconds;
    internal const int MaxVisibilityTimeout = ContractLimits.MaxVisibilityTimeout;
    internal const int MaxDelaySeconds = ContractLimits.MaxDelaySeconds;
    internal const int MinMaximumMessageSize = ContractLimits.MinMaximumMessageSize;
    internal const int MaxMaximumMessageSize = ContractLimits.MaxMaximumMessageSize;
    internal const int DefaultMaximumMessageSize = ContractLimits.DefaultMaximumMessageSize;
    internal const int MinRetentionPeriod = ContractLimits.MinRetentionPeriod;
    internal const int MaxRetentionPeriod = ContractLimits.MaxRetentionPeriod;
    internal const int DefaultRetentionPeriod = ContractLimits.DefaultRetentionPeriod;
    internal const int DefaultVisibilityTimeout = ContractLimits.DefaultVisibilityTimeout;
    internal const int MaxReceiveCountLimit = ContractLimits.MaxReceiveCountLimit;
    internal const int MaxMessageAttributes = ContractLimits.MaxMessageAttributes;
    internal const int MaxAttributeNameLength = ContractLimits.MaxAttributeNameLength;
    internal const int MaxDataTypeLength = ContractLimits.MaxDataTypeLength;
    internal const int MaxTagsPerQueue = ContractLimits.MaxTagsPerQueue;
    internal const int MaxTagKeyLength = ContractLimits.MaxTagKeyLength;
    internal const int MaxTagValueLength = ContractLimits.MaxTagValueLength;
    internal const int MaxListQueuesResults = ContractLimits.MaxListQueuesResults;
    internal const int MaxDeduplicationIdLength = ContractLimits.MaxDeduplicationIdLength;
    internal const int MaxMessageGroupIdLength = ContractLimits.MaxMessageGroupIdLength;

    /// <summary>The total payload of one SendMessageBatch request.</summary>
    internal const int MaxBatchPayload = ContractLimits.MaxBatchPayload;

    /// <summary>How long a FIFO queue remembers a deduplication id.</summary>
    internal static readonly TimeSpan DeduplicationWindow = ContractLimits.DeduplicationWindow;
}
