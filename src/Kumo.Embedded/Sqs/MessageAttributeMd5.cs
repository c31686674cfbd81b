using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Kumo.Embedded.Sqs;

/// <summary>
/// The digest SQS returns as <c>MD5OfMessageAttributes</c> / <c>MD5OfMessageSystemAttributes</c>;
/// SDKs recompute it and reject a response that disagrees.
/// </summary>
/// <remarks>
/// Attributes are taken in ordinal name order. For each: the name, then the data type, each as a
/// 4-byte big-endian length followed by the UTF-8 bytes; then one transport byte (1 for String and
/// Number, 2 for Binary); then the value as length + bytes (UTF-8 for strings, raw for binary).
/// </remarks>
internal static class MessageAttributeMd5
{
    private const byte StringTransport = 1;
    private const byte BinaryTransport = 2;

    /// <summary>The lowercase hex digest, or null when there are no attributes.</summary>
    public static string? Compute(IEnumerable<KeyValuePair<string, SqsMessageAttribute>> attributes)
    {
        if (attributes is IReadOnlyCollection<KeyValuePair<string, SqsMessageAttribute>> { Count: 0 })
        {
            return null; // most messages: no copy, no enumerator
        }

        KeyValuePair<string, SqsMessageAttribute>[] sorted = [.. attributes];
        if (sorted.Length == 0)
        {
            return null;
        }

        Array.Sort(sorted, static (a, b) => string.CompareOrdinal(a.Key, b.Key));
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
        foreach ((string name, SqsMessageAttribute value) in sorted)
        {
            AppendLengthPrefixed(hash, Encoding.UTF8.GetBytes(name));
            AppendLengthPrefixed(hash, Encoding.UTF8.GetBytes(value.DataType));
            if (value.IsBinary)
            {
                hash.AppendData([BinaryTransport]);
                AppendLengthPrefixed(hash, value.BinaryValue ?? []);
            }
            else
            {
                hash.AppendData([StringTransport]);
                AppendLengthPrefixed(hash, Encoding.UTF8.GetBytes(value.StringValue ?? string.Empty));
            }
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    private static void AppendLengthPrefixed(IncrementalHash hash, ReadOnlySpan<byte> bytes)
    {
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(length, bytes.Length);
        hash.AppendData(length);
        hash.AppendData(bytes);
    }
}
