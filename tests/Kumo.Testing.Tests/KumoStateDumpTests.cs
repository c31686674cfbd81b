using System.Security.Cryptography;
using System.Text;
using Amazon.S3.Model;
using Amazon.SQS.Model;
using Kumo.Clients;
using Kumo.Seeding;

namespace Kumo.Testing.Tests;

public sealed class KumoStateDumpTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Dump_lists_buckets_keys_sizes_etags_and_queues_with_counts()
    {
        await using TestEngine engine = await TestEngine.StartAsync(Ct);
        var s3 = engine.Clients.S3;
        var sqs = engine.Clients.Sqs;
        await s3.PutBucketAsync("zeta", Ct);
        await s3.PutBucketAsync("alpha", Ct);
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = "alpha", Key = "b/2.txt", ContentBody = "two!" }, Ct);
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = "alpha", Key = "a.txt", ContentBody = "one" }, Ct);
        string url = (await sqs.CreateQueueAsync(new CreateQueueRequest("work") { Attributes = new() { ["VisibilityTimeout"] = "17" } }, Ct)).QueueUrl;
        await sqs.SendMessageAsync(url, "m1", Ct);
        await sqs.SendMessageAsync(url, "m2", Ct);
        await sqs.CreateQueueAsync(new CreateQueueRequest("jobs.fifo") { Attributes = new() { ["FifoQueue"] = "true" } }, Ct);

        KumoStateDump dump = await KumoStateDump.CaptureAsync(s3, sqs, Ct);

        Assert.Empty(dump.Errors);
        Assert.Equal(["alpha", "zeta"], dump.Buckets.Select(b => b.Name));
        BucketState alpha = dump.Buckets[0];
        Assert.False(alpha.Truncated);
        Assert.Equal(["a.txt", "b/2.txt"], alpha.Objects.Select(o => o.Key));
        Assert.Equal([3L, 4L], alpha.Objects.Select(o => o.Size));
        Assert.Equal(Md5("one"), alpha.Objects[0].ETag);
        Assert.NotNull(alpha.Objects[0].LastModified);
        Assert.Empty(dump.Buckets[1].Objects);

        Assert.Equal(["jobs.fifo", "work"], dump.Queues.Select(q => q.Name));
        QueueState work = dump.Queues[1];
        Assert.Equal(url, work.Url);
        Assert.Equal(2, work.ApproximateNumberOfMessages);
        Assert.Equal(0, work.ApproximateNumberOfMessagesNotVisible);
        Assert.Equal("17", work.Attributes["VisibilityTimeout"]);
        Assert.Equal("true", dump.Queues[0].Attributes["FifoQueue"]);
    }

    [Fact]
    public async Task Dump_round_trips_through_json_and_is_written_atomically()
    {
        await using TestEngine engine = await TestEngine.StartAsync(Ct);
        await engine.Clients.S3.PutBucketAsync("alpha", Ct);
        await engine.Clients.S3.PutObjectAsync(new PutObjectRequest { BucketName = "alpha", Key = "k", ContentBody = "v" }, Ct);
        await engine.Clients.Sqs.CreateQueueAsync("q", Ct);
        KumoStateDump dump = await KumoStateDump.CaptureAsync(engine.Clients.S3, engine.Clients.Sqs, Ct);

        string json = dump.ToJson();
        KumoStateDump back = KumoStateDump.FromJson(json);

        Assert.Contains("\"buckets\"", json, StringComparison.Ordinal);
        Assert.Contains("\"eTag\": \"" + Md5("v") + "\"", json, StringComparison.Ordinal);
        Assert.Equal(dump.Buckets[0].Objects, back.Buckets[0].Objects);
        Assert.Equal(dump.Queues[0].Attributes, back.Queues[0].Attributes);
        Assert.Equal(dump.CapturedAt, back.CapturedAt);

        string dir = Path.Combine(Path.GetTempPath(), "kumo-testing-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            string path = Path.Combine(dir, "state.json");
            await dump.WriteAsync(path, Ct);
            Assert.Equal(json, await File.ReadAllTextAsync(path, Ct));
            Assert.Equal(["state.json"], Directory.GetFiles(dir).Select(Path.GetFileName));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task Dump_of_a_stopped_engine_records_errors_instead_of_throwing()
    {
        TestEngine engine = await TestEngine.StartAsync(Ct);
        using KumoClients clients = KumoClients.Create(engine.Engine.Endpoint, c => c.MaxErrorRetry = 0);
        await engine.DisposeAsync();

        KumoStateDump dump = await KumoStateDump.CaptureAsync(clients.S3, clients.Sqs, Ct);

        Assert.Empty(dump.Buckets);
        Assert.Empty(dump.Queues);
        Assert.Equal(2, dump.Errors.Count);
        Assert.StartsWith("ListBuckets failed", dump.Errors[0], StringComparison.Ordinal);
        Assert.StartsWith("ListQueues failed", dump.Errors[1], StringComparison.Ordinal);
    }

    private static string Md5(string text)
    {
#pragma warning disable CA5351 // S3 ETags are MD5.
        return Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(text)));
#pragma warning restore CA5351
    }
}
