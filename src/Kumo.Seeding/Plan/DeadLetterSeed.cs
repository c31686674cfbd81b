namespace Kumo.Seeding;

/// <summary>A queue's redrive policy: where messages go after too many receives.</summary>
/// <remarks>
/// The target must be another queue of the same plan, of the same kind (FIFO or standard). The
/// seeder creates it before its source and sets the source's <c>RedrivePolicy</c> to the target's ARN.
/// </remarks>
public sealed class DeadLetterSeed
{
    internal DeadLetterSeed(string queueName, int maxReceiveCount, SeedLocation location)
    {
        QueueName = queueName;
        MaxReceiveCount = maxReceiveCount;
        Location = location;
    }

    /// <summary>The dead-letter queue's name, possibly with placeholders (as written in the plan).</summary>
    public string QueueName { get; }

    /// <summary>How many receives a message survives before it is moved (1 to 1000).</summary>
    public int MaxReceiveCount { get; }

    internal SeedLocation Location { get; }
}
