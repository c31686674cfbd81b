using System.Buffers.Binary;

namespace Kumo.Embedded.Protocol;

/// <summary>Request ids and SQS message ids in the shape AWS uses (a GUID), so logs and clients can correlate them.</summary>
/// <remarks>
/// An id only has to be unique, not unguessable: it is a random per-process prefix and a counter, formatted as a
/// GUID. <see cref="Guid.NewGuid"/> asks the kernel for random bytes on every call (about 1.4 µs here, and SQS made
/// it inside the queue lock); this is a counter increment and one string. A restarted engine draws a new prefix, so
/// its ids do not repeat those of messages it reloads.
/// </remarks>
internal static class UniqueIds
{
    private static readonly long Prefix = Random.Shared.NextInt64();
    private static long _counter;

    /// <summary>A request id (<c>x-amz-request-id</c>, <c>x-amzn-RequestId</c>): an upper-case GUID.</summary>
    public static string Request() => Next(upperCase: true);

    /// <summary>An SQS <c>MessageId</c>: a lower-case GUID.</summary>
    public static string Message() => Next(upperCase: false);

    private static string Next(bool upperCase) => string.Create(36, (Interlocked.Increment(ref _counter), upperCase), static (chars, state) =>
    {
        Span<byte> bytes = stackalloc byte[16];
        BinaryPrimitives.WriteInt64BigEndian(bytes, Prefix);
        BinaryPrimitives.WriteInt64BigEndian(bytes[8..], state.Item1);
        new Guid(bytes, bigEndian: true).TryFormat(chars, out _, "D");
        if (state.upperCase)
        {
            System.Text.Ascii.ToUpperInPlace(chars, out _);
        }
    });
}
