using System.Buffers;
using System.Buffers.Binary;

namespace Kumo.Embedded.S3;

/// <summary>
/// A body's <see cref="ContentKey"/> as four integers: the key of the tables that hold an entry per stored body (the
/// segment index, the reference counts), 32 bytes in the entry and no string per body for the collector to keep.
/// </summary>
internal readonly record struct BodyKey(ulong A, ulong B, ulong C, ulong D)
{
    public const int Bytes = ContentKey.Bytes;

    public static BodyKey Read(ReadOnlySpan<byte> bytes) => new(
        BinaryPrimitives.ReadUInt64BigEndian(bytes),
        BinaryPrimitives.ReadUInt64BigEndian(bytes[8..]),
        BinaryPrimitives.ReadUInt64BigEndian(bytes[16..]),
        BinaryPrimitives.ReadUInt64BigEndian(bytes[24..]));

    /// <summary>The key of a blob id (64 hex digits).</summary>
    /// <exception cref="ArgumentException"><paramref name="blobId"/> is not 64 hex digits.</exception>
    public static BodyKey Parse(string blobId) => TryParse(blobId, out BodyKey key)
        ? key
        : throw new ArgumentException($"'{blobId}' is not a blob id (64 hex digits).", nameof(blobId));

    /// <summary>The key of a blob id; false when <paramref name="blobId"/> is not 64 hex digits.</summary>
    public static bool TryParse(ReadOnlySpan<char> blobId, out BodyKey key)
    {
        Span<byte> hash = stackalloc byte[Bytes];
        bool parsed = Convert.FromHexString(blobId, hash, out _, out int written) == OperationStatus.Done && written == Bytes;
        key = parsed ? Read(hash) : default;
        return parsed;
    }

    public void Write(Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt64BigEndian(destination, A);
        BinaryPrimitives.WriteUInt64BigEndian(destination[8..], B);
        BinaryPrimitives.WriteUInt64BigEndian(destination[16..], C);
        BinaryPrimitives.WriteUInt64BigEndian(destination[24..], D);
    }

    /// <summary>Writes the lowercase hex form (a blob id) into <paramref name="destination"/> (64 chars) and returns it.</summary>
    public ReadOnlySpan<char> Format(Span<char> destination)
    {
        Span<byte> hash = stackalloc byte[Bytes];
        Write(hash);
        Convert.TryToHexStringLower(hash, destination, out int written);
        return destination[..written];
    }

    /// <summary>The first bytes of a content key (an MD5, or a SHA-256) are uniformly distributed: a hash code as good as any.</summary>
    public override int GetHashCode() => (int)A;
}
