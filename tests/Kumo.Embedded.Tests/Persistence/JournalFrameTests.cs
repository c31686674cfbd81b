using System.Buffers;
using System.Text;
using Kumo.Embedded.Persistence;

namespace Kumo.Embedded.Tests.Persistence;

/// <summary>
/// The journal frame's checksum is zlib's CRC-32, so journals and body segments written by earlier engines still
/// read, and a frame whose bytes changed does not.
/// </summary>
public sealed class JournalFrameTests
{
    [Theory]
    [InlineData("", 0x00000000u)]
    [InlineData("123456789", 0xCBF43926u)] // the check value of CRC-32/ISO-HDLC (zlib)
    public void Crc32IsZlibsOnShortInput(string text, uint expected) =>
        Assert.Equal(expected, JournalFrame.Crc32(Encoding.ASCII.GetBytes(text)));

    [Fact]
    public void Crc32IsZlibsOnInputLongEnoughForTheVectorPath()
    {
        // python3 -c "import zlib; print(hex(zlib.crc32(bytes(range(256)) * 20)))"
        byte[] data = [.. Enumerable.Repeat(Enumerable.Range(0, 256).Select(i => (byte)i), 20).SelectMany(b => b)];
        Assert.Equal(0x670222CBu, JournalFrame.Crc32(data));
    }

    [Fact]
    public void AWrittenFrameReadsBackAndAFlippedByteEndsTheReplay()
    {
        var output = new ArrayBufferWriter<byte>();
        byte[] payload = Encoding.UTF8.GetBytes("""{"op":"put","key":"a"}""");
        JournalFrame.Write(output, payload);
        byte[] frame = output.WrittenSpan.ToArray();

        int offset = 0;
        Assert.True(JournalFrame.TryRead(frame, ref offset, out ReadOnlyMemory<byte> read));
        Assert.Equal(payload, read.ToArray());
        Assert.Equal(frame.Length, offset);

        frame[^3] ^= 0x01;
        offset = 0;
        Assert.False(JournalFrame.TryRead(frame, ref offset, out _));
        Assert.Equal(0, offset);
    }
}
