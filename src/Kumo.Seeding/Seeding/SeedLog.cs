using Microsoft.Extensions.Logging;

namespace Kumo.Seeding;

/// <summary>Log messages of the seeder.</summary>
internal static partial class SeedLog
{
    [LoggerMessage(1, LogLevel.Information, "Seeding {Buckets} bucket(s) with {Objects} object(s) and {Queues} queue(s) (run {RunId}, worker {WorkerId}, fixture {FixtureVersion})")]
    public static partial void Starting(ILogger logger, int buckets, int objects, int queues, string runId, string workerId, string fixtureVersion);

    [LoggerMessage(2, LogLevel.Debug, "Seed phase {Phase}: {Total} item(s)")]
    public static partial void PhaseStarting(ILogger logger, SeedPhase phase, int total);

    [LoggerMessage(3, LogLevel.Debug, "Created bucket {Bucket}")]
    public static partial void BucketCreated(ILogger logger, string bucket);

    [LoggerMessage(4, LogLevel.Debug, "Created queue {Queue}")]
    public static partial void QueueCreated(ILogger logger, string queue);

    [LoggerMessage(5, LogLevel.Information, "Updated attributes {Attributes} of existing queue {Queue}")]
    public static partial void QueueUpdated(ILogger logger, string queue, string attributes);

    [LoggerMessage(6, LogLevel.Debug, "Uploaded s3://{Bucket}/{Key} ({Length} bytes)")]
    public static partial void ObjectUploaded(ILogger logger, string bucket, string key, long length);

    [LoggerMessage(7, LogLevel.Debug, "Sent {Count} message(s) to {Queue}")]
    public static partial void MessagesSent(ILogger logger, string queue, int count);

    [LoggerMessage(8, LogLevel.Information, "Purged queue {Queue} (replaceMessages)")]
    public static partial void QueuePurged(ILogger logger, string queue);

    [LoggerMessage(9, LogLevel.Information, "Seeded in {ElapsedMs} ms: buckets {BucketsCreated} created/{BucketsExisting} existing, objects {ObjectsUploaded} uploaded/{ObjectsSkipped} unchanged, queues {QueuesCreated} created/{QueuesExisting} existing, {MessagesSent} message(s) sent, {WriteRequests} write request(s)")]
    public static partial void Finished(ILogger logger, long elapsedMs, int bucketsCreated, int bucketsExisting, int objectsUploaded, int objectsSkipped, int queuesCreated, int queuesExisting, int messagesSent, int writeRequests);

    [LoggerMessage(10, LogLevel.Debug, "Created table {Table}")]
    public static partial void TableCreated(ILogger logger, string table);

    [LoggerMessage(11, LogLevel.Warning, "Item {Source} differs from the one in table {Table} (key {Key}); left as it is (onDifference: report)")]
    public static partial void ItemDiffers(ILogger logger, string source, string table, string key);

    [LoggerMessage(12, LogLevel.Information, "Tables {TablesCreated} created/{TablesExisting} existing, items {ItemsWritten} written/{ItemsSkipped} unchanged/{ItemsDiffering} differing")]
    public static partial void TablesFinished(ILogger logger, int tablesCreated, int tablesExisting, int itemsWritten, int itemsSkipped, int itemsDiffering);
}
