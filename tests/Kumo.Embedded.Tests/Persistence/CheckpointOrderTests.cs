using System.Text.Json;
using Amazon.S3;
using Amazon.S3.Model;
using Kumo.Embedded.S3;
using Microsoft.Extensions.Logging.Abstractions;

namespace Kumo.Embedded.Tests.Persistence;

/// <summary>
/// The S3 checkpoint is ordered (buckets by name, objects by key, ordinal) although the store only copies references
/// under its lock and orders them afterwards; and taking it leaves the buckets' own key order (merged lazily, at a
/// listing) intact for the listings after it.
/// </summary>
public sealed class CheckpointOrderTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_s3_checkpoint_is_in_ordinal_order_and_listings_after_it_stay_whole()
    {
        string dataDir = TestEngine.NewDataDir();
        var random = new Random(5);
        string[] keys = [.. Enumerable.Range(0, 300).Select(i => $"{(char)('A' + random.Next(58))}-{random.Next(1000)}-{i}").OrderBy(_ => random.Next())];
        await using KumoEngine engine = await KumoEngine.StartAsync(new KumoEngineOptions { Port = 0, DataDir = dataDir }, NullLoggerProvider.Instance, Ct);
        using var s3 = new AmazonS3Client(TestEngine.Credentials, TestEngine.S3Config(engine.Endpoint));
        foreach (string bucket in new[] { "zeta", "alpha", "Mid" }.Select(b => b.ToLowerInvariant()))
        {
            await s3.PutBucketAsync(bucket, Ct);
        }

        for (int i = 0; i < keys.Length; i++)
        {
            await s3.PutObjectAsync(new PutObjectRequest { BucketName = i % 2 == 0 ? "zeta" : "alpha", Key = keys[i], ContentBody = keys[i], UseChunkEncoding = false }, Ct);
            if (i == keys.Length / 2)
            {
                // Half the keys are merged into the ordered set by this listing; the rest wait in the unordered one.
                await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = "zeta" }, Ct);
            }
        }

        await engine.FlushAsync(Ct);

        S3Document document = JsonSerializer.Deserialize(await File.ReadAllBytesAsync(Path.Combine(dataDir, "s3.json"), Ct), S3JsonContext.Default.S3Document)!;
        Assert.Equal(["alpha", "mid", "zeta"], document.Buckets.Select(b => b.Name));
        foreach (BucketDocument bucket in document.Buckets)
        {
            string[] expected = [.. keys.Where((_, i) => bucket.Name == (i % 2 == 0 ? "zeta" : "alpha")).Order(StringComparer.Ordinal)];
            Assert.Equal(expected, bucket.Objects.Select(o => o.Key));
        }

        foreach (string bucket in new[] { "zeta", "alpha" })
        {
            var listed = new List<string>();
            string? token = null;
            do
            {
                ListObjectsV2Response page = await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket, MaxKeys = 50, ContinuationToken = token }, Ct);
                listed.AddRange((page.S3Objects ?? []).Select(o => o.Key));
                token = page.IsTruncated == true ? page.NextContinuationToken : null;
            }
            while (token is not null);

            Assert.Equal(keys.Where((_, i) => bucket == (i % 2 == 0 ? "zeta" : "alpha")).Order(StringComparer.Ordinal), listed);
        }
    }
}
