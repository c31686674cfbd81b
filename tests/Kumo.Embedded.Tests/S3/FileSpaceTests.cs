using Kumo.Embedded.S3;

namespace Kumo.Embedded.Tests.S3;

/// <summary>Pages allocated ahead of the writes that fill them leave the file's length alone, on a real file.</summary>
public sealed class FileSpaceTests : IDisposable
{
    private readonly string _root = TestEngine.NewDataDir();

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void A_reservation_keeps_the_length_and_later_writes_land_in_it()
    {
        if (!OperatingSystem.IsLinux())
        {
            Assert.Skip($"fallocate is Linux's; this is {System.Runtime.InteropServices.RuntimeInformation.OSDescription}");
        }

        string path = Path.Combine(_root, "segment");
        using (var handle = File.OpenHandle(path, FileMode.CreateNew, FileAccess.ReadWrite))
        {
            RandomAccess.Write(handle, "head"u8, 0);

            Assert.True(FileSpace.TryReserve(handle, 4, 1 << 20), "fallocate(FALLOC_FL_KEEP_SIZE) should succeed on the test's file system");
            Assert.Equal(4, RandomAccess.GetLength(handle));

            RandomAccess.Write(handle, "tail"u8, 512 * 1024);
            Assert.Equal(512 * 1024 + 4, RandomAccess.GetLength(handle));
        }

        byte[] bytes = File.ReadAllBytes(path);
        Assert.Equal("head"u8.ToArray(), bytes[..4]);
        Assert.All(bytes[4..(512 * 1024)], b => Assert.Equal(0, b));
        Assert.Equal("tail"u8.ToArray(), bytes[(512 * 1024)..]);
    }

    [Fact]
    public void A_closed_handle_is_refused_without_throwing()
    {
        var handle = File.OpenHandle(Path.Combine(_root, "closed"), FileMode.CreateNew, FileAccess.ReadWrite);
        handle.Dispose();

        Assert.False(FileSpace.TryReserve(handle, 0, 4096));
    }
}
