using System.IO.Hashing;
using System.Security.Cryptography;
using Kumo.Embedded.S3;
using Microsoft.Extensions.Logging.Abstractions;

namespace Kumo.Embedded.Tests.S3;

/// <summary>A body's id: its form, what it names, and that both ways of staging a body name it alike.</summary>
public sealed class ContentKeyTests
{
    [Fact]
    public void A_key_is_the_md5_then_the_xxh128_and_names_only_its_own_body()
    {
        byte[] body = new byte[4096];
        new Random(1).NextBytes(body);
        byte[] other = [.. body];
        other[^1] ^= 1;

        string id = ContentKey.Of(body, out byte[] md5, out BodyKey key);

        Assert.Equal(MD5.HashData(body), md5);
        Assert.Equal(BodyKey.Parse(id), key);
        Assert.Equal(Convert.ToHexStringLower(MD5.HashData(body)) + Convert.ToHexStringLower(XxHash128.Hash(body)), id);
        Assert.Equal(id, ContentKey.Of([.. body], out _, out _));
        Assert.NotEqual(id, ContentKey.Of(other, out _, out _));
        Assert.True(BlobStore.IsBlobId(id));
        Assert.True(ContentKey.Names(Convert.FromHexString(id), body));
        Assert.False(ContentKey.Names(Convert.FromHexString(id), other));
    }

    [Fact]
    public void A_sha256_written_by_an_earlier_version_still_names_its_body()
    {
        byte[] body = new byte[700];
        new Random(2).NextBytes(body);

        Assert.True(ContentKey.Names(SHA256.HashData(body), body));
        Assert.False(ContentKey.Names(SHA256.HashData(body[1..]), body));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(5000)]
    [InlineData(300_000)]
    public void A_body_appended_in_pieces_gets_the_key_of_the_whole(int length)
    {
        byte[] body = new byte[length];
        new Random(length).NextBytes(body);
        using var builder = new ContentKey.Builder();
        for (int at = 0; at < length; at += 777)
        {
            builder.Append(body.AsSpan(at, Math.Min(777, length - at)));
        }

        string id = builder.Finish(out byte[] md5, out BodyKey key);

        Assert.Equal(ContentKey.Of(body, out byte[] whole, out _), id);
        Assert.Equal(whole, md5);
        Assert.Equal(BodyKey.Parse(id), key);
    }

    [Fact]
    public void A_completed_upload_is_named_by_its_etag_digest_and_its_xxh128_without_an_md5_of_the_whole()
    {
        byte[] body = new byte[200_000];
        new Random(4).NextBytes(body);
        byte[] digest = MD5.HashData("the parts' MD5s"u8);
        using var builder = new ContentKey.Builder(digest);
        builder.Append(body.AsSpan(0, 1000));
        builder.Append(body.AsSpan(1000));

        string id = builder.Finish(out byte[] first, out BodyKey key);

        Assert.Equal(Convert.ToHexStringLower(digest) + Convert.ToHexStringLower(XxHash128.Hash(body)), id);
        Assert.Equal(digest, first);
        Assert.Equal(BodyKey.Parse(id), key);
        Assert.NotEqual(ContentKey.Of(body, out _, out _), id);
        Assert.True(ContentKey.Names(Convert.FromHexString(id), body));
        Assert.False(ContentKey.Names(Convert.FromHexString(id), body.AsSpan(1)));
        Assert.Throws<ArgumentException>(() => new ContentKey.Builder(new byte[15]));
    }

    [Fact]
    public async Task A_body_held_in_memory_and_the_same_body_streamed_to_a_file_get_the_same_id()
    {
        byte[] body = new byte[20_000];
        new Random(3).NextBytes(body);
        string root = TestEngine.NewDataDir();
        using var removeRoot = new RemovedAtEnd(root);
        using var blobs = new BlobStore(root, durable: false, syncEachBlob: false, NullLogger.Instance);
        CancellationToken ct = TestContext.Current.CancellationToken;

        StagedBlob held = await blobs.StageAsync(new MemoryStream(body), 1 << 20, body.Length, ct);
        StagedBlob streamed = await blobs.StageAsync(new MemoryStream(body), 1 << 20, expectedLength: null, ct);

        Assert.NotNull(held.Buffer);
        Assert.Null(streamed.Buffer);
        Assert.Equal(held.BlobId, streamed.BlobId);
        Assert.Equal(BodyKey.Parse(held.BlobId), held.Key);
        Assert.Equal(held.Key, streamed.Key);
        Assert.Equal(held.Md5, streamed.Md5);
        Assert.Equal(SHA256.HashData(body), BlobStore.Sha256Of(held));
        Assert.Equal(SHA256.HashData(body), BlobStore.Sha256Of(streamed));
        blobs.Discard(held);
        blobs.Discard(streamed);
    }

    private sealed class RemovedAtEnd(string directory) : IDisposable
    {
        public void Dispose() => Directory.Delete(directory, recursive: true);
    }
}
