using System.Text;
using Amazon.Runtime;
using Amazon.S3.Model;
using Amazon.SQS.Model;
using Kumo.Clients;

namespace Kumo.Seeding.Tests;

/// <summary>The seeder against a real in-process engine, through real SDK clients over loopback HTTP.</summary>
public sealed class SeederTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Seeds_every_kind_of_object_and_queue_and_verifies_through_the_sdk()
    {
        await using SeedEngine engine = await SeedEngine.StartAsync(Ct);
        using var dir = new TempDir();
        ResolvedSeedPlan plan = SeedManifest.Load(Fixtures.WriteFull(dir)).Resolve(new SeedContext("r1", "w1"));
        var log = new RequestLog();
        using KumoClients clients = engine.NewClients(log);

        SeedReport report = await new KumoSeeder(clients.S3, clients.Sqs).SeedAsync(plan, cancellationToken: Ct);

        Assert.Equal((1, 0, 5, 0, 3, 0, 4), (report.BucketsCreated, report.BucketsExisting, report.ObjectsUploaded, report.ObjectsSkipped, report.QueuesCreated, report.QueuesExisting, report.MessagesSent));
        Assert.Equal(log.Writes.Count, report.WriteRequests);
        Assert.Equal(0, engine.Engine.Compatibility.Total);

        // Objects: bytes, content types, metadata.
        var s3 = engine.Inspector.S3;
        ListObjectsV2Response listing = await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = "orders-r1-w1" }, Ct);
        Assert.Equal(Fixtures.Keys, listing.S3Objects.Select(o => o.Key));
        Assert.Equal("{\"id\":1}", await ReadAsync("orders-r1-w1", "a.json"));
        Assert.Equal("h1 { color: red; }", await ReadAsync("orders-r1-w1", "static/css/site.css"));
        using (GetObjectResponse logo = await s3.GetObjectAsync("orders-r1-w1", "logo.png", Ct))
        {
            using var bytes = new MemoryStream();
            await logo.ResponseStream.CopyToAsync(bytes, Ct);
            Assert.Equal(Enumerable.Range(0, 256).Select(i => (byte)i), bytes.ToArray());
            Assert.Equal("image/png", logo.Headers.ContentType);
        }

        GetObjectMetadataResponse head = await s3.GetObjectMetadataAsync("orders-r1-w1", "a.json", Ct);
        Assert.Equal("application/json", head.Headers.ContentType);
        Assert.Equal("team-a", head.Metadata["owner"]);

        // Queues: attributes, FIFO, redrive to the DLQ's ARN.
        var sqs = engine.Inspector.Sqs;
        string dlqUrl = (await sqs.GetQueueUrlAsync("orders-dlq-w1", Ct)).QueueUrl;
        string dlqArn = (await sqs.GetQueueAttributesAsync(dlqUrl, ["QueueArn"], Ct)).Attributes["QueueArn"];
        string ordersUrl = (await sqs.GetQueueUrlAsync("orders-w1", Ct)).QueueUrl;
        Dictionary<string, string> attributes = (await sqs.GetQueueAttributesAsync(ordersUrl, ["All"], Ct)).Attributes;
        Assert.Equal("30", attributes["VisibilityTimeout"]);
        Assert.Contains(dlqArn, attributes["RedrivePolicy"], StringComparison.Ordinal);
        Assert.Contains("3", attributes["RedrivePolicy"], StringComparison.Ordinal);
        string jobsUrl = (await sqs.GetQueueUrlAsync("jobs-w1.fifo", Ct)).QueueUrl;
        Assert.Equal("true", (await sqs.GetQueueAttributesAsync(jobsUrl, ["FifoQueue"], Ct)).Attributes["FifoQueue"]);

        // Messages, in order, with attributes.
        List<Message> orders = await ReceiveAllAsync(ordersUrl, 2);
        Assert.Equal(["hello", "second"], orders.Select(m => m.Body));
        Assert.Equal("5", orders[1].MessageAttributes["priority"].StringValue);
        Assert.Equal("Number", orders[1].MessageAttributes["priority"].DataType);
        Assert.Equal("a", orders[1].MessageAttributes["tenant"].StringValue);
        List<Message> jobs = await ReceiveAllAsync(jobsUrl, 2);
        Assert.Equal(["j1", "j2"], jobs.Select(m => m.Body));

        async Task<string> ReadAsync(string bucket, string key)
        {
            using GetObjectResponse response = await s3.GetObjectAsync(bucket, key, Ct);
            using var reader = new StreamReader(response.ResponseStream, Encoding.UTF8);
            return await reader.ReadToEndAsync(Ct);
        }

        async Task<List<Message>> ReceiveAllAsync(string url, int expected)
        {
            var received = new List<Message>();
            for (int attempt = 0; attempt < 10 && received.Count < expected; attempt++)
            {
                ReceiveMessageResponse response = await sqs.ReceiveMessageAsync(new ReceiveMessageRequest { QueueUrl = url, MaxNumberOfMessages = 10, MessageAttributeNames = ["All"], WaitTimeSeconds = 1 }, Ct);
                received.AddRange(response.Messages ?? []);
            }

            return received;
        }
    }

    [Fact]
    public async Task Second_run_of_a_finished_seed_sends_zero_write_requests()
    {
        await using SeedEngine engine = await SeedEngine.StartAsync(Ct);
        using var dir = new TempDir();
        for (int i = 0; i < 40; i++)
        {
            dir.Write($"wwwroot/many/file-{i:D2}.txt", $"content {i}");
        }

        ResolvedSeedPlan plan = SeedManifest.Load(Fixtures.WriteFull(dir)).Resolve(new SeedContext("r1", "w1"));
        var log = new RequestLog();
        using KumoClients clients = engine.NewClients(log);
        var seeder = new KumoSeeder(clients.S3, clients.Sqs);

        SeedReport first = await seeder.SeedAsync(plan, cancellationToken: Ct);
        Assert.Equal(45, first.ObjectsUploaded);
        Assert.NotEmpty(log.Writes);

        log.Clear();
        SeedReport second = await seeder.SeedAsync(plan, cancellationToken: Ct);

        Assert.Empty(log.Writes);
        Assert.NotEmpty(log.Reads);
        Assert.All(log.Reads, r => Assert.True(r.Method is "GET" or "HEAD" || r.Service == "sqs", $"unexpected read {r}"));
        Assert.True(second.WasNoOp);
        Assert.Equal((0, 1, 0, 45, 0, 3, 0, 0), (second.BucketsCreated, second.BucketsExisting, second.ObjectsUploaded, second.ObjectsSkipped, second.QueuesCreated, second.QueuesExisting, second.QueuesUpdated, second.MessagesSent));

        // No duplicate messages either.
        string url = (await engine.Inspector.Sqs.GetQueueUrlAsync("orders-w1", Ct)).QueueUrl;
        var counts = (await engine.Inspector.Sqs.GetQueueAttributesAsync(url, ["ApproximateNumberOfMessages"], Ct)).Attributes;
        Assert.Equal("2", counts["ApproximateNumberOfMessages"]);
    }

    [Fact]
    public async Task Only_a_changed_object_is_uploaded_again()
    {
        await using SeedEngine engine = await SeedEngine.StartAsync(Ct);
        using var dir = new TempDir();
        ResolvedSeedPlan plan = SeedManifest.Load(Fixtures.WriteFull(dir)).Resolve(new SeedContext("r1", "w1"));
        var log = new RequestLog();
        using KumoClients clients = engine.NewClients(log);
        var seeder = new KumoSeeder(clients.S3, clients.Sqs);
        await seeder.SeedAsync(plan, cancellationToken: Ct);

        await engine.Inspector.S3.PutObjectAsync(new PutObjectRequest { BucketName = "orders-r1-w1", Key = "static/index.html", ContentBody = "tampered", ContentType = "text/html" }, Ct);
        await engine.Inspector.S3.PutObjectAsync(new PutObjectRequest { BucketName = "orders-r1-w1", Key = "a.json", ContentBody = "{\"id\":1}", ContentType = "text/plain" }, Ct);
        log.Clear();
        SeedReport report = await seeder.SeedAsync(plan, cancellationToken: Ct);

        Assert.Equal(2, report.ObjectsUploaded);
        Assert.Equal(3, report.ObjectsSkipped);
        Assert.Equal(["PUT /orders-r1-w1/a.json", "PUT /orders-r1-w1/static/index.html"], log.Writes.Select(w => $"{w.Method} {w.Operation}").Order(StringComparer.Ordinal));
        Assert.Equal("application/json", (await engine.Inspector.S3.GetObjectMetadataAsync("orders-r1-w1", "a.json", Ct)).Headers.ContentType);
    }

    [Fact]
    public async Task Existing_queue_gets_its_attributes_fixed_but_no_messages()
    {
        await using SeedEngine engine = await SeedEngine.StartAsync(Ct);
        using var dir = new TempDir();
        await engine.Inspector.Sqs.CreateQueueAsync(new CreateQueueRequest("inbox-w1") { Attributes = new() { ["VisibilityTimeout"] = "10" } }, Ct);
        ResolvedSeedPlan plan = SeedManifest.Parse(
            """{ "version": 1, "fixtureVersion": "v1", "queues": [ { "name": "inbox-{worker}", "attributes": { "VisibilityTimeout": 30 }, "messages": [ "m1" ] } ] }""",
            dir.Path).Resolve(new SeedContext("r1", "w1"));
        var log = new RequestLog();
        using KumoClients clients = engine.NewClients(log);

        SeedReport report = await new KumoSeeder(clients.S3, clients.Sqs).SeedAsync(plan, cancellationToken: Ct);

        Assert.Equal((0, 1, 1, 0), (report.QueuesCreated, report.QueuesExisting, report.QueuesUpdated, report.MessagesSent));
        Assert.Equal(["SetQueueAttributes"], log.Writes.Select(w => w.Operation));
        string url = (await engine.Inspector.Sqs.GetQueueUrlAsync("inbox-w1", Ct)).QueueUrl;
        var attributes = (await engine.Inspector.Sqs.GetQueueAttributesAsync(url, ["VisibilityTimeout", "ApproximateNumberOfMessages"], Ct)).Attributes;
        Assert.Equal("30", attributes["VisibilityTimeout"]);
        Assert.Equal("0", attributes["ApproximateNumberOfMessages"]);
    }

    [Fact]
    public async Task Replace_messages_purges_and_sends_again_on_every_run()
    {
        await using SeedEngine engine = await SeedEngine.StartAsync(Ct);
        using var dir = new TempDir();
        ResolvedSeedPlan plan = SeedManifest.Parse(
            """{ "version": 1, "fixtureVersion": "v1", "queues": [ { "name": "events-{worker}", "replaceMessages": true, "messages": [ "e1", "e2", "e3" ] } ] }""",
            dir.Path).Resolve(new SeedContext("r1", "w1"));
        var log = new RequestLog();
        using KumoClients clients = engine.NewClients(log);
        var seeder = new KumoSeeder(clients.S3, clients.Sqs);

        SeedReport first = await seeder.SeedAsync(plan, cancellationToken: Ct);
        log.Clear();
        SeedReport second = await seeder.SeedAsync(plan, cancellationToken: Ct);

        Assert.Equal((3, 0), (first.MessagesSent, first.QueuesPurged));
        Assert.Equal((3, 1), (second.MessagesSent, second.QueuesPurged));
        Assert.Equal(["PurgeQueue", "SendMessageBatch"], log.Writes.Select(w => w.Operation));
        string url = (await engine.Inspector.Sqs.GetQueueUrlAsync("events-w1", Ct)).QueueUrl;
        Assert.Equal("3", (await engine.Inspector.Sqs.GetQueueAttributesAsync(url, ["ApproximateNumberOfMessages"], Ct)).Attributes["ApproximateNumberOfMessages"]);
    }

    [Fact]
    public async Task Four_parallel_workers_on_one_engine_never_see_each_others_data()
    {
        await using SeedEngine engine = await SeedEngine.StartAsync(Ct);
        using var dir = new TempDir();
        SeedPlan plan = SeedManifest.Load(Fixtures.WriteFull(dir));
        string[] workers = ["w0", "w1", "w2", "w3"];

        SeedReport[] reports = await Task.WhenAll(workers.Select(async worker =>
        {
            using KumoClients clients = KumoClients.Create(engine.Endpoint);
            return await new KumoSeeder(clients.S3, clients.Sqs).SeedAsync(plan.Resolve(new SeedContext("shared-run", worker)), new SeedOptions { MaxParallelism = 4 }, Ct);
        }));

        Assert.All(reports, r => Assert.Equal((1, 5, 3, 4), (r.BucketsCreated, r.ObjectsUploaded, r.QueuesCreated, r.MessagesSent)));
        var inventory = await engine.InventoryAsync(Ct);
        Assert.Equal(workers.Select(w => $"orders-shared-run-{w}"), inventory.Buckets);
        Assert.Equal(12, inventory.Queues.Length);
        foreach (string worker in workers)
        {
            ListObjectsV2Response listing = await engine.Inspector.S3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = $"orders-shared-run-{worker}" }, Ct);
            Assert.Equal(Fixtures.Keys, listing.S3Objects.Select(o => o.Key));
            foreach ((string queue, int expected) in new[] { ($"orders-{worker}", 2), ($"jobs-{worker}.fifo", 2), ($"orders-dlq-{worker}", 0) })
            {
                string url = (await engine.Inspector.Sqs.GetQueueUrlAsync(queue, Ct)).QueueUrl;
                string count = (await engine.Inspector.Sqs.GetQueueAttributesAsync(url, ["ApproximateNumberOfMessages"], Ct)).Attributes["ApproximateNumberOfMessages"];
                Assert.True(count == expected.ToString(System.Globalization.CultureInfo.InvariantCulture), $"queue {queue} holds {count} messages, expected {expected}");
            }
        }
    }

    [Fact]
    public async Task Cancelled_before_start_sends_nothing()
    {
        await using SeedEngine engine = await SeedEngine.StartAsync(Ct);
        using var dir = new TempDir();
        ResolvedSeedPlan plan = SeedManifest.Load(Fixtures.WriteFull(dir)).Resolve(new SeedContext("r1", "w1"));
        var log = new RequestLog();
        using KumoClients clients = engine.NewClients(log);
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => new KumoSeeder(clients.S3, clients.Sqs).SeedAsync(plan, cancellationToken: cancelled.Token));

        Assert.Empty(log.All);
        Assert.Empty((await engine.InventoryAsync(Ct)).Buckets);
    }

    [Fact]
    public async Task Cancelled_during_populate_stops_the_run()
    {
        await using SeedEngine engine = await SeedEngine.StartAsync(Ct);
        using var dir = new TempDir();
        for (int i = 0; i < 60; i++)
        {
            dir.Write($"wwwroot/many/file-{i:D2}.txt", $"content {i}");
        }

        ResolvedSeedPlan plan = SeedManifest.Load(Fixtures.WriteFull(dir)).Resolve(new SeedContext("r1", "w1"));
        using KumoClients clients = engine.NewClients(new RequestLog());
        using var cancellation = new CancellationTokenSource();
        var progress = new SynchronousProgress(p =>
        {
            if (p is { Phase: SeedPhase.Populate, Done: 3 })
            {
                cancellation.Cancel();
            }
        });

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            new KumoSeeder(clients.S3, clients.Sqs).SeedAsync(plan, new SeedOptions { MaxParallelism = 2, Progress = progress }, cancellation.Token));

        ListObjectsV2Response listing = await engine.Inspector.S3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = "orders-r1-w1" }, Ct);
        Assert.InRange(listing.S3Objects?.Count ?? 0, 3, 10);
        Assert.DoesNotContain(progress.Seen, p => p.Phase == SeedPhase.Verify);
    }

    [Fact]
    public async Task Progress_and_log_cover_every_phase_and_item()
    {
        await using SeedEngine engine = await SeedEngine.StartAsync(Ct);
        using var dir = new TempDir();
        ResolvedSeedPlan plan = SeedManifest.Load(Fixtures.WriteFull(dir)).Resolve(new SeedContext("r1", "w1"));
        using KumoClients clients = engine.NewClients(new RequestLog());
        var progress = new SynchronousProgress(_ => { });
        var logger = new ListLogger();

        SeedReport report = await new KumoSeeder(clients.S3, clients.Sqs, logger).SeedAsync(plan, new SeedOptions { Progress = progress }, Ct);

        Assert.True(report.Elapsed > TimeSpan.Zero);
        Assert.Contains(logger.Entries, e => e.Message.StartsWith("Seeding 1 bucket(s) with 5 object(s) and 3 queue(s) (run r1, worker w1, fixture v1)", StringComparison.Ordinal));
        Assert.Contains(logger.Entries, e => e.Message.Contains("objects 5 uploaded/0 unchanged", StringComparison.Ordinal) && e.Message.Contains("4 message(s) sent", StringComparison.Ordinal));
        Assert.Contains(logger.Entries, e => e.Message == "Uploaded s3://orders-r1-w1/logo.png (256 bytes)");

        Assert.Equal([SeedPhase.CreateContainers, SeedPhase.Populate, SeedPhase.Verify], progress.Seen.Select(p => p.Phase).Distinct());
        Assert.Contains(progress.Seen, p => p is { Phase: SeedPhase.CreateContainers, Done: 4, Total: 4 });
        Assert.Contains(progress.Seen, p => p is { Phase: SeedPhase.Populate, Done: 7, Total: 7 });
        Assert.Contains(progress.Seen, p => p.Current == "s3://orders-r1-w1/static/css/site.css");
        Assert.Contains(progress.Seen, p => p.Current == "sqs://jobs-w1.fifo");
    }

    [Fact]
    public async Task Verification_failure_names_the_bucket_and_key()
    {
        await using SeedEngine engine = await SeedEngine.StartAsync(Ct);
        using var dir = new TempDir();
        ResolvedSeedPlan plan = SeedManifest.Load(Fixtures.WriteFull(dir)).Resolve(new SeedContext("r1", "w1"));
        using KumoClients clients = engine.NewClients(new RequestLog());
        var sabotage = new SynchronousProgress(p =>
        {
            if (p is { Phase: SeedPhase.Verify, Done: 0 })
            {
                engine.Inspector.S3.DeleteObjectAsync("orders-r1-w1", "logo.png", Ct).GetAwaiter().GetResult();
                engine.Inspector.Sqs.DeleteQueueAsync(engine.Inspector.Sqs.GetQueueUrlAsync("orders-dlq-w1", Ct).GetAwaiter().GetResult().QueueUrl, Ct).GetAwaiter().GetResult();
            }
        });

        SeedVerificationException e = await Assert.ThrowsAsync<SeedVerificationException>(() =>
            new KumoSeeder(clients.S3, clients.Sqs).SeedAsync(plan, new SeedOptions { Progress = sabotage }, Ct));

        Assert.Equal(2, e.Mismatches.Count);
        Assert.Contains("object 'logo.png' is missing from bucket 'orders-r1-w1'", e.Message, StringComparison.Ordinal);
        Assert.Contains("queue 'orders-dlq-w1' is missing", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unreachable_engine_fails_with_the_operation_and_resource()
    {
        SeedEngine engine = await SeedEngine.StartAsync(Ct);
        Uri endpoint = engine.Endpoint;
        await engine.DisposeAsync();
        using var dir = new TempDir();
        ResolvedSeedPlan plan = SeedManifest.Parse("""{ "version": 1, "fixtureVersion": "v1", "buckets": [ { "name": "abc" } ] }""", dir.Path).Resolve(new SeedContext("r", "w"));
        using KumoClients clients = KumoClients.Create(endpoint, c => c.MaxErrorRetry = 0);

        SeedException e = await Assert.ThrowsAsync<SeedException>(() => new KumoSeeder(clients.S3, clients.Sqs).SeedAsync(plan, cancellationToken: Ct));

        Assert.Contains("ListBuckets failed", e.Message, StringComparison.Ordinal);
        Assert.Contains("could not be reached", e.Message, StringComparison.Ordinal);
        Assert.Equal("s3://", e.Resource);
    }

    /// <summary>Calls back on the reporting thread (unlike <see cref="Progress{T}"/>), and keeps everything seen.</summary>
    private sealed class SynchronousProgress(Action<SeedProgress> onReport) : IProgress<SeedProgress>
    {
        private readonly System.Collections.Concurrent.ConcurrentQueue<SeedProgress> _seen = new();

        public IReadOnlyList<SeedProgress> Seen => _seen.ToArray();

        public void Report(SeedProgress value)
        {
            _seen.Enqueue(value);
            onReport(value);
        }
    }
}
