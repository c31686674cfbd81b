using System.Diagnostics;
using Amazon.S3;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Kumo.Aspire.Hosting.Testing;
using Kumo.Seeding;
using Kumo.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Kumo.Benchmarks;

/// <summary>
/// From a test's start to the first S3 answer on a seeded kumo, the three ways a test gets one, alternated round by round
/// in one process: <c>DistributedApplicationTestingBuilder</c> with the embedded engine under DCP, (a) restoring a
/// snapshot (<c>WithSnapshot</c>, built once before the rounds) and (b) seeding at every start; and (c) the plain xunit
/// <see cref="KumoFixture"/> (snapshot built once, restored per fixture, engine per fixture). Where the time goes is read
/// from the resource's published states: DCP start (StartAsync until kumo is Starting), restore, engine start (until
/// Running and healthy), seed.
/// </summary>
internal static class FirstAnswerBenchmark
{
    private const int Objects = 200;

    public static async Task RunAsync(string scratchRoot, int iterations, string output)
    {
        string loadBefore = BenchDirectory.LoadAverage();
        using var scratch = new BenchDirectory(scratchRoot, "first-answer");
        string engine = typeof(Kumo.Embedded.KumoEngine).Assembly.Location;
        string store = scratch.Sub("snapshots");

        var restoreTotal = new Samples("Aspire + DCP, WithSnapshot (restore): test start → first S3 answer", "ms");
        var restoreDcp = new Samples("  restore: build + StartAsync until kumo is Starting (DCP start)", "ms");
        var restoreRestore = new Samples("  restore: snapshot restore (Restoring → restored)", "ms");
        var restoreEngine = new Samples("  restore: engine start (Starting → healthy)", "ms");
        var reseedTotal = new Samples("Aspire + DCP, seed at start: test start → first S3 answer", "ms");
        var reseedDcp = new Samples("  reseed: build + StartAsync until kumo is Starting (DCP start)", "ms");
        var reseedEngine = new Samples("  reseed: engine start (Starting → healthy)", "ms");
        var reseedSeed = new Samples("  reseed: seeding (Seeding → Seeded)", "ms");
        var fixtureTotal = new Samples("KumoFixture (no Aspire): test start → first S3 answer", "ms");
        var fixtureStart = new Samples("  fixture: InitializeAsync (snapshot restore + engine process start)", "ms");

        // The snapshot of (a) and of (c) is built once, outside the measured rounds, as in a warm CI cache.
        await AspireRoundAsync(engine, store, withSnapshot: true);
        await FixtureRoundAsync(scratch.Path);

        for (int round = 0; round < iterations; round++)
        {
            var a = await AspireRoundAsync(engine, store, withSnapshot: true);
            restoreTotal.Add(a.Total); restoreDcp.Add(a.Dcp); restoreRestore.Add(a.Restore); restoreEngine.Add(a.Engine);
            var b = await AspireRoundAsync(engine, store, withSnapshot: false);
            reseedTotal.Add(b.Total); reseedDcp.Add(b.Dcp); reseedEngine.Add(b.Engine); reseedSeed.Add(b.Seed);
            var c = await FixtureRoundAsync(scratch.Path);
            fixtureTotal.Add(c.Total); fixtureStart.Add(c.Start);
            Console.WriteLine($"round {round + 1}/{iterations}: restore {a.Total:0} ms, reseed {b.Total:0} ms, fixture {c.Total:0} ms");
        }

        var report = new Report("Time to the first S3 answer on a seeded kumo");
        report.Table([restoreTotal, restoreDcp, restoreRestore, restoreEngine, reseedTotal, reseedDcp, reseedEngine, reseedSeed, fixtureTotal, fixtureStart]);
        report.Note($"Seed: 1 bucket of {Objects} × 1 KiB objects and 1 queue of 10 messages. {iterations} rounds, each running the three ways in turn in one process (medians of the rounds); the snapshots were built once before the first round.");
        report.Note($"Ratios of medians: Aspire restore / Aspire reseed = {restoreTotal.Median / reseedTotal.Median:0.00}×; KumoFixture / Aspire restore = {fixtureTotal.Median / restoreTotal.Median:0.00}×.");
        report.Note("Phases come from the kumo resource's published states (ResourceNotificationService), so they add up to a little less than the total (the first S3 request and event delivery are the rest).");
        report.Note($"Machine: {Environment.ProcessorCount} cores; load average before: {loadBefore}, after: {BenchDirectory.LoadAverage()}. Embedded engine as a JIT process (the Release build next to this program); DCP 13.6.5; no dashboard (DistributedApplicationTestingBuilder's default).");
        report.Save(output);
        Console.WriteLine($"Wrote {output}");
    }

    private static void Seed(SeedPlanBuilder plan) =>
        plan.FixtureVersion("first-answer-1")
            .Bucket("orders-{worker}", b =>
            {
                for (int i = 0; i < Objects; i++)
                {
                    b.Object($"o/{i:D4}.json", new string('x', 1024));
                }
            })
            .Queue("jobs-{worker}", q =>
            {
                for (int i = 0; i < 10; i++)
                {
                    q.Message($"job-{i}");
                }
            });

    private static async Task<(double Total, double Dcp, double Restore, double Engine, double Seed)> AspireRoundAsync(string engine, string store, bool withSnapshot)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var ct = timeout.Token;
        var watch = Stopwatch.StartNew();
        await using var builder = DistributedApplicationTestingBuilder.Create();
        // Resource logs are forwarded to the console by default; measured rounds keep only warnings.
        builder.Services.AddLogging(logging => logging.AddFilter((_, level) => level >= LogLevel.Warning));
        builder.WithKumoRunContext(new KumoRunContext("bench", withSnapshot ? "restore" : "reseed"));
        var kumo = builder.AddKumoEmbedded("kumo", enginePath: engine).WithSeed(Seed);
        if (withSnapshot)
        {
            kumo.WithSnapshot(store);
        }

        await using var app = await builder.BuildAsync(ct);
        var phases = new PhaseClock(watch);
        using var watching = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var watcher = phases.WatchAsync(app, watching.Token);
        await app.StartAsync(ct);
        await app.WaitForKumoSeededAsync("kumo", ct);
        using IAmazonS3 s3 = app.CreateKumoS3Client("kumo");
        using var answer = await s3.GetObjectAsync($"orders-{(withSnapshot ? "restore" : "reseed")}", "o/0000.json", ct);
        double total = watch.Elapsed.TotalMilliseconds;
        await watching.CancelAsync();
        await watcher;
        await app.StopAsync(ct);
        return (total, phases.At("Starting"), phases.Between("Restoring", "Restored-end"), phases.Between("Starting", "Healthy"), phases.Between("Seeding", "Seeded"));
    }

    private static async Task<(double Total, double Start)> FixtureRoundAsync(string root)
    {
        var watch = Stopwatch.StartNew();
        await using var fixture = new BenchFixture(root);
        await fixture.InitializeAsync();
        double start = watch.Elapsed.TotalMilliseconds;
        using var answer = await fixture.S3.GetObjectAsync(fixture.Names["orders-{worker}"], "o/0000.json");
        return (watch.Elapsed.TotalMilliseconds, start);
    }

    /// <summary>A plain xunit fixture, as a test project would declare it, with its snapshots under the bench's scratch folder.</summary>
    private sealed class BenchFixture(string root) : KumoFixture(Seed)
    {
        protected override string GetSnapshotDirectory() => Path.Combine(root, "fixture-snapshots");

        protected override KumoRunContext CreateRunContext() => new("bench", "fixture");
    }

    /// <summary>When the kumo resource first entered each state, from the published snapshots.</summary>
    private sealed class PhaseClock(Stopwatch watch)
    {
        private readonly Dictionary<string, double> _first = [];

        public async Task WatchAsync(DistributedApplication app, CancellationToken cancellationToken)
        {
            try
            {
                await foreach (var update in app.ResourceNotifications.WatchAsync(cancellationToken))
                {
                    if (update.Resource.Name != "kumo")
                    {
                        continue;
                    }

                    double now = watch.Elapsed.TotalMilliseconds;
                    var snapshot = update.Snapshot;
                    Mark(snapshot.State?.Text, now);
                    if (snapshot.HealthStatus == Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Healthy)
                    {
                        Mark("Healthy", now);
                    }

                    var seed = snapshot.Properties.FirstOrDefault(p => p.Name == "kumo.seed")?.Value?.ToString();
                    if (_first.ContainsKey("Restoring") && seed is not null && seed != "Restoring")
                    {
                        Mark("Restored-end", now);
                    }

                    Mark(seed, now);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
            }
        }

        public double At(string state) => _first.TryGetValue(state, out var at) ? at : double.NaN;

        public double Between(string from, string to) => At(to) - At(from);

        private void Mark(string? state, double now)
        {
            if (state is not null)
            {
                _first.TryAdd(state, now);
            }
        }
    }
}
