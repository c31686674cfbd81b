using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Amazon.S3.Model;
using Amazon.SQS.Model;
using Kumo.Clients;
using Kumo.Engines;
using Kumo.Seeding;
using Kumo.Snapshots;
using Kumo.Testing;

namespace Kumo.Benchmarks;

/// <summary>
/// One CI shard, as a process: reads its run and shard from the environment like a test run does
/// (<see cref="KumoRunContext.Current"/>), imports the archive into its own store, restores it into its own data dir,
/// starts its own engine, runs a scenario with names carrying its shard id, waits for the other shards of the round,
/// then looks for anything that is not its own.
/// </summary>
internal static class ShardWorker
{
    public const string Verb = "shard-worker";

    /// <summary>The phases a shard reports, in order.</summary>
    public static readonly string[] PhaseNames =
    [
        "import the archive into its own store (verify every file, publish)",
        "restore into its data dir",
        "engine start (to healthy)",
        "scenario (seeded reads, own bucket and queue, markers in the seeded ones)",
        "waiting for the other shards",
        "cross-talk scan",
        "engine stop + snapshot re-validation",
    ];

    private const int Uploads = 50;
    private const int Messages = 30;
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(120);

    public static async Task<int> RunAsync(string engineDll, string archive, string round)
    {
        KumoRunContext context = KumoRunContext.Current;
        string shard = context.Shard ?? throw new InvalidOperationException($"No shard: set {KumoRunContext.ShardIndexVariable} and {KumoRunContext.ShardCountVariable}.");
        string root = Path.Combine(round, shard);
        var phases = new Dictionary<string, double>(StringComparer.Ordinal);
        var crossTalk = new List<string>();
        var watch = Stopwatch.StartNew();
        double Lap()
        {
            double ms = watch.Elapsed.TotalMilliseconds;
            watch.Restart();
            return ms;
        }

        var store = new SnapshotStore(Path.Combine(root, "store"));
        ImportedSnapshotArchive imported = await SnapshotArchive.ImportAsync(store, archive);
        phases[PhaseNames[0]] = Lap();
        RestoredDataDir data = await store.RestoreAsync(imported.Snapshot, Path.Combine(root, "data"));
        phases[PhaseNames[1]] = Lap();
        EngineDefinition engine = EngineDefinition.Embedded(engineDll);
        await using RunningEngine running = await EngineProcess.StartAsync(engine, new EngineStartOptions { DataDir = data.Path, LogFile = Path.Combine(root, "engine.log") });
        phases[PhaseNames[2]] = Lap();

        using KumoClients clients = KumoClients.Create(running.Endpoint);
        string uploads = ResourceNames.Namespaced("uploads", context);
        string work = ResourceNames.Namespaced("work", context);
        await ScenarioAsync(clients, shard, uploads, work);
        phases[PhaseNames[3]] = Lap();

        // Every shard of the round has written before anyone looks.
        await File.WriteAllTextAsync(Path.Combine(round, "written-" + shard), shard);
        int expected = context.ShardCount ?? 1;
        var barrier = Stopwatch.StartNew();
        while (Directory.GetFiles(round, "written-*").Length < expected)
        {
            if (barrier.Elapsed > Bound)
            {
                throw new TimeoutException($"{shard}: the other shards did not write within {Bound.TotalSeconds} s.");
            }

            await Task.Delay(20);
        }

        phases[PhaseNames[4]] = Lap();
        await ScanAsync(clients, shard, uploads, work, crossTalk);
        phases[PhaseNames[5]] = Lap();
        EngineStopResult stop = await running.StopAsync(TimeSpan.FromSeconds(30));
        if (!stop.IsClean)
        {
            crossTalk.Add($"engine did not stop cleanly: {stop.Outcome}");
        }

        try
        {
            await store.ValidateAsync(imported.Snapshot, engine);
        }
        catch (Exception ex) when (ex is SnapshotCorruptException or SnapshotMismatchException)
        {
            crossTalk.Add($"the shard's writes changed its snapshot: {ex.Message}");
        }

        phases[PhaseNames[6]] = Lap();
        Console.WriteLine(JsonSerializer.Serialize(new ShardResult(shard, phases, await DiskKiBAsync(root), crossTalk)));
        return 0;
    }

    private static async Task ScenarioAsync(KumoClients clients, string shard, string uploads, string work)
    {
        for (int i = 0; i < ShardsBenchmark.SeededObjects; i += 4)
        {
            using GetObjectResponse seeded = await clients.S3.GetObjectAsync(ShardsBenchmark.SeededBucket, $"seed/{i:D4}.json");
            string body = await new StreamReader(seeded.ResponseStream).ReadToEndAsync();
            if (!body.StartsWith($"{{\"id\":{i},", StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"{shard}: seeded object {i} reads '{body[..Math.Min(40, body.Length)]}'.");
            }
        }

        await clients.S3.PutBucketAsync(new PutBucketRequest { BucketName = uploads });
        for (int i = 0; i < Uploads; i++)
        {
            await clients.S3.PutObjectAsync(new PutObjectRequest { BucketName = uploads, Key = $"obj-{i:D3}", ContentBody = $"{shard} object {i}" });
        }

        await clients.S3.PutObjectAsync(new PutObjectRequest { BucketName = ShardsBenchmark.SeededBucket, Key = $"markers/{shard}.txt", ContentBody = shard });
        string queue = (await clients.Sqs.CreateQueueAsync(work)).QueueUrl;
        for (int i = 0; i < Messages; i++)
        {
            await clients.Sqs.SendMessageAsync(queue, $"{shard} message {i}");
        }

        int received = 0;
        var clock = Stopwatch.StartNew();
        while (received < Messages && clock.Elapsed < Bound)
        {
            ReceiveMessageResponse batch = await clients.Sqs.ReceiveMessageAsync(new ReceiveMessageRequest { QueueUrl = queue, MaxNumberOfMessages = 10, WaitTimeSeconds = 1 });
            foreach (Message message in batch.Messages ?? [])
            {
                await clients.Sqs.DeleteMessageAsync(queue, message.ReceiptHandle);
                received++;
            }
        }

        if (received != Messages)
        {
            throw new InvalidOperationException($"{shard}: received {received} of {Messages} messages within {Bound.TotalSeconds} s.");
        }

        string seededQueue = (await clients.Sqs.GetQueueUrlAsync(ShardsBenchmark.SeededQueue)).QueueUrl;
        await clients.Sqs.SendMessageAsync(seededQueue, "marker:" + shard);
    }

    private static async Task ScanAsync(KumoClients clients, string shard, string uploads, string work, List<string> crossTalk)
    {
        foreach (string bucket in ((await clients.S3.ListBucketsAsync()).Buckets ?? []).Select(b => b.BucketName))
        {
            if (bucket != ShardsBenchmark.SeededBucket && bucket != uploads)
            {
                crossTalk.Add($"bucket '{bucket}'");
            }
        }

        List<string> keys = await KeysAsync(clients, ShardsBenchmark.SeededBucket);
        crossTalk.AddRange(keys.Where(k => k.StartsWith("markers/", StringComparison.Ordinal) && k != $"markers/{shard}.txt").Select(k => $"object '{k}' in the seeded bucket"));
        int seeded = keys.Count(k => k.StartsWith("seed/", StringComparison.Ordinal));
        if (seeded != ShardsBenchmark.SeededObjects || !keys.Contains($"markers/{shard}.txt"))
        {
            crossTalk.Add($"the seeded bucket holds {seeded} seeded objects (expected {ShardsBenchmark.SeededObjects}) and {(keys.Contains($"markers/{shard}.txt") ? "its" : "not its")} marker");
        }

        List<string> own = await KeysAsync(clients, uploads);
        if (own.Count != Uploads)
        {
            crossTalk.Add($"its bucket holds {own.Count} objects, not {Uploads}");
        }

        foreach (string url in (await clients.Sqs.ListQueuesAsync(new ListQueuesRequest())).QueueUrls ?? [])
        {
            string name = url[(url.LastIndexOf('/') + 1)..];
            if (name != ShardsBenchmark.SeededQueue && name != work)
            {
                crossTalk.Add($"queue '{name}'");
            }
        }

        string seededQueue = (await clients.Sqs.GetQueueUrlAsync(ShardsBenchmark.SeededQueue)).QueueUrl;
        var bodies = new List<string>();
        var clock = Stopwatch.StartNew();
        int empty = 0;
        while (empty < 2 && clock.Elapsed < Bound)
        {
            ReceiveMessageResponse batch = await clients.Sqs.ReceiveMessageAsync(new ReceiveMessageRequest { QueueUrl = seededQueue, MaxNumberOfMessages = 10, VisibilityTimeout = 60 });
            List<Message> messages = batch.Messages ?? [];
            empty = messages.Count == 0 ? empty + 1 : 0;
            bodies.AddRange(messages.Select(m => m.Body));
        }

        crossTalk.AddRange(bodies.Where(b => b.StartsWith("marker:", StringComparison.Ordinal) && b != "marker:" + shard).Select(b => $"message '{b}' on the seeded queue"));
        int seededMessages = bodies.Count(b => b.StartsWith("seeded-", StringComparison.Ordinal));
        if (seededMessages != ShardsBenchmark.SeededMessages || !bodies.Contains("marker:" + shard))
        {
            crossTalk.Add($"the seeded queue gave {seededMessages} seeded messages (expected {ShardsBenchmark.SeededMessages}) and {(bodies.Contains("marker:" + shard) ? "its" : "not its")} marker");
        }
    }

    private static async Task<List<string>> KeysAsync(KumoClients clients, string bucket)
    {
        var keys = new List<string>();
        string? token = null;
        do
        {
            ListObjectsV2Response page = await clients.S3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket, ContinuationToken = token });
            keys.AddRange((page.S3Objects ?? []).Select(o => o.Key));
            token = page.IsTruncated == true ? page.NextContinuationToken : null;
        }
        while (token is not null);
        return keys;
    }

    /// <summary>Disk used by the shard's directory: <c>du -sk</c> (a hard-linked file counted once).</summary>
    private static async Task<double> DiskKiBAsync(string directory)
    {
        var start = new ProcessStartInfo("du") { RedirectStandardOutput = true, UseShellExecute = false };
        start.ArgumentList.Add("-sk");
        start.ArgumentList.Add(directory);
        using Process process = Process.Start(start) ?? throw new InvalidOperationException("du did not start.");
        string output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        return double.Parse(output.Split('\t')[0], CultureInfo.InvariantCulture);
    }
}
