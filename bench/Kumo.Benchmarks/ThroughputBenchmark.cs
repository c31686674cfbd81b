using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Amazon.SQS;
using Amazon.SQS.Model;

namespace Kumo.Benchmarks;

/// <summary>
/// S3 Put/Get of 4 KiB objects and SQS send/receive, at 1 and 8 concurrent clients, against the
/// engine published as a JIT process (the client runs in this process, the server in its own).
/// </summary>
internal static class ThroughputBenchmark
{
    private const int OperationsPerRound = 2000;

    public static async Task RunAsync(string artifacts, int rounds, string output)
    {
        await using EngineProcessHost engine = await EngineProcessHost.StartAsync("dotnet", [Path.Combine(artifacts, "engine-jit", "kumo-embedded.dll")]);
        var credentials = new BasicAWSCredentials("test", "test");
        var s3Config = new AmazonS3Config
        {
            ServiceURL = engine.Endpoint.ToString(),
            ForcePathStyle = true,
            AuthenticationRegion = "us-east-1",
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
        };
        var sqsConfig = new AmazonSQSConfig { ServiceURL = engine.Endpoint.ToString(), AuthenticationRegion = "us-east-1" };
        byte[] body = RandomNumberGenerator.GetBytes(4096);
        var rows = new List<Samples>();

        foreach (int clients in new[] { 1, 8 })
        {
            var put = new Samples($"S3 PutObject 4 KiB, {clients} client(s)", "ops/s");
            var get = new Samples($"S3 GetObject 4 KiB, {clients} client(s)", "ops/s");
            var send = new Samples($"SQS SendMessage, {clients} client(s)", "msgs/s");
            var receive = new Samples($"SQS ReceiveMessage(10)+DeleteMessageBatch, {clients} client(s)", "msgs/s");
            AmazonS3Client[] s3 = [.. Enumerable.Range(0, clients).Select(_ => new AmazonS3Client(credentials, s3Config))];
            AmazonSQSClient[] sqs = [.. Enumerable.Range(0, clients).Select(_ => new AmazonSQSClient(credentials, sqsConfig))];
            for (int round = -1; round < rounds; round++)
            {
                string bucket = $"bench-{clients}-{round + 1}";
                await s3[0].PutBucketAsync(bucket);
                double putRate = await RateAsync(clients, OperationsPerRound, (c, i) =>
                    s3[c].PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = $"k{i}", InputStream = new MemoryStream(body), UseChunkEncoding = false }));
                double getRate = await RateAsync(clients, OperationsPerRound, async (c, i) =>
                {
                    using GetObjectResponse response = await s3[c].GetObjectAsync(bucket, $"k{i}");
                    await response.ResponseStream.CopyToAsync(Stream.Null);
                });

                string queueUrl = (await sqs[0].CreateQueueAsync($"bench-{clients}-{round + 1}")).QueueUrl;
                double sendRate = await RateAsync(clients, OperationsPerRound, (c, i) =>
                    sqs[c].SendMessageAsync(queueUrl, $"message {i.ToString(CultureInfo.InvariantCulture)}"));
                int received = 0;
                var watch = Stopwatch.StartNew();
                await Task.WhenAll(Enumerable.Range(0, clients).Select(async c =>
                {
                    while (Volatile.Read(ref received) < OperationsPerRound)
                    {
                        ReceiveMessageResponse batch = await sqs[c].ReceiveMessageAsync(new ReceiveMessageRequest { QueueUrl = queueUrl, MaxNumberOfMessages = 10, WaitTimeSeconds = 0 });
                        if (batch.Messages is not { Count: > 0 })
                        {
                            continue;
                        }

                        await sqs[c].DeleteMessageBatchAsync(queueUrl, [.. batch.Messages.Select((m, n) => new DeleteMessageBatchRequestEntry(n.ToString(CultureInfo.InvariantCulture), m.ReceiptHandle))]);
                        Interlocked.Add(ref received, batch.Messages.Count);
                    }
                }));
                double receiveRate = received / watch.Elapsed.TotalSeconds;

                if (round >= 0)
                {
                    put.Add(putRate);
                    get.Add(getRate);
                    send.Add(sendRate);
                    receive.Add(receiveRate);
                }
            }

            rows.AddRange([put, get, send, receive]);
            foreach (IDisposable client in s3.Cast<IDisposable>().Concat(sqs))
            {
                client.Dispose();
            }
        }

        var report = new Report("Embedded engine: S3 and SQS throughput");
        report.Table(rows);
        report.Note($"Each round performs {OperationsPerRound} operations split across the clients; the first round of each setting is a discarded warm-up; kumo-safe client settings (no aws-chunked bodies).");
        report.Note("Client and engine share the machine's 2 cores, so the 8-client rows measure contention as much as the engine.");
        report.Save(output);
    }

    /// <summary>Runs <paramref name="operations"/> operations spread over <paramref name="clients"/> concurrent workers; returns operations per second.</summary>
    internal static async Task<double> RateAsync(int clients, int operations, Func<int, int, Task> operation)
    {
        int next = -1;
        var watch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, clients).Select(async c =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < operations)
            {
                await operation(c, i);
            }
        }));
        return operations / watch.Elapsed.TotalSeconds;
    }
}
