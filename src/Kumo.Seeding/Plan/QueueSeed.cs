namespace Kumo.Seeding;

/// <summary>An SQS queue to create (when missing), its attributes, redrive policy, and initial messages.</summary>
/// <remarks>
/// <para>
/// The name may contain <c>{run}</c> and <c>{worker}</c>. A FIFO queue must be marked
/// <see cref="Fifo"/> and its name must end in <c>.fifo</c>; a standard queue's name must not.
/// </para>
/// <para>
/// <see cref="Attributes"/> are SQS attribute names and values (e.g. <c>VisibilityTimeout</c> =
/// <c>30</c>); <c>FifoQueue</c> and <c>RedrivePolicy</c> are set through <see cref="Fifo"/> and
/// <see cref="DeadLetter"/> instead. Existing queues whose declared attributes differ are updated.
/// </para>
/// </remarks>
public sealed class QueueSeed
{
    internal QueueSeed(string name, bool fifo, IReadOnlyDictionary<string, string> attributes, DeadLetterSeed? deadLetter, IReadOnlyList<MessageSeed> messages, bool replaceMessages, SeedLocation location)
    {
        Name = name;
        Fifo = fifo;
        Attributes = attributes;
        DeadLetter = deadLetter;
        Messages = messages;
        ReplaceMessages = replaceMessages;
        Location = location;
    }

    /// <summary>The queue name, possibly with placeholders.</summary>
    public string Name { get; }

    /// <summary>Whether the queue is FIFO.</summary>
    public bool Fifo { get; }

    /// <summary>SQS attributes to set, by attribute name.</summary>
    public IReadOnlyDictionary<string, string> Attributes { get; }

    /// <summary>The redrive policy, or null.</summary>
    public DeadLetterSeed? DeadLetter { get; }

    /// <summary>The initial messages, in send order.</summary>
    public IReadOnlyList<MessageSeed> Messages { get; }

    /// <summary>
    /// When true, every seed run purges the queue and sends <see cref="Messages"/> again, even when the
    /// queue already existed (so such a queue is never write-free on a re-run).
    /// </summary>
    public bool ReplaceMessages { get; }

    internal SeedLocation Location { get; }
}
