using System.Text;
using Amazon.S3;
using Amazon.S3.Model;
using Amazon.SQS;
using Amazon.SQS.Model;
using Kumo.Engines;
using Kumo.Testing;

namespace Kumo.Embedded.Tests.Persistence;

/// <summary>
/// The engine as a real process: state survives SIGTERM (final checkpoint) and kill -9 (journal),
/// each verified by a fresh process on the same data directory.
/// </summary>
public sealed class ProcessRestartTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static Task<RunningEngine> StartAsync(string dataDir, string flushIntervalMs) =>
        EngineProcess.StartAsync(
            EngineDefinition.Embedded(Path.Combine(AppContext.BaseDirectory, "kumo-embedded.dll")),
            new EngineStartOptions { DataDir = dataDir, Environment = new Dictionary<string, string?> { ["KUMO_PERSIST_FLUSH_INTERVAL_MS"] = flushIntervalMs } },
            Ct);

    private static async Task WriteStateAsync(Uri endpoint)
    {
        using var s3 = new AmazonS3Client(TestEngine.Credentials, TestEngine.S3Config(endpoint));
        using var sqs = new AmazonSQSClient(TestEngine.Credentials, TestEngine.SqsConfig(endpoint));
        await s3.PutBucketAsync("durable", Ct);
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = "durable", Key = "k", ContentBody = "survives", UseChunkEncoding = false }, Ct);
        string queueUrl = (await sqs.CreateQueueAsync("durable-queue", Ct)).QueueUrl;
        await sqs.SendMessageAsync(queueUrl, "queued", Ct);
    }

    private static async Task AssertStateAsync(Uri endpoint)
    {
        using var s3 = new AmazonS3Client(TestEngine.Credentials, TestEngine.S3Config(endpoint));
        using var sqs = new AmazonSQSClient(TestEngine.Credentials, TestEngine.SqsConfig(endpoint));
        using GetObjectResponse got = await s3.GetObjectAsync("durable", "k", Ct);
        using var reader = new StreamReader(got.ResponseStream);
        Assert.Equal("survives", await reader.ReadToEndAsync(Ct));
        string queueUrl = (await sqs.GetQueueUrlAsync("durable-queue", Ct)).QueueUrl;
        ReceiveMessageResponse received = await sqs.ReceiveMessageAsync(new ReceiveMessageRequest { QueueUrl = queueUrl, WaitTimeSeconds = 0 }, Ct);
        Assert.Equal("queued", Assert.Single(received.Messages).Body);
    }

    [Fact]
    public async Task Sigterm_flushes_state_that_the_periodic_flush_has_not_written_yet()
    {
        string dataDir = TestEngine.NewDataDir();
        await using (RunningEngine first = await StartAsync(dataDir, flushIntervalMs: "600000"))
        {
            await WriteStateAsync(first.Endpoint);
            Assert.False(File.Exists(Path.Combine(dataDir, "s3.json")), "with a 10-minute interval nothing should be flushed before SIGTERM");

            EngineStopResult stop = await first.StopAsync(TimeSpan.FromSeconds(20), Ct);

            Assert.True(stop.IsClean, $"expected a clean SIGTERM exit, got {stop}");
        }

        await using RunningEngine second = await StartAsync(dataDir, flushIntervalMs: "600000");
        await AssertStateAsync(second.Endpoint);
    }

    [Fact]
    public async Task Kill_9_keeps_every_acknowledged_write_once_the_journal_has_it()
    {
        string dataDir = TestEngine.NewDataDir();
        await using (RunningEngine first = await StartAsync(dataDir, flushIntervalMs: "1000"))
        {
            await WriteStateAsync(first.Endpoint);

            // The journals hold the writes within one interval (in practice at once); no checkpoint is needed.
            await Eventually.UntilAsync(
                _ => Task.FromResult(FlushedState.Read(dataDir)),
                state => state.S3 && state.Sqs,
                TimeSpan.FromSeconds(5),
                TimeSpan.FromMilliseconds(50),
                "the s3 journal to name bucket 'durable' and the sqs journal to hold message 'queued' (flush interval 1 s)",
                Ct);

            first.Kill();
            Assert.NotEqual(0, await first.WaitForExitAsync(Ct));
        }

        await using RunningEngine second = await StartAsync(dataDir, flushIntervalMs: "1000");
        await AssertStateAsync(second.Endpoint);
    }

    [Fact]
    public async Task Kill_9_while_a_segment_is_compacted_keeps_every_live_body_whole()
    {
        // 600 bodies of 60 KiB fill one 32 MiB segment and start a second; deleting two of every three leaves the
        // first a third live, so it is compacted in the background right after the delete: the kill lands then.
        string dataDir = TestEngine.NewDataDir();
        var environment = new Dictionary<string, string?> { [Kumo.Contract.KumoEnvironment.Durability] = "sync" };
        byte[] Body(int i)
        {
            byte[] body = new byte[60 * 1024];
            new Random(i).NextBytes(body);
            return body;
        }

        EngineDefinition definition = EngineDefinition.Embedded(Path.Combine(AppContext.BaseDirectory, "kumo-embedded.dll"));
        await using (RunningEngine first = await EngineProcess.StartAsync(definition, new EngineStartOptions { DataDir = dataDir, Environment = environment }, Ct))
        {
            using var s3 = new AmazonS3Client(TestEngine.Credentials, TestEngine.S3Config(first.Endpoint));
            await s3.PutBucketAsync("compact", Ct);
            await Parallel.ForEachAsync(Enumerable.Range(0, 600), new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = Ct }, async (i, ct) =>
                await s3.PutObjectAsync(new PutObjectRequest { BucketName = "compact", Key = $"k{i:D3}", InputStream = new MemoryStream(Body(i)), UseChunkEncoding = false }, ct));
            await s3.DeleteObjectsAsync(new DeleteObjectsRequest { BucketName = "compact", Objects = [.. Enumerable.Range(0, 600).Where(i => i % 3 != 0).Select(i => new KeyVersion { Key = $"k{i:D3}" })] }, Ct);

            first.Kill();
            Assert.NotEqual(0, await first.WaitForExitAsync(Ct));
        }

        await using RunningEngine second = await EngineProcess.StartAsync(definition, new EngineStartOptions { DataDir = dataDir, Environment = environment }, Ct);
        using var again = new AmazonS3Client(TestEngine.Credentials, TestEngine.S3Config(second.Endpoint));
        ListObjectsV2Response list = await again.ListObjectsV2Async(new ListObjectsV2Request { BucketName = "compact" }, Ct);
        Assert.Equal(Enumerable.Range(0, 600).Where(i => i % 3 == 0).Select(i => $"k{i:D3}"), list.S3Objects.Select(o => o.Key));
        for (int i = 0; i < 600; i += 3)
        {
            using GetObjectResponse got = await again.GetObjectAsync("compact", $"k{i:D3}", Ct);
            using var copy = new MemoryStream();
            await got.ResponseStream.CopyToAsync(copy, Ct);
            Assert.True(Body(i).AsSpan().SequenceEqual(copy.ToArray()), $"k{i:D3} differs after the restart");
        }
    }

    /// <summary>What the journals hold so far (its ToString is the timeout message's "last value").</summary>
    private sealed record FlushedState(bool S3, bool Sqs, string Files)
    {
        public static FlushedState Read(string dataDir) => new(
            Directory.GetFiles(dataDir, "s3-journal-*").Any(f => Contains(f, "durable")),
            Directory.GetFiles(dataDir, "sqs-journal-*").Any(f => Contains(f, "queued")),
            string.Join(", ", Directory.GetFiles(dataDir).Select(Path.GetFileName)));
    }

    private static bool Contains(string path, string text)
    {
        try
        {
            return File.Exists(path) && File.ReadAllText(path, Encoding.UTF8).Contains(text, StringComparison.Ordinal);
        }
        catch (IOException)
        {
            return false;
        }
    }
}
