namespace Kumo.Seeding;

/// <summary>A message to send into a seeded queue.</summary>
/// <remarks>
/// Messages are sent in the order written, only into queues the seed run created, or on every run
/// when the queue sets <see cref="QueueSeed.ReplaceMessages"/> (the queue is purged first). FIFO
/// queues need a <see cref="GroupId"/>, and a <see cref="DeduplicationId"/> unless the queue sets
/// <c>ContentBasedDeduplication</c>.
/// </remarks>
public sealed class MessageSeed
{
    internal MessageSeed(string body, string? groupId, string? deduplicationId, IReadOnlyDictionary<string, MessageAttributeSeed> attributes, SeedLocation location)
    {
        Body = body;
        GroupId = groupId;
        DeduplicationId = deduplicationId;
        Attributes = attributes;
        Location = location;
    }

    /// <summary>The message body.</summary>
    public string Body { get; }

    /// <summary>The FIFO message group id, or null.</summary>
    public string? GroupId { get; }

    /// <summary>The FIFO deduplication id, or null.</summary>
    public string? DeduplicationId { get; }

    /// <summary>The message attributes.</summary>
    public IReadOnlyDictionary<string, MessageAttributeSeed> Attributes { get; }

    internal SeedLocation Location { get; }
}
