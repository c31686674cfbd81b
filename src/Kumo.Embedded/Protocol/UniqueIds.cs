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

    private static string Next(bool upperCase) =>
        string.Create(36, (Interlocked.Increment(ref _counter), upperCase ? UpperDigits : LowerDigits), static (chars, state) =>
        {
            // The GUID's "D" layout (8-4-4-4-12) written digit by digit: Guid.TryFormat then a case change took three
            // passes and, in the Native AOT build (x86-64 baseline, no SSSE3), a software byte shuffle per call.
            ReadOnlySpan<char> digits = state.Item2;
            int at = 0;
            WriteHex(chars, ref at, Prefix, digits);
            WriteHex(chars, ref at, state.Item1, digits);
        });

    private const string UpperDigits = "0123456789ABCDEF";
    private const string LowerDigits = "0123456789abcdef";

    /// <summary>Writes the 16 hex digits of <paramref name="value"/> (big-endian) from <paramref name="at"/>, with the GUID's dashes.</summary>
    private static void WriteHex(Span<char> chars, ref int at, long value, ReadOnlySpan<char> digits)
    {
        for (int shift = 60; shift >= 0; shift -= 4)
        {
            if (at is 8 or 13 or 18 or 23)
            {
                chars[at++] = '-';
            }

            chars[at++] = digits[(int)((ulong)value >> shift) & 0xF];
        }
    }
}
