using System.Security.Cryptography;
using Amazon.S3;
using Amazon.S3.Model;
using Kumo.Embedded.S3;
using Microsoft.Extensions.Logging.Abstractions;

namespace Kumo.Embedded.Tests.S3;

/// <summary>
/// The in-memory cache of small bodies read more than once: admitted on the second read, bounded by its budget
/// (oldest out first), and never stale, since a body is cached by the hash of its bytes.
/// </summary>
public sealed class BodyCacheTests : IDisposable
{
    private readonly string _root = TestEngine.NewDataDir();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private static (string Id, byte[] Body) Body(int length, int seed)
    {
        byte[] body = new byte[length];
        new Random(seed).NextBytes(body);
        return (ContentKey.Of(body, out _, out _), body);
    }

    [Fact]
    public void A_body_is_admitted_on_its_second_read_only()
    {
        var cache = new BodyCache(budget: 1024);
        Assert.False(cache.ShouldAdmit("a", 100));
        Assert.False(cache.ShouldAdmit("b", 100));
        Assert.True(cache.ShouldAdmit("a", 100));
        Assert.False(cache.ShouldAdmit("a", 100)); // admitted once; a later miss starts over
        Assert.False(cache.ShouldAdmit("big", 2048));
        Assert.False(cache.ShouldAdmit("big", 2048)); // larger than the whole budget: never
    }

    [Fact]
    public void The_budget_holds_and_the_oldest_bodies_leave_first()
    {
        var cache = new BodyCache(budget: 1000);
        for (int i = 0; i < 5; i++)
        {
            cache.Add($"id-{i}", new byte[300]);
            Assert.True(cache.Bytes <= 1000, $"{cache.Bytes} bytes held after {i + 1} adds, over the 1000-byte budget");
        }

        Assert.Equal(3, cache.Count);
        Assert.False(cache.TryGet("id-0", out _));
        Assert.False(cache.TryGet("id-1", out _));
        Assert.True(cache.TryGet("id-4", out byte[] newest));
        Assert.Equal(300, newest.Length);

        cache.Add("too-big", new byte[1001]);
        Assert.False(cache.TryGet("too-big", out _));
        Assert.Equal(900, cache.Bytes);
    }

    [Fact]
    public async Task A_body_read_again_is_served_from_memory_whole_and_in_slices()
    {
        (string id, byte[] body) = Body(4096, seed: 1);
        using var blobs = new BlobStore(_root, durable: false, syncEachBlob: false, NullLogger.Instance);
        StagedBlob staged = await blobs.StageAsync(new MemoryStream(body), 1 << 20, body.Length, Ct);
        Assert.Equal(id, staged.BlobId);
        blobs.Publish(staged);

        using (StoredBody first = blobs.OpenRead(id, body.Length))
        {
            Assert.Null(first.Memory); // read once: from the segment, nothing cached
        }

        byte[] second;
        using (StoredBody loaded = blobs.OpenRead(id, body.Length))
        {
            second = Assert.IsType<byte[]>(loaded.Memory);
        }

        using StoredBody third = blobs.OpenRead(id, body.Length);
        Assert.Same(second, third.Memory);
        Assert.Equal(body, second);

        byte[] slice = new byte[100];
        Assert.Equal(96, third.Read(slice, 4000)); // up to the body's end, as a file read
        Assert.Equal(body[4000..], slice[..96]);

        var sink = new MemoryStream();
        await BlobStore.CopyToAsync(third, 10, 1000, sink, Ct);
        Assert.Equal(body.AsSpan(10, 1000).ToArray(), sink.ToArray());
    }

    [Fact]
    public async Task Repeated_gets_follow_overwrites_and_deletes_through_the_sdk()
    {
        await using TestEngine engine = await TestEngine.StartAsync(persistent: false);
        await engine.S3.PutBucketAsync("cached", Ct);
        byte[][] versions = [Body(4096, seed: 2).Body, Body(4096, seed: 3).Body];
        foreach (byte[] version in versions)
        {
            await engine.S3.PutObjectAsync(new PutObjectRequest { BucketName = "cached", Key = "k", InputStream = new MemoryStream(version), UseChunkEncoding = false }, Ct);
            for (int read = 0; read < 4; read++)
            {
                Assert.Equal(version, await GetAsync(engine, null));
            }

            Assert.Equal(version.AsSpan(100, 50).ToArray(), await GetAsync(engine, new ByteRange(100, 149)));
        }

        await engine.S3.DeleteObjectAsync("cached", "k", Ct);
        AmazonS3Exception gone = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => GetAsync(engine, null));
        Assert.Equal("NoSuchKey", gone.ErrorCode);
    }

    private static async Task<byte[]> GetAsync(TestEngine engine, ByteRange? range)
    {
        using GetObjectResponse got = await engine.S3.GetObjectAsync(new GetObjectRequest { BucketName = "cached", Key = "k", ByteRange = range }, Ct);
        using var buffer = new MemoryStream();
        await got.ResponseStream.CopyToAsync(buffer, Ct);
        return buffer.ToArray();
    }
}
