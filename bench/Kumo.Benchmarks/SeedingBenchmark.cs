using System.Diagnostics;
using System.Globalization;
using Kumo.Clients;
using Kumo.Contract;
using Kumo.Embedded;
using Kumo.Seeding;
using Microsoft.Extensions.Logging.Abstractions;

namespace Kumo.Benchmarks;

/// <summary>
/// A full seed (create containers → populate → verify) of 1 bucket × 1,000 objects of 4 KiB and
/// 10 queues × 100 messages into a fresh embedded engine per iteration, and the idempotent re-run
/// into the same engine — for the engine as a JIT process (memory only and on a temp data dir), as
/// an AOT process when published, and in-process; candidates interleaved, in one run.
/// </summary>
internal static class SeedingBenchmark
{
    private const int ObjectCount = 1000;
    private const int ObjectSize = 4096;
    private const int QueueCount = 10;
    private const int MessagesPerQueue = 100;

    public static async Task RunAsync(string artifacts, string scratchRoot, int iterations, string? label, string output)
    {
        string loadBefore = BenchDirectory.LoadAverage();
        using var scratch = new BenchDirectory(scratchRoot, "seeding");
        BenchDirectory.WriteRandomFiles(scratch.Sub("objects"), ObjectCount, ObjectSize, seed: 4096);
        ResolvedSeedPlan plan = BuildPlan(scratch.Path).Resolve(new SeedContext("bench", "0"));

        string jit = Path.Combine(artifacts, "engine-jit", "kumo-embedded.dll");
        string aot = Path.Combine(artifacts, "engine-aot", "kumo-embedded");
        var candidates = new List<Candidate>
        {
            new("engine JIT process, memory", _ => StartProcessAsync("dotnet", [jit], null)),
            new("engine JIT process, temp data dir", dataDir => StartProcessAsync("dotnet", [jit], dataDir)),
        };
        if (File.Exists(aot))
        {
            candidates.Add(new("engine AOT process, memory", _ => StartProcessAsync(aot, [], null)));
        }

        candidates.Add(new("engine in-process, memory", _ => StartInProcessAsync()));

        for (int i = -1; i < iterations; i++)
        {
            // Interleave, rotating the order, so drift on the machine affects every candidate alike.
            for (int c = 0; c < candidates.Count; c++)
            {
                Candidate candidate = candidates[(c + Math.Max(i, 0)) % candidates.Count];
                // A new data directory each time, removed with the scratch directory at the end (see the note on ext4).
                await MeasureAsync(candidate, plan, scratch.Sub($"data-{i + 1}-{c}"), record: i >= 0);
            }
        }

        var report = new Report("Seeder: 1,000 × 4 KiB objects + 10 queues × 100 messages into a fresh engine");
        report.Table(candidates.SelectMany(c => new[] { c.Full, c.Rerun }));
        report.Table(candidates.SelectMany(c => c.Phases));
        Candidate main = candidates[0];
        report.Note(string.Create(CultureInfo.InvariantCulture, $"Full seed, {main.Name} (median): **{main.Full.Median:0} ms** (target ≤ 1000 ms); idempotent re-run {main.Rerun.Median:0} ms."));
        report.Note($"Plan: 1 bucket from a directory of {ObjectCount} files of {ObjectSize} random bytes, {QueueCount} standard queues with {MessagesPerQueue} inline messages each; KumoSeeder with default SeedOptions (MaxParallelism {SeedOptions.DefaultMaxParallelism}, verify on), fresh KumoClients per engine.");
        report.Note("'full seed' is KumoSeeder.SeedAsync into a just-started, empty engine (engine start excluded: see startup.md); 're-run' is the same call again on the same engine, which must send no write request (checked: WasNoOp, 1,000 skipped).");
        report.Note("Each engine process is fresh, so its server code runs cold (JIT) in every iteration, as in a real test run; the in-process engine is warm after the discarded warm-up iteration.");
        report.Note("'temp data dir' sets KUMO_DATA_DIR to an empty directory (flush every 1 s, bodies written to s3-objects/); 'memory' leaves it unset.");
        report.Note("Data directories are deleted at the end of the run, not between iterations: on this VM's journal-less ext4, creating files soon after deleting many scans past the recently deleted inodes (see restore.md).");
        report.Note("Phase rows: time from the start of one phase (its first SeedProgress report) to the start of the next; verify ends when SeedAsync returns.");
        report.Note($"Scratch directory (plan files, data dirs): {scratch.Path} ({BenchDirectory.FileSystemOf(scratch.Path)}).");
        if (label is not null)
        {
            report.Note($"Code under test: {label}.");
        }

        report.Note($"Load average (1/5/15 min) before the run: {loadBefore}; at its end: {BenchDirectory.LoadAverage()} (includes this benchmark's own processes; the machine is shared with other builds).");
        report.Save(output);
    }

    private static SeedPlan BuildPlan(string baseDirectory)
    {
        var builder = new SeedPlanBuilder(baseDirectory)
            .FixtureVersion("bench-1")
            .Bucket("bench-objects-{worker}", b => b.Directory(string.Empty, "objects"));
        for (int q = 0; q < QueueCount; q++)
        {
            builder.Queue(string.Create(CultureInfo.InvariantCulture, $"bench-queue-{q}-{{worker}}"), queue =>
            {
                for (int m = 0; m < MessagesPerQueue; m++)
                {
                    queue.Message(string.Create(CultureInfo.InvariantCulture, $"{{\"queue\":{q},\"message\":{m},\"payload\":\"seeded message {m} of queue {q}\"}}"));
                }
            });
        }

        return builder.Build();
    }

    private static async Task MeasureAsync(Candidate candidate, ResolvedSeedPlan plan, string dataDir, bool record)
    {
        Directory.CreateDirectory(dataDir);
        (Uri endpoint, IAsyncDisposable owner) = await candidate.StartAsync(dataDir);
        await using (owner)
        {
            using KumoClients clients = KumoClients.Create(endpoint);
            var seeder = new KumoSeeder(clients.S3, clients.Sqs);
            var phases = new PhaseClock();
            SeedReport full = await seeder.SeedAsync(plan, new SeedOptions { Progress = phases });
            double fullMs = phases.Stop();
            if (full.ObjectsUploaded != ObjectCount || full.MessagesSent != QueueCount * MessagesPerQueue || full.QueuesCreated != QueueCount || full.BucketsCreated != 1)
            {
                throw new InvalidOperationException($"{candidate.Name}: the full seed did not do what the plan says: {full}");
            }

            var watch = Stopwatch.StartNew();
            SeedReport rerun = await seeder.SeedAsync(plan);
            double rerunMs = watch.Elapsed.TotalMilliseconds;
            if (!rerun.WasNoOp || rerun.ObjectsSkipped != ObjectCount || rerun.QueuesExisting != QueueCount)
            {
                throw new InvalidOperationException($"{candidate.Name}: the re-run was not a no-op: {rerun}");
            }

            if (record)
            {
                candidate.Full.Add(fullMs);
                candidate.Rerun.Add(rerunMs);
                for (int p = 0; p < candidate.Phases.Length; p++)
                {
                    candidate.Phases[p].Add(phases.Duration((SeedPhase)p));
                }
            }
        }
    }

    private static async Task<(Uri, IAsyncDisposable)> StartProcessAsync(string fileName, string[] args, string? dataDir)
    {
        EngineProcessHost host = await EngineProcessHost.StartAsync(fileName, args, dataDir);
        return (host.Endpoint, host);
    }

    private static async Task<(Uri, IAsyncDisposable)> StartInProcessAsync()
    {
        KumoEngine engine = await KumoEngine.StartAsync(new KumoEngineOptions { Port = 0, LogLevel = KumoLogLevel.Error }, NullLoggerProvider.Instance);
        return (engine.Endpoint, engine);
    }

    private sealed class Candidate(string name, Func<string, Task<(Uri Endpoint, IAsyncDisposable Owner)>> start)
    {
        public string Name { get; } = name;

        public Func<string, Task<(Uri Endpoint, IAsyncDisposable Owner)>> StartAsync { get; } = start;

        public Samples Full { get; } = new($"full seed, {name}", "ms");

        public Samples Rerun { get; } = new($"idempotent re-run, {name}", "ms");

        public Samples[] Phases { get; } = [.. Enum.GetValues<SeedPhase>().Select(p => new Samples($"phase {p}, {name}", "ms"))];
    }

    /// <summary>Timestamps the first progress report of each phase; reports arrive from worker threads.</summary>
    private sealed class PhaseClock : IProgress<SeedProgress>
    {
        private readonly Stopwatch _watch = Stopwatch.StartNew();
        private readonly double[] _starts = [double.NaN, double.NaN, double.NaN];
        private double _end = double.NaN;

        /// <summary>Marks the end of the run and returns its duration.</summary>
        public double Stop() => _end = _watch.Elapsed.TotalMilliseconds;

        public void Report(SeedProgress value)
        {
            if (value.Current is null)
            {
                _starts[(int)value.Phase] = _watch.Elapsed.TotalMilliseconds;
            }
        }

        public double Duration(SeedPhase phase)
        {
            int p = (int)phase;
            double end = p + 1 < _starts.Length ? _starts[p + 1] : _end;
            return end - _starts[p];
        }
    }
}
