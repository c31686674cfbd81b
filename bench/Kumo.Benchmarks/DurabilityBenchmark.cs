using System.Diagnostics;
using System.Globalization;
using System.Net;
using Kumo.Contract;
using Kumo.DurabilityProbe;
using Kumo.Engines;

namespace Kumo.Benchmarks;

/// <summary>
/// The durability soak and the cost of each durability mode, side by side in one run: the engine
/// before the journal (whole-file rewrites every interval), the journal in flush mode, and in sync mode.
/// </summary>
/// <remarks>
/// Cost: each engine starts on a data directory preloaded with <c>objects</c> objects; rounds rotate
/// through the engines (before, flush, sync, before, …) so background load hits them alike. A round
/// measures PUT 4 KiB throughput with 8 clients and the latency of each PUT of one client.
/// Soak: <see cref="KillProbe"/> with <c>kills</c> SIGKILLs per mode at <c>objects</c>+ objects; the
/// old engine gets a few rounds against the same 1 s promise, to show what the journal fixed.
/// </remarks>
internal static class DurabilityBenchmark
{
    private const int ThroughputOperations = 1000;
    private const int LatencyOperations = 300;
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    public static async Task RunAsync(string artifacts, string scratch, int rounds, int kills, int objects, string costOutput, string soakOutput)
    {
        string current = Path.Combine(artifacts, "engine-jit", "kumo-embedded.dll");
        string before = Path.Combine(artifacts, "engine-before", "kumo-embedded.dll");
        (string Name, string Path, string Durability)[] engines =
        [
            ("before (whole-file rewrite every 1 s)", before, "flush"),
            ("journal, KUMO_DURABILITY=flush", current, "flush"),
            ("journal, KUMO_DURABILITY=sync", current, "sync"),
        ];

        await CostAsync(engines, scratch, rounds, objects, costOutput).ConfigureAwait(false);
        await SoakAsync(engines, scratch, kills, objects, soakOutput).ConfigureAwait(false);
    }

    private static async Task CostAsync((string Name, string Path, string Durability)[] engines, string scratch, int rounds, int objects, string output)
    {
        var running = new List<RunningEngine>();
        var throughput = engines.Select(e => new Samples($"PutObject 4 KiB, 8 clients — {e.Name}", "ops/s")).ToArray();
        var latency = engines.Select(e => new Samples($"PutObject 4 KiB latency, 1 client — {e.Name}", "ms")).ToArray();
        byte[] body = new byte[4096];
        Random.Shared.NextBytes(body);
        try
        {
            foreach ((string name, string path, string durability) in engines)
            {
                string dataDir = Path.Combine(scratch, "kumo-bench-durability", Guid.NewGuid().ToString("N"));
                RunningEngine engine = await StartAsync(path, dataDir, durability).ConfigureAwait(false);
                running.Add(engine);
                using HttpClient client = Client(engine.Endpoint);
                (await client.PutAsync("/bench", null).ConfigureAwait(false)).EnsureSuccessStatusCode();
                await ParallelPutsAsync(client, "pre/", objects, 16, new byte[64]).ConfigureAwait(false);
                Console.Error.WriteLine($"  {name}: preloaded {objects} objects");
            }

            for (int round = -1; round < rounds; round++)
            {
                for (int e = 0; e < engines.Length; e++)
                {
                    using HttpClient client = Client(running[e].Endpoint);
                    var watch = Stopwatch.StartNew();
                    await ParallelPutsAsync(client, $"t{round + 1}/", ThroughputOperations, 8, body).ConfigureAwait(false);
                    double rate = ThroughputOperations / watch.Elapsed.TotalSeconds;
                    var latencies = new List<double>(LatencyOperations);
                    for (int i = 0; i < LatencyOperations; i++)
                    {
                        long started = Stopwatch.GetTimestamp();
                        using var content = new ByteArrayContent(body);
                        using HttpResponseMessage response = await client.PutAsync($"/bench/l{round + 1}/{i}", content).ConfigureAwait(false);
                        response.EnsureSuccessStatusCode();
                        latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                    }

                    if (round >= 0)
                    {
                        throughput[e].Add(rate);
                        latencies.ForEach(latency[e].Add);
                    }
                }
            }
        }
        finally
        {
            foreach (RunningEngine engine in running)
            {
                await engine.DisposeAsync().ConfigureAwait(false);
            }
        }

        var report = new Report("Durability modes: cost (throughput and latency), side by side");
        report.Table(throughput);
        report.LatencyTable(latency);
        report.Note(string.Create(CultureInfo.InvariantCulture, $"Each engine runs as a JIT process on its own data directory preloaded with {objects} objects (64 B); {rounds} measured rounds (after a discarded warm-up) rotate through the engines, so background load hits them alike."));
        report.Note(string.Create(CultureInfo.InvariantCulture, $"A round: {ThroughputOperations} PUTs of 4 KiB from 8 concurrent HTTP clients (throughput), then {LatencyOperations} sequential PUTs from one client (each latency is a sample; p99 over all rounds)."));
        report.Note("'before' is the engine at commit bf3daf2 (state rewritten whole every flush interval), published by bench/run.sh durability; flush and sync are this commit's journal. In sync mode every acknowledgement waits for the fsync of its group.");
        for (int e = 1; e < engines.Length; e++)
        {
            report.Note(string.Create(CultureInfo.InvariantCulture, $"Ratio to before — {engines[e].Name}: throughput {throughput[e].Median / throughput[0].Median:0.00}×, median latency {latency[e].Median / latency[0].Median:0.00}×, p99 latency {latency[e].Percentile(99) / latency[0].Percentile(99):0.00}×."));
        }

        report.Save(output);
    }

    private static async Task SoakAsync((string Name, string Path, string Durability)[] engines, string scratch, int kills, int objects, string output)
    {
        var report = new Report("Durability soak: SIGKILL during sustained writes");
        var summary = new List<string>
        {
            "| engine | kills | objects at kill (min–max) | acknowledged PUTs / object deletes / sends / message deletes | rounds with loss | lost PUTs / deletes undone / sends / message deletes undone | oldest loss before the kill | median run before the kill | median restart |",
            "|---|---:|---|---|---:|---|---:|---:|---:|",
        };
        var details = new List<string>();
        foreach ((string name, string path, string durability) in engines)
        {
            bool isBefore = name.StartsWith("before", StringComparison.Ordinal);
            int rounds = isBefore ? Math.Min(kills, 5) : kills;
            string dataDir = Path.Combine(scratch, "kumo-bench-soak", Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(dataDir);
            var options = new KillProbeOptions(path, dataDir, durability, Interval, durability == "sync" ? TimeSpan.Zero : Interval, objects, rounds, TimeSpan.FromSeconds(1.5), TimeSpan.FromSeconds(5), Seed: 20261205);
            IReadOnlyList<KillRound> results = await KillProbe.RunAsync(options, line => Console.Error.WriteLine($"  {name}: {line}"), CancellationToken.None).ConfigureAwait(false);
            var run = new Samples("run", "s");
            var restart = new Samples("restart", "s");
            foreach (KillRound r in results)
            {
                run.Add(r.RunSeconds);
                restart.Add(r.RestartSeconds);
                details.Add($"- {name}, {r}");
            }

            summary.Add(string.Create(CultureInfo.InvariantCulture,
                $"| {name} | {results.Count} | {results.Min(r => r.ObjectsAtKill)}–{results.Max(r => r.ObjectsAtKill)} | {results.Sum(r => r.AckedPuts)} / {results.Sum(r => r.AckedObjectDeletes)} / {results.Sum(r => r.AckedSends)} / {results.Sum(r => r.AckedMessageDeletes)} | {results.Count(r => r.Lost > 0)} | {results.Sum(r => r.LostPuts)} / {results.Sum(r => r.UndoneObjectDeletes)} / {results.Sum(r => r.LostSends)} / {results.Sum(r => r.UndoneMessageDeletes)} | {results.Max(r => r.OldestLossAgeSeconds):0.000} s | {run.Median:0.00} s | {restart.Median:0.00} s |"));
            Directory.Delete(dataDir, recursive: true);
        }

        report.Lines(summary);
        report.Note("The promise checked: in flush mode nothing acknowledged more than one flush interval (1 s) before the kill is lost; in sync mode nothing acknowledged at all. Each round: 1.5–5 s of writes (2 writers PUT 0–64 KiB objects, every fifth step deleting an earlier key; 1 worker sends, receives and deletes SQS messages), SIGKILL, restart on the same data directory, full check of every key and message, then the next round on the grown state.");
        report.Note("The old engine is held to the same 1 s promise for a few rounds only, to show the defect the journal fixes (issue 14).");
        foreach (string line in details)
        {
            report.Note(line[2..]);
        }

        report.Save(output);
    }

    private static Task<RunningEngine> StartAsync(string path, string dataDir, string durability) =>
        EngineProcess.StartAsync(
            EngineDefinition.Embedded(path),
            new EngineStartOptions
            {
                DataDir = dataDir,
                LogLevel = KumoLogLevel.Warn,
                Environment = new Dictionary<string, string?> { ["KUMO_DURABILITY"] = durability, ["KUMO_PERSIST_FLUSH_INTERVAL_MS"] = "1000" },
            });

    private static HttpClient Client(Uri endpoint) => new(new SocketsHttpHandler { MaxConnectionsPerServer = 32 }) { BaseAddress = endpoint, Timeout = TimeSpan.FromSeconds(60) };

    private static async Task ParallelPutsAsync(HttpClient client, string prefix, int count, int parallelism, byte[] body)
    {
        int next = -1;
        async Task WorkerAsync()
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < count)
            {
                using var content = new ByteArrayContent(body);
                using HttpResponseMessage response = await client.PutAsync(string.Create(CultureInfo.InvariantCulture, $"/bench/{prefix}{i}"), content).ConfigureAwait(false);
                if (response.StatusCode != HttpStatusCode.OK)
                {
                    throw new InvalidOperationException($"PUT answered {(int)response.StatusCode}");
                }
            }
        }

        await Task.WhenAll(Enumerable.Range(0, parallelism).Select(_ => WorkerAsync())).ConfigureAwait(false);
    }
}
