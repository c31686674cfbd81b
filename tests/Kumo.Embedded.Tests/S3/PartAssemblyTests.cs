using Kumo.Embedded.S3;
using Microsoft.Extensions.Logging.Abstractions;

namespace Kumo.Embedded.Tests.S3;

/// <summary>
/// Which parts write into an upload's assembly, when a completion may take it as the object's body, and that it then
/// does so by linking the file, not copying it (on real files).
/// </summary>
public sealed class PartAssemblyTests : IDisposable
{
    private const long MiB = 1024 * 1024;
    private const long Minimum = 5 * MiB;
    private readonly string _root = TestEngine.NewDataDir();

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private PartAssembly NewAssembly(long maxObjectSize = 5L << 40) => new(Path.Combine(_root, "assembly"), Minimum, maxObjectSize);

    private static UploadedPart Part(PartAssembly assembly, int number, long size, long offset) =>
        new(number, "\"e\"", new byte[16], default, size, assembly.Path, offset, DateTimeOffset.UnixEpoch);

    [Fact]
    public void The_first_part_of_at_least_the_minimum_sets_the_part_size_and_each_number_claims_once()
    {
        PartAssembly assembly = NewAssembly();

        Assert.False(assembly.TryClaim(3, 1 * MiB, out _)); // below the minimum: a last part, not a part size
        Assert.False(assembly.TryClaim(1, null, out _)); // length not announced
        Assert.True(assembly.TryClaim(2, 8 * MiB, out long second));
        Assert.True(assembly.TryClaim(1, 8 * MiB, out long first));
        Assert.True(assembly.TryClaim(4, 3 * MiB, out long last)); // shorter than the part size: a last part fits its region
        Assert.False(assembly.TryClaim(5, 9 * MiB, out _)); // longer than its region
        Assert.False(assembly.TryClaim(2, 8 * MiB, out _)); // a second upload of part 2 goes to a file of its own
        Assert.False(assembly.TryClaim(6, BlobStore.SmallBodyBytes, out _)); // small bodies are staged in memory

        Assert.Equal([8 * MiB, 0, 24 * MiB], new[] { second, first, last });
    }

    [Fact]
    public void No_region_ends_past_the_largest_object()
    {
        PartAssembly assembly = NewAssembly(maxObjectSize: 20 * MiB);

        Assert.True(assembly.TryClaim(2, 10 * MiB, out _)); // ends at 20 MiB
        Assert.False(assembly.TryClaim(3, 10 * MiB, out _));
        Assert.False(assembly.TryClaim(10000, 10 * MiB, out _));
    }

    [Fact]
    public void Sealing_needs_parts_one_to_n_at_their_offsets_and_no_write_in_flight_and_then_stops_claims()
    {
        PartAssembly assembly = NewAssembly();
        Assert.True(assembly.TryClaim(1, 6 * MiB, out _));
        Assert.True(assembly.TryClaim(2, 6 * MiB, out _));
        Assert.True(assembly.TryClaim(3, 2 * MiB, out _));
        assembly.EndWrite();
        assembly.EndWrite();
        UploadedPart one = Part(assembly, 1, 6 * MiB, 0);
        UploadedPart two = Part(assembly, 2, 6 * MiB, 6 * MiB);
        UploadedPart three = Part(assembly, 3, 2 * MiB, 12 * MiB);

        Assert.False(assembly.TrySeal([one, two])); // part 3 is still being written
        assembly.EndWrite();
        Assert.False(assembly.TrySeal([two, three])); // does not start at part 1
        Assert.False(assembly.TrySeal([one, three])); // a gap
        Assert.False(assembly.TrySeal([one, Part(assembly, 2, 5 * MiB, 6 * MiB), three])); // a short part before the last
        Assert.False(assembly.TrySeal([one, two with { Path = Path.Combine(_root, "2.part"), Offset = 0 }])); // a part in a file of its own
        Assert.True(assembly.TryClaim(4, 6 * MiB, out _)); // not sealed by any of those
        assembly.EndWrite();

        Assert.True(assembly.TrySeal([one, two, three]));
        Assert.False(assembly.TryClaim(5, 6 * MiB, out _));
    }

    [Fact]
    public async Task A_sealed_assembly_is_staged_by_linking_it_and_one_longer_than_its_parts_is_not()
    {
        if (!OperatingSystem.IsLinux())
        {
            Assert.Skip($"link is Linux's here; this is {System.Runtime.InteropServices.RuntimeInformation.OSDescription}");
        }

        CancellationToken ct = TestContext.Current.CancellationToken;
        using var blobs = new BlobStore(_root, durable: false, syncEachBlob: false, NullLogger.Instance);
        PartAssembly assembly = NewAssembly();
        byte[] first = System.Security.Cryptography.RandomNumberGenerator.GetBytes((int)Minimum);
        byte[] last = System.Security.Cryptography.RandomNumberGenerator.GetBytes(100_000);
        StagedBlob one = await blobs.StageAtAsync(new MemoryStream(first), assembly.Path, 0, first.Length, 1L << 40, ct);
        StagedBlob two = await blobs.StageAtAsync(new MemoryStream(last), assembly.Path, Minimum, last.Length, 1L << 40, ct);
        UploadedPart[] parts = [Part(assembly, 1, first.Length, 0) with { Key = one.Key }, Part(assembly, 2, last.Length, Minimum) with { Key = two.Key }];
        Assert.Equal(one.BlobId, ContentKey.Of(first, out _, out _));
        Assert.Equal(two.BlobId, ContentKey.Of(last, out _, out _));

        StagedBlob staged = blobs.TryStageAssembly(assembly.Path, parts, first.Length + last.Length, new byte[16])
            ?? throw new Xunit.Sdk.XunitException("link should succeed within the test's file system");
        Assert.Equal([.. first, .. last], File.ReadAllBytes(staged.TemporaryPath!));
        using (var handle = File.OpenHandle(assembly.Path, FileMode.Open, FileAccess.Write, FileShare.ReadWrite))
        {
            RandomAccess.Write(handle, "changed"u8, 0); // only a test writes a sealed assembly: it shows the two names are one file
        }

        Assert.Equal("changed"u8.ToArray(), File.ReadAllBytes(staged.TemporaryPath!)[..7]);
        blobs.Discard(staged);
        Assert.True(File.Exists(assembly.Path));

        Assert.Null(blobs.TryStageAssembly(assembly.Path, parts[..1], first.Length, new byte[16])); // part 2's bytes would be in it
    }
}
