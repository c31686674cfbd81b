namespace Kumo.Seeding;

/// <summary>A queue of a <see cref="ResolvedSeedPlan"/>, with its concrete name and dead-letter target.</summary>
public sealed class ResolvedQueue
{
    internal ResolvedQueue(string name, QueueSeed seed, string? deadLetterQueue)
    {
        Name = name;
        Seed = seed;
        DeadLetterQueue = deadLetterQueue;
    }

    /// <summary>The queue name.</summary>
    public string Name { get; }

    /// <summary>The queue as written in the plan (attributes, messages, flags).</summary>
    public QueueSeed Seed { get; }

    /// <summary>Whether the queue is FIFO.</summary>
    public bool Fifo => Seed.Fifo;

    /// <summary>The dead-letter queue's concrete name, or null.</summary>
    public string? DeadLetterQueue { get; }

    /// <summary>How many receives before a message moves to <see cref="DeadLetterQueue"/>.</summary>
    public int? MaxReceiveCount => Seed.DeadLetter?.MaxReceiveCount;
}
