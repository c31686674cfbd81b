using System.Security.Cryptography;
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
    public async Task Deleted_and_overwritten_bodies_are_removed_from_disk_after_a_flush()
    {
        string dataDir = TestEngine.NewDataDir();
        await using KumoEngine engine = await StartAsync(dataDir);
        using var s3 = new AmazonS3Client(TestEngine.Credentials, TestEngine.S3Config(engine.Endpoint));
        await s3.PutBucketAsync("gcb", Ct);
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = "gcb", Key = "a", ContentBody = "one", UseChunkEncoding = false }, Ct);
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = "gcb", Key = "b", ContentBody = "one", UseChunkEncoding = false }, Ct);
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = "gcb", Key = "a", ContentBody = "two", UseChunkEncoding = false }, Ct);
        await engine.FlushAsync(Ct);
        Assert.Equal(2, Directory.GetFiles(Path.Combine(dataDir, "s3-objects")).Length);

        await s3.DeleteObjectAsync("gcb", "b", Ct);
        await engine.FlushAsync(Ct);
        await engine.FlushAsync(Ct);

        Assert.Single(Directory.GetFiles(Path.Combine(dataDir, "s3-objects")));
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
