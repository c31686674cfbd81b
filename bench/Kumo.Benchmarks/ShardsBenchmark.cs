using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Kumo.Clients;
using Kumo.Engines;
using Kumo.Seeding;
using Kumo.Snapshots;
using Kumo.Testing;

namespace Kumo.Benchmarks;

/// <summary>
/// Sharded CI on one machine: a snapshot is built and exported once; then 1 and N shard processes run at once (the
/// two sizes interleaved), each with <c>KUMO_RUN_ID</c>/<c>KUMO_SHARD_INDEX</c>/<c>KUMO_SHARD_COUNT</c> as a CI would
/// set them, importing the archive into its own store, restoring it into its own data dir, running its own engine and
/// a scenario (<see cref="ShardWorker"/>). Reports wall time per round, each shard's phases, disk used per shard, and
/// cross-talk (names or objects of one shard seen in another's engine; there must be none).
/// </summary>
internal static class ShardsBenchmark
{
    internal const int SeededObjects = 200;
    internal const int SeededMessages = 20;
    internal const string SeededBucket = "orders";
    internal const string SeededQueue = "jobs";

    public static async Task RunAsync(string artifacts, string scratchRoot, int iterations, int shards, string output)
    {
        string loadBefore = BenchDirectory.LoadAverage();
        using var scratch = new BenchDirectory(scratchRoot, "shards");
        string engineDll = Path.Combine(artifacts, "engine-jit", "kumo-embedded.dll");
        EngineDefinition engine = EngineDefinition.Embedded(engineDll);
        SeedPlan plan = new SeedPlanBuilder()
            .FixtureVersion("bench-shards-1")
            .Bucket(SeededBucket, b =>
            {
                for (int i = 0; i < SeededObjects; i++)
                {
                    b.Object($"seed/{i:D4}.json", $"{{\"id\":{i},\"pad\":\"{new string('x', 4000)}\"}}", "application/json");
                }
            })
            .Queue(SeededQueue, q =>
            {
                for (int i = 0; i < SeededMessages; i++)
                {
                    q.Message($"seeded-{i}");
                }
            })
            .Build();
        ResolvedSeedPlan resolved = plan.Resolve(new SeedContext("bench", "0"));

        // The baseline job: build once, export once.
        var build = new Samples("baseline: build the snapshot (engine, seed, stop, hash, publish), once", "ms");
        var export = new Samples("baseline: export it as one archive, once", "ms");
        var store = new SnapshotStore(scratch.Sub("baseline-store"));
        var watch = Stopwatch.StartNew();
        Snapshot snapshot = await store.GetOrBuildAsync(new SnapshotRequest
        {
            PlanHash = await plan.ComputeHashAsync(),
            FixtureVersion = resolved.SnapshotFixtureVersion(),
            Engine = engine,
            Seed = async (endpoint, ct) =>
            {
                using KumoClients clients = KumoClients.Create(endpoint);
                await new KumoSeeder(clients.S3, clients.Sqs).SeedAsync(resolved, cancellationToken: ct);
            },
        });
        build.Add(watch.Elapsed.TotalMilliseconds);
        watch.Restart();
        ExportedSnapshotArchive archive = await SnapshotArchive.ExportAsync(store, snapshot, scratch.Sub("archives"));
        export.Add(watch.Elapsed.TotalMilliseconds);

        var wall = new Dictionary<int, Samples> { [1] = new("wall time, 1 shard", "ms"), [shards] = new($"wall time, {shards} shards at once", "ms") };
        var phases = new Dictionary<string, Samples>(StringComparer.Ordinal);
        var disk = new Samples($"disk used per shard (store with the imported snapshot + data dir after the run; du, hard links counted once), {shards} shards", "KiB");
        int crossTalk = 0;
        int shardRuns = 0;
        var problems = new List<string>();
        for (int i = -1; i < iterations; i++)
        {
            foreach (int count in (i % 2 == 0 ? new[] { 1, shards } : [shards, 1]))
            {
                string round = scratch.Sub($"round-{i + 1}-{count}");
                Directory.CreateDirectory(round);
                watch.Restart();
                ShardResult[] results = await Task.WhenAll(Enumerable.Range(1, count).Select(shard => RunShardAsync(engineDll, archive.Path, round, $"bench-{i + 1}-{count}", shard, count)));
                double elapsed = watch.Elapsed.TotalMilliseconds;
                if (i < 0)
                {
                    continue; // warm-up
                }

                wall[count].Add(elapsed);
                foreach (ShardResult result in results)
                {
                    shardRuns++;
                    crossTalk += result.CrossTalk.Count;
                    problems.AddRange(result.CrossTalk.Select(c => $"round {i + 1}, {result.Shard}: {c}"));
                    if (count == shards)
                    {
                        disk.Add(result.DiskKiB);
                    }

                    foreach ((string name, double ms) in result.Phases)
                    {
                        string label = count == 1 ? $"1 shard alone: {name}" : $"per shard, {count} at once: {name}";
                        if (!phases.TryGetValue(label, out Samples? samples))
                        {
                            phases[label] = samples = new Samples(label, "ms");
                        }

                        samples.Add(ms);
                    }
                }

                BenchDirectory.Remove(round);
            }
        }

        var report = new Report($"Shards: {shards} CI shards at once on one machine, each importing the exported snapshot into its own store and engine");
        // Each phase for 1 shard alone, then for N at once, side by side.
        report.Table([build, export, wall[1], wall[shards], .. phases.Values.OrderBy(p => PhaseOrder(p.Name)).ThenBy(p => p.Name.StartsWith("1 shard", StringComparison.Ordinal) ? 0 : 1), disk]);
        report.Note(string.Create(CultureInfo.InvariantCulture, $"Snapshot: {snapshot.Manifest.Files.Count} files, {snapshot.Manifest.TotalBytes / 1024.0:0} KiB ({SeededObjects} objects of ~4 KiB, {SeededMessages} messages); archive {new FileInfo(archive.Path).Length / 1024.0:0} KiB, named {Path.GetFileName(archive.Path)}."));
        report.Note(string.Create(CultureInfo.InvariantCulture, $"Cross-talk: **{crossTalk}** in {shardRuns} shard runs ({iterations} rounds of 1 and of {shards} shards, interleaved, after a discarded warm-up round). Each shard writes names and objects carrying its shard id (worker shard-i-of-n from KUMO_SHARD_INDEX/KUMO_SHARD_COUNT), waits until every shard of the round has written, then lists every bucket, object and queue of its engine and drains the seeded queue: anything of another shard, a missing or extra seeded object or message, or a snapshot changed by the shard's writes counts as cross-talk."));
        foreach (string problem in problems.Take(10))
        {
            report.Note("cross-talk: " + problem);
        }

        report.Note($"Each shard is a separate process (this benchmark's `shard-worker`), engine `{engineDll}` (JIT) as a child process of the shard, scratch on {BenchDirectory.FileSystemOf(scratch.Path)}. Load average before: {loadBefore}; after: {BenchDirectory.LoadAverage()}.");
        report.Note("The per-shard phases overlap across shards: with more shards than cores they stretch; the wall-time rows compare 1 and N shards side by side.");
        report.Save(output);
        if (crossTalk > 0)
        {
            throw new InvalidOperationException($"{crossTalk} cross-talk finding(s); see {output}.");
        }
    }

    private static int PhaseOrder(string label) => Array.FindIndex(ShardWorker.PhaseNames, label.EndsWith);

    private static async Task<ShardResult> RunShardAsync(string engineDll, string archive, string round, string runId, int shard, int count)
    {
        var start = new ProcessStartInfo(Environment.ProcessPath!) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(typeof(ShardsBenchmark).Assembly.Location);
        foreach (string arg in new[] { ShardWorker.Verb, engineDll, archive, round })
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment[KumoRunContext.RunIdVariable] = runId;
        start.Environment[KumoRunContext.ShardIndexVariable] = shard.ToString(CultureInfo.InvariantCulture);
        if (count > 1)
        {
            // A count of 1 means "not sharded" to KumoRunContext; the lone shard is then shard-1.
            start.Environment[KumoRunContext.ShardCountVariable] = count.ToString(CultureInfo.InvariantCulture);
        }
        else
        {
            start.Environment.Remove(KumoRunContext.ShardCountVariable);
        }

        start.Environment.Remove(KumoRunContext.WorkerIdVariable);
        using Process process = Process.Start(start) ?? throw new InvalidOperationException("The shard worker did not start.");
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(deadline.Token);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"Shard {shard}/{count} exited with {process.ExitCode}: {await stderr}");
        }

        string line = (await stdout).Split('\n', StringSplitOptions.RemoveEmptyEntries).Last();
        return JsonSerializer.Deserialize<ShardResult>(line) ?? throw new InvalidOperationException($"Shard {shard}/{count} printed no result: {line}");
    }
}
