using System.Text.Json.Serialization;

namespace Kumo.Embedded.Sqs;

/// <summary>The document saved as <c>$KUMO_DATA_DIR/sqs.json</c>.</summary>
/// <remarks>
/// Queue attributes are stored as the strings <c>GetQueueAttributes</c> returns and are re-validated on
/// load. Messages in flight are stored with their receive count and come back visible after a
/// restart (kumo loses them). Nothing on disk is named after a queue.
/// </remarks>
internal sealed class SqsState
{
    /// <summary>The version of this document's shape (<see cref="EngineIdentity.PersistenceFormat"/>); a different version is not loaded.</summary>
    public int Format { get; set; } = EngineIdentity.PersistenceFormat;

    /// <summary>The first journal segment to replay on top of this checkpoint.</summary>
    public long Journal { get; set; } = 1;

    public List<SqsQueueState> Queues { get; set; } = [];
}

/// <summary>One queue in <see cref="SqsState"/>.</summary>
internal sealed class SqsQueueState
{
    public string Name { get; set; } = string.Empty;

    public long CreatedTimestamp { get; set; }

    public long LastModifiedTimestamp { get; set; }

    public Dictionary<string, string> Attributes { get; set; } = [];

    public Dictionary<string, string> Tags { get; set; } = [];

    public long LastSequenceNumber { get; set; }

    /// <summary>The queue's messages in queue order (a list when read; streamed one at a time when a checkpoint writes it).</summary>
    public IReadOnlyList<SqsMessageState> Messages { get; set; } = [];

    public List<SqsDeduplicationState> Deduplication { get; set; } = [];
}

/// <summary>One message in <see cref="SqsQueueState"/>.</summary>
internal sealed class SqsMessageState
{
    public string MessageId { get; set; } = string.Empty;

    public string Body { get; set; } = string.Empty;

    public List<SqsAttributeState>? MessageAttributes { get; set; }

    public List<SqsAttributeState>? SystemAttributes { get; set; }

    public long SentTimestamp { get; set; }

    public string SenderId { get; set; } = string.Empty;

    public string? MessageGroupId { get; set; }

    public string? MessageDeduplicationId { get; set; }

    public string? SequenceNumber { get; set; }

    public long VisibleAt { get; set; }

    public int ReceiveCount { get; set; }

    public long? FirstReceiveTimestamp { get; set; }

    public int ReceiptNonce { get; set; }

    public string? DeadLetterQueueSourceArn { get; set; }
}

/// <summary>One message attribute in <see cref="SqsMessageState"/>.</summary>
internal sealed class SqsAttributeState
{
    public string Name { get; set; } = string.Empty;

    public string DataType { get; set; } = string.Empty;

    public string? StringValue { get; set; }

    public byte[]? BinaryValue { get; set; }
}

/// <summary>One remembered FIFO deduplication id in <see cref="SqsQueueState"/>.</summary>
internal sealed class SqsDeduplicationState
{
    public string Key { get; set; } = string.Empty;

    public string MessageId { get; set; } = string.Empty;

    public string? SequenceNumber { get; set; }

    public long ExpiresAt { get; set; }
}

/// <summary>Source-generated (AOT-safe) serialization of <see cref="SqsState"/>.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    RespectNullableAnnotations = true,
    WriteIndented = false)]
[JsonSerializable(typeof(SqsState))]
[JsonSerializable(typeof(SqsJournalRecord))]
internal sealed partial class SqsStateJsonContext : JsonSerializerContext
{
}
