using Kumo.Embedded.S3;

namespace Kumo.Embedded.Tests.S3;

/// <summary>
/// Pages allocated ahead of the writes that fill them leave the file's length alone, and files copied inside the
/// kernel arrive whole at their offsets, on real files.
/// </summary>
public sealed class FileSpaceTests : IDisposable
{
    private readonly string _root = TestEngine.NewDataDir();

    public void Dispose() => Directory.Delete(_root, recursive: true);

    /// <summary>Skips the test, saying why, where <paramref name="call"/> (a Linux system call) does not exist.</summary>
    private static void SkipUnlessLinux(string call)
    {
        if (!OperatingSystem.IsLinux())
        {
            Assert.Skip($"{call} is Linux's; this is {System.Runtime.InteropServices.RuntimeInformation.OSDescription}");
        }
    }

    [Fact]
    public void A_reservation_keeps_the_length_and_later_writes_land_in_it()
    {
        SkipUnlessLinux("fallocate");

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
        using var other = File.OpenHandle(Path.Combine(_root, "other"), FileMode.CreateNew, FileAccess.ReadWrite);
        Assert.False(FileSpace.TryCopy(handle, 0, other, 0, 4096));
        Assert.False(FileSpace.TryCopy(other, 0, handle, 0, 0));
    }

    [Fact]
    public void Files_copied_in_the_kernel_land_one_after_another()
    {
        SkipUnlessLinux("copy_file_range");

        byte[] first = System.Security.Cryptography.RandomNumberGenerator.GetBytes(3 * 1024 * 1024 + 17);
        byte[] second = System.Security.Cryptography.RandomNumberGenerator.GetBytes(70_001);
        File.WriteAllBytes(Path.Combine(_root, "1.part"), first);
        File.WriteAllBytes(Path.Combine(_root, "2.part"), second);
        string target = Path.Combine(_root, "object");
        using (var destination = File.OpenHandle(target, FileMode.CreateNew, FileAccess.Write))
        {
            using (var one = File.OpenHandle(Path.Combine(_root, "1.part")))
            {
                Assert.True(FileSpace.TryCopy(one, 0, destination, 0, first.Length), "copy_file_range should copy between files of the test's file system");
            }

            using var two = File.OpenHandle(Path.Combine(_root, "2.part"));
            Assert.True(FileSpace.TryCopy(two, 0, destination, first.Length, second.Length));
        }

        Assert.Equal([.. first, .. second], File.ReadAllBytes(target));
    }

    [Fact]
    public void A_source_shorter_than_announced_is_refused()
    {
        SkipUnlessLinux("copy_file_range");

        File.WriteAllBytes(Path.Combine(_root, "short"), new byte[1000]);
        using var source = File.OpenHandle(Path.Combine(_root, "short"));
        using var destination = File.OpenHandle(Path.Combine(_root, "target"), FileMode.CreateNew, FileAccess.Write);

        Assert.False(FileSpace.TryCopy(source, 0, destination, 0, 1001));
    }
}
