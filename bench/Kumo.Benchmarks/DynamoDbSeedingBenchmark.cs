using System.Diagnostics;
using System.Globalization;
using Amazon.DynamoDBv2.Model;
using Kumo.Clients;
using Kumo.Engines;
using Kumo.Seeding;
using Kumo.Snapshots;

namespace Kumo.Benchmarks;

/// <summary>
/// A table of 10,000 items (a JSON Lines file in the seed plan): seeding it through the API into a fresh engine
/// against restoring a snapshot that holds it, alternating in one run; each candidate ends with the engine
/// serving the table (its item count checked).
/// </summary>
internal static class DynamoDbSeedingBenchmark
{
    private const int ItemCount = 10_000;
    private const string TableName = "bench-items";

    public static async Task RunAsync(string artifacts, string scratchRoot, int iterations, string output)
    {
        string loadBefore = BenchDirectory.LoadAverage();
        using var scratch = new BenchDirectory(scratchRoot, "dynamodb-seeding");
        await File.WriteAllLinesAsync(
            scratch.Sub("items.jsonl"),
            Enumerable.Range(0, ItemCount).Select(i => string.Create(
                CultureInfo.InvariantCulture,
                $$"""{"tenant":"t-{{i % 10}}","id":"item-{{i:D5}}","total":{{i * 3}},"status":"{{(i % 3 == 0 ? "open" : "closed")}}","lines":[{"sku":"sku-{{i % 97}}","qty":{{1 + (i % 5)}}}]}""")));
        SeedPlan plan = new SeedPlanBuilder(scratch.Path)
            .FixtureVersion("bench-dynamodb-1")
            .Table(TableName, "tenant", t => t.RangeKey("id").ItemsFromFile("items.jsonl", jsonLines: true))
            .Build();
        ResolvedSeedPlan resolved = plan.Resolve(new SeedContext("bench", "0"));
        string engineDll = Path.Combine(artifacts, "engine-jit", "kumo-embedded.dll");
        EngineDefinition engine = EngineDefinition.Embedded(engineDll);

        var store = new SnapshotStore(scratch.Sub("store"));
        var build = new Samples("snapshot build, once (engine start, seed, stop, hash, publish)", "ms");
        var buildWatch = Stopwatch.StartNew();
        SnapshotRequest request = await PlanSnapshots.CreateRequestAsync([resolved], engine);
        Snapshot snapshot = await store.GetOrBuildAsync(request);
        build.Add(buildWatch.Elapsed.TotalMilliseconds);

        var seed = new Samples($"seed {ItemCount:N0} items through the API (KumoSeeder, engine already started)", "ms");
        var seedEndToEnd = new Samples("engine start on an empty dir + seed", "ms");
        var restore = new Samples("SnapshotStore.RestoreAsync (HardLink)", "ms");
        var restoreEndToEnd = new Samples("RestoreAsync + engine start on the restored dir", "ms");
        for (int i = -1; i < iterations; i++)
        {
            // Alternate the order so drift affects both alike; the first round is a discarded warm-up.
            bool seedFirst = i % 2 == 0;
            for (int step = 0; step < 2; step++)
            {
                string dataDir = scratch.Sub($"round-{i + 1}-{step}");
                if (step == 0 == seedFirst)
                {
                    Directory.CreateDirectory(dataDir);
                    var watch = Stopwatch.StartNew();
                    await using EngineProcessHost host = await EngineProcessHost.StartAsync("dotnet", [engineDll], dataDir);
                    double started = watch.Elapsed.TotalMilliseconds;
                    using KumoClients clients = KumoClients.Create(host.Endpoint);
                    SeedReport seeded = await new KumoSeeder(clients).SeedAsync(resolved);
                    double total = watch.Elapsed.TotalMilliseconds;
                    if (seeded.ItemsWritten != ItemCount)
                    {
                        throw new InvalidOperationException($"The seed wrote {seeded.ItemsWritten} items, expected {ItemCount}: {seeded}");
                    }

                    await CheckCountAsync(clients);
                    if (i >= 0)
                    {
                        seed.Add(total - started);
                        seedEndToEnd.Add(total);
                    }
                }
                else
                {
                    var watch = Stopwatch.StartNew();
                    await store.RestoreAsync(snapshot, dataDir, RestoreMode.HardLink);
                    double restored = watch.Elapsed.TotalMilliseconds;
                    await using EngineProcessHost host = await EngineProcessHost.StartAsync("dotnet", [engineDll], dataDir);
                    double total = watch.Elapsed.TotalMilliseconds;
                    using KumoClients clients = KumoClients.Create(host.Endpoint);
                    await CheckCountAsync(clients);
                    if (i >= 0)
                    {
                        restore.Add(restored);
                        restoreEndToEnd.Add(total);
                    }
                }
            }
        }

        var report = new Report($"DynamoDB seeding: {ItemCount:N0} items — seeding through the API vs restoring a snapshot");
        report.Table([seed, seedEndToEnd, restore, restoreEndToEnd, build]);
        report.Note(string.Create(CultureInfo.InvariantCulture, $"end to end, (engine start + seed) / (restore + engine start) (medians): **{seedEndToEnd.Median / restoreEndToEnd.Median:0.0}×**."));
        report.Note(string.Create(CultureInfo.InvariantCulture, $"seed alone / restore alone (medians): **{seed.Median / restore.Median:0}×**."));
        report.Note(string.Create(CultureInfo.InvariantCulture, $"{iterations} alternating rounds after one discarded warm-up; every candidate ends with a COUNT scan of the table ({ItemCount:N0} items checked). Items: a tenant hash key (10 tenants), an id range key, a number, a string and a nested list of maps; seeder defaults (MaxParallelism {SeedOptions.DefaultMaxParallelism}). Engine: JIT process, data dir on {BenchDirectory.FileSystemOf(scratch.Path)}."));
        report.Note($"Load average (1/5/15 min) before the run: {loadBefore}; at its end: {BenchDirectory.LoadAverage()} (the machine is shared with other builds, so only the ratios count).");
        report.Save(output);
    }

    private static async Task CheckCountAsync(KumoClients clients)
    {
        int count = 0;
        Dictionary<string, AttributeValue>? start = null;
        do
        {
            ScanResponse page = await clients.DynamoDB.ScanAsync(new ScanRequest { TableName = TableName, Select = Amazon.DynamoDBv2.Select.COUNT, ExclusiveStartKey = start });
            count += page.Count ?? 0;
            start = page.LastEvaluatedKey is { Count: > 0 } last ? last : null;
        }
        while (start is not null);

        if (count != ItemCount)
        {
            throw new InvalidOperationException($"The engine serves {count} items in '{TableName}', expected {ItemCount}.");
        }
    }
}
