using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Kumo.Embedded.Persistence;

/// <summary>Writes a service's checkpoint document: with its source-generated serializer, or with a writer of its own.</summary>
internal static class CheckpointDocument
{
    /// <summary>
    /// What writes <paramref name="document"/> to a checkpoint stream: the synchronous serializer on a thread of its own,
    /// which flushes to the stream as it goes (a large state is never one buffer) and never occupies a pool thread for
    /// the file's length.
    /// </summary>
    /// <remarks>
    /// For the same document the synchronous serializer takes about half the CPU of
    /// <see cref="JsonSerializer.SerializeAsync{TValue}(Stream, TValue, JsonTypeInfo{TValue}, CancellationToken)"/>, measured
    /// on SQS checkpoints of 100,000 messages (bench/results/request-cost.md section 10).
    /// </remarks>
    public static Func<Stream, CancellationToken, Task> Writer<T>(T document, JsonTypeInfo<T> typeInfo) =>
        Writer(stream => JsonSerializer.Serialize(stream, document, typeInfo));

    /// <summary>What runs <paramref name="write"/> on a checkpoint stream, synchronously, on a thread of its own.</summary>
    public static Func<Stream, CancellationToken, Task> Writer(Action<Stream> write) =>
        (stream, cancellationToken) => Task.Factory.StartNew(
            () => write(stream),
            cancellationToken,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default);
}
