using System.Globalization;
using System.Text.Json;

namespace Kumo.Embedded.Sqs;

/// <summary>The settable attributes of a queue, validated as SQS validates them.</summary>
/// <remarks>
/// Values are kept typed; <see cref="Get"/> renders them as the strings <c>GetQueueAttributes</c>
/// returns, and the same strings are what the persistence document stores, so loading goes through
/// the same validation as <c>SetQueueAttributes</c>.
/// </remarks>
internal sealed class SqsQueueAttributes
{
    internal const string VisibilityTimeoutName = "VisibilityTimeout";
    internal const string DelaySecondsName = "DelaySeconds";
    internal const string MaximumMessageSizeName = "MaximumMessageSize";
    internal const string MessageRetentionPeriodName = "MessageRetentionPeriod";
    internal const string ReceiveMessageWaitTimeSecondsName = "ReceiveMessageWaitTimeSeconds";
    internal const string RedrivePolicyName = "RedrivePolicy";
    internal const string RedriveAllowPolicyName = "RedriveAllowPolicy";
    internal const string PolicyName = "Policy";
    internal const string FifoQueueName = "FifoQueue";
    internal const string ContentBasedDeduplicationName = "ContentBasedDeduplication";
    internal const string DeduplicationScopeName = "DeduplicationScope";
    internal const string FifoThroughputLimitName = "FifoThroughputLimit";
    internal const string KmsMasterKeyIdName = "KmsMasterKeyId";
    internal const string KmsDataKeyReusePeriodSecondsName = "KmsDataKeyReusePeriodSeconds";
    internal const string SqsManagedSseEnabledName = "SqsManagedSseEnabled";

    /// <summary>Attributes computed from the queue's state; they can be read but not set.</summary>
    internal static readonly string[] ComputedNames =
    [
        "ApproximateNumberOfMessages",
        "ApproximateNumberOfMessagesNotVisible",
        "ApproximateNumberOfMessagesDelayed",
        "CreatedTimestamp",
        "LastModifiedTimestamp",
        "QueueArn",
    ];

    /// <summary>Every attribute that can be set, in the order <c>All</c> lists them.</summary>
    internal static readonly string[] SettableNames =
    [
        VisibilityTimeoutName,
        DelaySecondsName,
        MaximumMessageSizeName,
        MessageRetentionPeriodName,
        ReceiveMessageWaitTimeSecondsName,
        RedrivePolicyName,
        RedriveAllowPolicyName,
        PolicyName,
        KmsMasterKeyIdName,
        KmsDataKeyReusePeriodSecondsName,
        SqsManagedSseEnabledName,
        FifoQueueName,
        ContentBasedDeduplicationName,
        DeduplicationScopeName,
        FifoThroughputLimitName,
    ];

    public SqsQueueAttributes(bool fifo)
    {
        FifoQueue = fifo;
        if (fifo)
        {
            DeduplicationScope = "queue";
            FifoThroughputLimit = "perQueue";
        }
    }

    public bool FifoQueue { get; }

    public int VisibilityTimeout { get; private set; } = SqsLimits.DefaultVisibilityTimeout;

    public int DelaySeconds { get; private set; }

    public int MaximumMessageSize { get; private set; } = SqsLimits.DefaultMaximumMessageSize;

    public int MessageRetentionPeriod { get; private set; } = SqsLimits.DefaultRetentionPeriod;

    public int ReceiveMessageWaitTimeSeconds { get; private set; }

    public RedrivePolicy? RedrivePolicy { get; private set; }

    public bool ContentBasedDeduplication { get; private set; }

    /// <summary><c>queue</c> or <c>messageGroup</c> (FIFO only).</summary>
    public string? DeduplicationScope { get; private set; }

    public string? FifoThroughputLimit { get; private set; }

    public string? Policy { get; private set; }

    public string? RedriveAllowPolicy { get; private set; }

    public string? KmsMasterKeyId { get; private set; }

    public int? KmsDataKeyReusePeriodSeconds { get; private set; }

    public bool SqsManagedSseEnabled { get; private set; } = true;

    /// <summary>A copy to validate changes on, so a request applies all its attributes or none.</summary>
    public SqsQueueAttributes Clone() => (SqsQueueAttributes)MemberwiseClone();

    public static bool IsKnown(string name) => Array.IndexOf(SettableNames, name) >= 0 || Array.IndexOf(ComputedNames, name) >= 0;

    /// <summary>Sets one attribute after validating it; throws <c>InvalidAttributeName</c> or <c>InvalidAttributeValue</c>.</summary>
    /// <param name="name">The attribute name.</param>
    /// <param name="value">The value as SQS receives it (a string).</param>
    /// <param name="creating">True in CreateQueue, where FifoQueue may be given.</param>
    public void Set(string name, string value, bool creating)
    {
        switch (name)
        {
            case VisibilityTimeoutName:
                VisibilityTimeout = ParseInt(name, value, 0, SqsLimits.MaxVisibilityTimeout);
                break;
            case DelaySecondsName:
                DelaySeconds = ParseInt(name, value, 0, SqsLimits.MaxDelaySeconds);
                break;
            case MaximumMessageSizeName:
                MaximumMessageSize = ParseInt(name, value, SqsLimits.MinMaximumMessageSize, SqsLimits.MaxMaximumMessageSize);
                break;
            case MessageRetentionPeriodName:
                MessageRetentionPeriod = ParseInt(name, value, SqsLimits.MinRetentionPeriod, SqsLimits.MaxRetentionPeriod);
                break;
            case ReceiveMessageWaitTimeSecondsName:
                ReceiveMessageWaitTimeSeconds = ParseInt(name, value, 0, SqsLimits.MaxWaitTimeSeconds);
                break;
            case RedrivePolicyName:
                RedrivePolicy = value.Length == 0 ? null : RedrivePolicy.Parse(value);
                break;
            case RedriveAllowPolicyName:
                RedriveAllowPolicy = value.Length == 0 ? null : ParseJsonObject(name, value);
                break;
            case PolicyName:
                Policy = value.Length == 0 ? null : ParseJsonObject(name, value);
                break;
            case KmsMasterKeyIdName:
                KmsMasterKeyId = value.Length == 0 ? null : value;
                break;
            case KmsDataKeyReusePeriodSecondsName:
                KmsDataKeyReusePeriodSeconds = ParseInt(name, value, 60, 86400);
                break;
            case SqsManagedSseEnabledName:
                SqsManagedSseEnabled = ParseBool(name, value);
                break;
            case FifoQueueName:
                if (!creating)
                {
                    throw SqsErrors.InvalidAttributeValue(name, "Modifying the queue type is not supported; create a new queue instead.");
                }

                if (ParseBool(name, value) != FifoQueue)
                {
                    throw SqsErrors.InvalidAttributeValue(name, FifoQueue
                        ? "A queue whose name ends with .fifo must have FifoQueue=true."
                        : "FifoQueue=true requires a queue name ending with .fifo.");
                }

                break;
            case ContentBasedDeduplicationName:
                RequireFifo(name);
                ContentBasedDeduplication = ParseBool(name, value);
                break;
            case DeduplicationScopeName:
                RequireFifo(name);
                DeduplicationScope = value is "queue" or "messageGroup"
                    ? value
                    : throw SqsErrors.InvalidAttributeValue(name, "Use 'queue' or 'messageGroup'.");
                break;
            case FifoThroughputLimitName:
                RequireFifo(name);
                FifoThroughputLimit = value is "perQueue" or "perMessageGroupId"
                    ? value
                    : throw SqsErrors.InvalidAttributeValue(name, "Use 'perQueue' or 'perMessageGroupId'.");
                break;
            default:
                if (Array.IndexOf(ComputedNames, name) >= 0)
                {
                    throw SqsErrors.InvalidAttributeValue(name, "This attribute is computed by SQS and cannot be set.");
                }

                throw SqsErrors.InvalidAttributeName(name);
        }
    }

    /// <summary>The value <c>GetQueueAttributes</c> returns for a settable attribute, or null when it does not apply.</summary>
    public string? Get(string name) => name switch
    {
        VisibilityTimeoutName => Format(VisibilityTimeout),
        DelaySecondsName => Format(DelaySeconds),
        MaximumMessageSizeName => Format(MaximumMessageSize),
        MessageRetentionPeriodName => Format(MessageRetentionPeriod),
        ReceiveMessageWaitTimeSecondsName => Format(ReceiveMessageWaitTimeSeconds),
        RedrivePolicyName => RedrivePolicy?.ToJson(),
        RedriveAllowPolicyName => RedriveAllowPolicy,
        PolicyName => Policy,
        KmsMasterKeyIdName => KmsMasterKeyId,
        KmsDataKeyReusePeriodSecondsName => KmsDataKeyReusePeriodSeconds is { } seconds ? Format(seconds) : null,
        SqsManagedSseEnabledName => FormatBool(SqsManagedSseEnabled),
        FifoQueueName => FifoQueue ? "true" : null,
        ContentBasedDeduplicationName => FifoQueue ? FormatBool(ContentBasedDeduplication) : null,
        DeduplicationScopeName => DeduplicationScope,
        FifoThroughputLimitName => FifoThroughputLimit,
        _ => null,
    };

    /// <summary>Every settable attribute that has a value, as <see cref="Get"/> renders it.</summary>
    public IEnumerable<KeyValuePair<string, string>> All()
    {
        foreach (string name in SettableNames)
        {
            if (Get(name) is { } value)
            {
                yield return new(name, value);
            }
        }
    }

    private void RequireFifo(string name)
    {
        if (!FifoQueue)
        {
            throw SqsErrors.InvalidAttributeName(name);
        }
    }

    private static int ParseInt(string name, string value, int min, int max)
    {
        if (!int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int number) || number < min || number > max)
        {
            throw SqsErrors.InvalidAttributeValue(name, string.Create(CultureInfo.InvariantCulture, $"'{value}' is not an integer from {min} to {max}."));
        }

        return number;
    }

    private static bool ParseBool(string name, string value)
    {
        if (bool.TryParse(value, out bool flag))
        {
            return flag;
        }

        throw SqsErrors.InvalidAttributeValue(name, $"'{value}' is not 'true' or 'false'.");
    }

    private static string ParseJsonObject(string name, string value)
    {
        try
        {
            using JsonDocument document = JsonDocument.Parse(value);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw SqsErrors.InvalidAttributeValue(name, "The value must be a JSON object.");
            }
        }
        catch (JsonException ex)
        {
            throw SqsErrors.InvalidAttributeValue(name, $"The value is not valid JSON: {ex.Message}");
        }

        return value;
    }

    private static string Format(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string FormatBool(bool value) => value ? "true" : "false";
}
