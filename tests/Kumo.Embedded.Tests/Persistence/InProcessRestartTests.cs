using System.Security.Cryptography;
using System.Text.Json;
using Kumo.Embedded.S3;
using Amazon.S3;
using Amazon.S3.Model;
using Microsoft.Extensions.Logging.Abstractions;

namespace Kumo.Embedded.Tests.Persistence;

public sealed class InProcessRestartTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static Task<KumoEngine> StartAsync(string dataDir) =>
        KumoEngine.StartAsync(new KumoEngineOptions { Port = 0, DataDir = dataDir }, NullLoggerProvider.Instance, Ct);

    [Fact]
    public async Task Buckets_objects_and_metadata_survive_a_restart_on_the_same_data_dir()
    {
        string dataDir = TestEngine.NewDataDir();
        byte[] body = RandomNumberGenerator.GetBytes(100_000);
        string etag;
        await using (KumoEngine first = await StartAsync(dataDir))
        {
            using var s3 = new AmazonS3Client(TestEngine.Credentials, TestEngine.S3Config(first.Endpoint));
            await s3.PutBucketAsync("keep", Ct);
            var put = new PutObjectRequest { BucketName = "keep", Key = "dir/blob", InputStream = new MemoryStream(body), ContentType = "application/x-kept", UseChunkEncoding = false };
            put.Metadata.Add("run", "1");
            etag = (await s3.PutObjectAsync(put, Ct)).ETag;
            await s3.PutObjectAsync(new PutObjectRequest { BucketName = "keep", Key = "deleted", ContentBody = "x", UseChunkEncoding = false }, Ct);
            await s3.DeleteObjectAsync("keep", "deleted", Ct);
        }

        await using KumoEngine second = await StartAsync(dataDir);
        using var again = new AmazonS3Client(TestEngine.Credentials, TestEngine.S3Config(second.Endpoint));
        using GetObjectResponse got = await again.GetObjectAsync("keep", "dir/blob", Ct);
        using var copy = new MemoryStream();
        await got.ResponseStream.CopyToAsync(copy, Ct);

        Assert.Equal(body, copy.ToArray());
        Assert.Equal(etag, got.ETag);
        Assert.Equal("application/x-kept", got.Headers.ContentType);
        Assert.Equal("1", got.Metadata["x-amz-meta-run"]);
        ListObjectsV2Response list = await again.ListObjectsV2Async(new ListObjectsV2Request { BucketName = "keep" }, Ct);
        Assert.Equal(["dir/blob"], list.S3Objects.Select(o => o.Key));
        Assert.Single(Directory.GetFiles(Path.Combine(dataDir, "s3-objects")));
    }

    [Fact]
    public async Task Deleted_and_overwritten_body_files_are_removed_from_disk_after_a_flush()
    {
        // Bodies over 64 KiB have a file each (smaller ones are extents of segments: BodySegmentTests).
        string one = new('1', 100_000);
        string two = new('2', 100_000);
        string dataDir = TestEngine.NewDataDir();
        await using KumoEngine engine = await StartAsync(dataDir);
        using var s3 = new AmazonS3Client(TestEngine.Credentials, TestEngine.S3Config(engine.Endpoint));
        await s3.PutBucketAsync("gcb", Ct);
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = "gcb", Key = "a", ContentBody = one, UseChunkEncoding = false }, Ct);
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = "gcb", Key = "b", ContentBody = one, UseChunkEncoding = false }, Ct);
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = "gcb", Key = "a", ContentBody = two, UseChunkEncoding = false }, Ct);
        await engine.FlushAsync(Ct);
        Assert.Equal(2, Directory.GetFiles(Path.Combine(dataDir, "s3-objects")).Length);

        await s3.DeleteObjectAsync("gcb", "b", Ct);
        await engine.FlushAsync(Ct);
        await engine.FlushAsync(Ct);

        Assert.Single(Directory.GetFiles(Path.Combine(dataDir, "s3-objects")));
    }

    [Fact]
    public async Task A_data_dir_with_a_file_per_body_loads_and_serves_and_releases_those_files()
    {
        // The layout before body segments (published snapshots hold it): s3.json naming s3-objects/<sha256> files.
        string dataDir = TestEngine.NewDataDir();
        byte[] small = RandomNumberGenerator.GetBytes(4096);
        byte[] large = RandomNumberGenerator.GetBytes(100_000);
        var objects = new List<Kumo.Embedded.S3.S3Object>();
        Directory.CreateDirectory(Path.Combine(dataDir, BlobStore.DirectoryName));
        foreach ((string key, byte[] body) in new[] { ("small", small), ("large", large) })
        {
            string blobId = Convert.ToHexStringLower(SHA256.HashData(body));
            await File.WriteAllBytesAsync(Path.Combine(dataDir, BlobStore.DirectoryName, blobId), body, Ct);
            objects.Add(new Kumo.Embedded.S3.S3Object { Key = key, Size = body.Length, ETag = $"\"{Convert.ToHexStringLower(MD5.HashData(body))}\"", BlobId = blobId, LastModified = DateTimeOffset.UnixEpoch });
        }

        var document = new S3Document { Buckets = [new BucketDocument { Name = "legacy", Objects = objects }] };
        await File.WriteAllBytesAsync(Path.Combine(dataDir, "s3.json"), JsonSerializer.SerializeToUtf8Bytes(document, S3JsonContext.Default.S3Document), Ct);

        await using (KumoEngine engine = await StartAsync(dataDir))
        {
            // The small body moved into a segment on load; the large one keeps its file.
            Assert.Equal([Convert.ToHexStringLower(SHA256.HashData(large))], Directory.GetFiles(Path.Combine(dataDir, BlobStore.DirectoryName)).Select(Path.GetFileName));
            using var s3 = new AmazonS3Client(TestEngine.Credentials, TestEngine.S3Config(engine.Endpoint));
            Assert.Equal(small, await ReadAsync(s3, "legacy", "small"));
            Assert.Equal(large, await ReadAsync(s3, "legacy", "large"));

            // The same small content again shares the stored copy; new content goes to a segment.
            await s3.PutObjectAsync(new PutObjectRequest { BucketName = "legacy", Key = "again", InputStream = new MemoryStream(small), UseChunkEncoding = false }, Ct);
            await s3.PutObjectAsync(new PutObjectRequest { BucketName = "legacy", Key = "new", ContentBody = "new", UseChunkEncoding = false }, Ct);
            await s3.DeleteObjectAsync("legacy", "small", Ct);
            await engine.FlushAsync(Ct);
            Assert.Equal(small, await ReadAsync(s3, "legacy", "again"));
        }

        await using (KumoEngine engine = await StartAsync(dataDir))
        {
            using var s3 = new AmazonS3Client(TestEngine.Credentials, TestEngine.S3Config(engine.Endpoint));
            Assert.Equal(small, await ReadAsync(s3, "legacy", "again"));
            Assert.Equal(large, await ReadAsync(s3, "legacy", "large"));
            Assert.Equal("new"u8.ToArray(), await ReadAsync(s3, "legacy", "new"));
            await s3.DeleteObjectAsync("legacy", "again", Ct);
            await engine.FlushAsync(Ct);
            await engine.FlushAsync(Ct);
        }

        Assert.Equal([Convert.ToHexStringLower(SHA256.HashData(large))], Directory.GetFiles(Path.Combine(dataDir, BlobStore.DirectoryName)).Select(Path.GetFileName));
        Assert.Single(Directory.GetFiles(Path.Combine(dataDir, BodySegments.DirectoryName)));
        Directory.Delete(dataDir, recursive: true);
    }

    private static async Task<byte[]> ReadAsync(AmazonS3Client s3, string bucket, string key)
    {
        using GetObjectResponse got = await s3.GetObjectAsync(bucket, key, Ct);
        using var copy = new MemoryStream();
        await got.ResponseStream.CopyToAsync(copy, Ct);
        return copy.ToArray();
    }

    [Fact]
    public async Task A_corrupt_state_file_is_quarantined_and_the_engine_starts_empty()
    {
        string dataDir = TestEngine.NewDataDir();
        await File.WriteAllTextAsync(Path.Combine(dataDir, "s3.json"), "{ not json", Ct);

        await using KumoEngine engine = await StartAsync(dataDir);
        using var s3 = new AmazonS3Client(TestEngine.Credentials, TestEngine.S3Config(engine.Endpoint));

        Assert.Empty((await s3.ListBucketsAsync(Ct)).Buckets ?? []);
        Assert.Single(Directory.GetFiles(dataDir, "s3.json.corrupt-*"));
        Assert.Contains(engine.RecentLog, line => line.Contains("Could not load s3 state", StringComparison.Ordinal));
    }
}
