namespace Kumo.Seeding;

/// <summary>What a seed run did.</summary>
/// <param name="BucketsCreated">Buckets created by this run.</param>
/// <param name="BucketsExisting">Buckets that already existed.</param>
/// <param name="ObjectsUploaded">Objects uploaded because they were missing or differed.</param>
/// <param name="ObjectsSkipped">Objects already present with the same bytes, content type and metadata.</param>
/// <param name="QueuesCreated">Queues created by this run.</param>
/// <param name="QueuesExisting">Queues that already existed.</param>
/// <param name="QueuesUpdated">Existing queues whose declared attributes were changed.</param>
/// <param name="QueuesPurged">Existing queues purged because they set <c>ReplaceMessages</c>.</param>
/// <param name="MessagesSent">Messages sent.</param>
/// <param name="WriteRequests">Write requests this run sent (creates, puts, attribute changes, purges, sends); 0 when nothing changed.</param>
/// <param name="Elapsed">Wall-clock time of the run.</param>
public sealed record SeedReport(
    int BucketsCreated,
    int BucketsExisting,
    int ObjectsUploaded,
    int ObjectsSkipped,
    int QueuesCreated,
    int QueuesExisting,
    int QueuesUpdated,
    int QueuesPurged,
    int MessagesSent,
    int WriteRequests,
    TimeSpan Elapsed)
{
    /// <summary>Tables created by this run.</summary>
    public int TablesCreated { get; init; }

    /// <summary>Tables that existed with the planned key schema.</summary>
    public int TablesExisting { get; init; }

    /// <summary>Items written (missing, or differing with <c>onDifference: replace</c>).</summary>
    public int ItemsWritten { get; init; }

    /// <summary>Items that existed exactly as planned.</summary>
    public int ItemsSkipped { get; init; }

    /// <summary>Items that exist but differ from the plan and were left as they are (<c>onDifference: report</c>).</summary>
    public int ItemsDiffering { get; init; }

    /// <summary>True when the run changed nothing (the engine already held the plan).</summary>
    public bool WasNoOp => WriteRequests == 0;
}
