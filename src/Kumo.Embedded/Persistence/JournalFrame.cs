using System.Buffers.Binary;

namespace Kumo.Embedded.Persistence;

/// <summary>
/// The framing of one journal record: a little-endian 32-bit payload length, the CRC-32 of the
/// payload, then the payload (a JSON document).
/// </summary>
/// <remarks>
/// A record cut short by a crash (a torn tail) fails the length or checksum test and ends the
/// replay of its segment; every record before it is intact.
/// </remarks>
internal static class JournalFrame
{
    public const int HeaderSize = 8;

    /// <summary>The largest payload accepted on read (a record is one object description or one SQS message).</summary>
    public const int MaxPayload = 64 * 1024 * 1024;

    public static void Write(System.Buffers.IBufferWriter<byte> output, ReadOnlySpan<byte> payload)
    {
        Span<byte> header = output.GetSpan(HeaderSize);
        BinaryPrimitives.WriteInt32LittleEndian(header, payload.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(header[4..], Crc32(payload));
        output.Advance(HeaderSize);
        payload.CopyTo(output.GetSpan(payload.Length));
        output.Advance(payload.Length);
    }

    /// <summary>Reads the record at <paramref name="offset"/>; false at the end of the data or at a torn or corrupt record.</summary>
    public static bool TryRead(ReadOnlyMemory<byte> data, ref int offset, out ReadOnlyMemory<byte> payload)
    {
        payload = default;
        ReadOnlySpan<byte> rest = data.Span[offset..];
        if (rest.Length < HeaderSize)
        {
            return false;
        }

        int length = BinaryPrimitives.ReadInt32LittleEndian(rest);
        uint crc = BinaryPrimitives.ReadUInt32LittleEndian(rest[4..]);
        if (length < 0 || length > MaxPayload || rest.Length - HeaderSize < length)
        {
            return false;
        }

        ReadOnlyMemory<byte> candidate = data.Slice(offset + HeaderSize, length);
        if (Crc32(candidate.Span) != crc)
        {
            return false;
        }

        payload = candidate;
        offset += HeaderSize + length;
        return true;
    }

    /// <summary>CRC-32 (IEEE 802.3, reflected, as zlib).</summary>
    public static uint Crc32(ReadOnlySpan<byte> data) => System.IO.Hashing.Crc32.HashToUInt32(data);
}
