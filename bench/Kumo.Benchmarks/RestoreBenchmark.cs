using System.Diagnostics;
using System.Globalization;
using Kumo.Clients;
using Kumo.Engines;
using Kumo.Seeding;
using Kumo.Snapshots;

namespace Kumo.Benchmarks;

/// <summary>
/// Restoring a snapshot of 10,000 objects (~100 MB) built once through <see cref="SnapshotStore"/>:
/// <see cref="SnapshotStore.RestoreAsync(Snapshot, string, RestoreMode, CancellationToken)"/> in both
/// modes against <c>cp -r</c> of the snapshot's data directory, interleaved, and against reseeding
/// the same data through the API into a fresh engine (fewer iterations: it is slow) — in one run.
/// </summary>
internal static class RestoreBenchmark
{
    private const int ObjectCount = 10_000;
    private const int ObjectSize = 10 * 1024;
    private const string BucketName = "bench-restore";

    public static async Task RunAsync(string artifacts, string scratchRoot, int iterations, int reseeds, string? label, string output)
    {
        string loadBefore = BenchDirectory.LoadAverage();
        using var scratch = new BenchDirectory(scratchRoot, "restore");
        BenchDirectory.WriteRandomFiles(scratch.Sub("objects"), ObjectCount, ObjectSize, seed: 10_240);
        SeedPlan plan = new SeedPlanBuilder(scratch.Path)
            .FixtureVersion("bench-1")
            .Bucket(BucketName, b => b.Directory(string.Empty, "objects"))
            .Build();
        ResolvedSeedPlan resolved = plan.Resolve(new SeedContext("bench", "0"));
        string engineDll = Path.Combine(artifacts, "engine-jit", "kumo-embedded.dll");
        EngineDefinition engine = EngineDefinition.Embedded(engineDll);

        var store = new SnapshotStore(scratch.Sub("store"));
        var build = new Samples("snapshot build, once (engine start, seed, stop, hash, publish)", "ms");
        string planHash = await plan.ComputeHashAsync();
        var buildWatch = Stopwatch.StartNew();
        var request = new SnapshotRequest
        {
            PlanHash = planHash,
            FixtureVersion = plan.FixtureVersion,
            Engine = engine,
            Seed = (endpoint, ct) => SeedAsync(endpoint, resolved, ct),
        };
        Snapshot snapshot = await store.GetOrBuildAsync(request);
        build.Add(buildWatch.Elapsed.TotalMilliseconds);
        if (!snapshot.Built || snapshot.Manifest.Files.Count < ObjectCount)
        {
            throw new InvalidOperationException($"Expected a freshly built snapshot of at least {ObjectCount} files, got {snapshot}.");
        }

        var restoreLink = new Samples("SnapshotStore.RestoreAsync, HardLink (default)", "ms");
        var restoreCopy = new Samples("SnapshotStore.RestoreAsync, Copy", "ms");
        var cp = new Samples("cp -r <snapshot data dir> <fresh dir>", "ms");
        var startRestored = new Samples("engine JIT process start on the restored dir (to KUMO_ENDPOINT)", "ms");
        var reseed = new Samples("reseed through the API into a fresh engine (KumoSeeder.SeedAsync)", "ms");
        var startEmpty = new Samples("engine JIT process start on an empty dir (to KUMO_ENDPOINT)", "ms");
        var tryGet = new Samples("SnapshotStore.TryGet (manifest + shape check, no hashing; what reuse costs)", "ms");
        var validate = new Samples("SnapshotStore.ValidateAsync (manifest + shape + every SHA-256, in place)", "ms");
        var steps = new (Samples Samples, Func<string, Task<double>> Run)[]
        {
            (restoreLink, target => RestoreAsync(store, snapshot, target, RestoreMode.HardLink)),
            (restoreCopy, target => RestoreAsync(store, snapshot, target, RestoreMode.Copy)),
            (cp, target => BenchDirectory.RunAsync("cp", "-r", snapshot.DataDirectory, target)),
            (tryGet, _ => Task.FromResult(Time(() =>
            {
                if (store.TryGet(request) is null)
                {
                    throw new InvalidOperationException("The snapshot was not found.");
                }
            }))),
            (validate, async _ =>
            {
                var watch = Stopwatch.StartNew();
                await store.ValidateAsync(snapshot, engine);
                return watch.Elapsed.TotalMilliseconds;
            }),
        };

        int reseedEvery = Math.Max(1, iterations / Math.Max(1, reseeds));
        for (int i = -1; i < iterations; i++)
        {
            // Interleave, rotating the order, so drift and cache state affect every candidate alike.
            for (int s = 0; s < steps.Length; s++)
            {
                (Samples samples, Func<string, Task<double>> run) = steps[(s + Math.Max(i, 0)) % steps.Length];
                // Every target is a new directory, removed only with the scratch directory at the end (see the note on ext4).
                string target = scratch.Sub($"target-{i + 1}-{s}");
                double ms = await run(target);
                if (i < 0)
                {
                    // Warm-up (discarded): also prove each restored directory is a working engine data dir.
                    if (Directory.Exists(target))
                    {
                        await CheckServesAsync(engineDll, target);
                    }
                }
                else
                {
                    samples.Add(ms);
                    if (samples == restoreLink)
                    {
                        startRestored.Add(await TimeStartAsync(engineDll, target));
                    }
                }
            }

            if (i >= 0 && i % reseedEvery == 0 && reseed.Count < reseeds)
            {
                string dataDir = scratch.Sub($"reseed-{i}");
                Directory.CreateDirectory(dataDir);
                var startWatch = Stopwatch.StartNew();
                await using EngineProcessHost fresh = await EngineProcessHost.StartAsync("dotnet", [engineDll], dataDir);
                startEmpty.Add(startWatch.Elapsed.TotalMilliseconds);
                var watch = Stopwatch.StartNew();
                await SeedAsync(fresh.Endpoint, resolved, CancellationToken.None);
                reseed.Add(watch.Elapsed.TotalMilliseconds);
            }
        }

        var report = new Report($"Snapshot restore: {ObjectCount:N0} objects × {ObjectSize / 1024} KiB ({snapshot.Manifest.TotalBytes / 1e6:0.#} MB, {snapshot.Manifest.Files.Count:N0} files)");
        report.Table([restoreLink, restoreCopy, cp, reseed, tryGet, validate, startRestored, startEmpty, build]);
        report.Note(Ratio("RestoreAsync HardLink (default) / cp -r", restoreLink.Median / cp.Median, "target ≤ 1.5×"));
        report.Note(Ratio("RestoreAsync Copy / cp -r", restoreCopy.Median / cp.Median, "target ≤ 1.5×"));
        report.Note(Ratio("reseed / RestoreAsync HardLink (default)", reseed.Median / restoreLink.Median, "target ≥ 20×"));
        report.Note(Ratio("reseed / RestoreAsync Copy", reseed.Median / restoreCopy.Median, "target ≥ 20×"));
        report.Note(Ratio(
            "end to end, (engine start on an empty dir + reseed) / (RestoreAsync HardLink + engine start on the restored dir)",
            (startEmpty.Median + reseed.Median) / (restoreLink.Median + startRestored.Median),
            "informational"));
        report.Note("RestoreAsync checks every restored file's size and SHA-256 against the manifest (and the manifest and directory shape first); cp -r checks nothing. Each writes into a new directory on the same file system as the store (the scratch directory below).");
        report.Note("Restored directories are all deleted at the end of the run, not between iterations: on ext4 without a journal (this VM's root file system, which holds the system temp dir), creating a file scans past every inode deleted in the last 60–360 s (ext4 find_inode_bit → recently_deleted; seen with perf), so creating 10,000 files right after deleting 10,000 took up to ~10× longer for cp -r and Copy alike and measured the deletion rather than the restore. Runs started within a few minutes of a previous run still pay some of this.");
        report.Note("Everything is warm page cache: dropping caches needs root on the host and is not possible here, and the snapshot was just built, so every candidate reads from memory. With a cold cache every candidate would also pay for reading the snapshot once (HardLink reads each file only to hash it and writes nothing but links; Copy and cp -r read and write every byte). The VM reclaims idle memory (DAMON pageout, virtio-balloon), so first touches of fresh memory are slow and the rows that write 100 MB (Copy, cp -r) vary the most.");
        report.Note(string.Create(CultureInfo.InvariantCulture, $"{iterations} interleaved iterations (order rotated each time) after one discarded warm-up, in which each restored directory was also started as an engine and listed ({ObjectCount} keys checked); reseed ran {reseed.Count} times into a fresh engine on an empty temp data dir (KumoSeeder defaults: MaxParallelism {SeedOptions.DefaultMaxParallelism}, verify on); reseed excludes engine start, which has its own row."));
        report.Note($"Scratch directory (plan files, data dirs, snapshot store, restore targets): {scratch.Path} ({BenchDirectory.FileSystemOf(scratch.Path)}).");
        if (label is not null)
        {
            report.Note($"Code under test: {label}.");
        }

        report.Note($"Load average (1/5/15 min) before the run: {loadBefore}; at its end: {BenchDirectory.LoadAverage()} (includes this benchmark's own processes; the machine is shared with other builds).");
        report.Save(output);
    }

    private static double Time(Action action)
    {
        var watch = Stopwatch.StartNew();
        action();
        return watch.Elapsed.TotalMilliseconds;
    }

    private static string Ratio(string what, double ratio, string target) =>
        string.Create(CultureInfo.InvariantCulture, $"{what} (medians): **{ratio:0.00}×** ({target}).");

    private static async Task SeedAsync(Uri endpoint, ResolvedSeedPlan plan, CancellationToken cancellationToken)
    {
        using KumoClients clients = KumoClients.Create(endpoint);
        SeedReport report = await new KumoSeeder(clients.S3, clients.Sqs).SeedAsync(plan, cancellationToken: cancellationToken);
        if (report.ObjectsUploaded != ObjectCount)
        {
            throw new InvalidOperationException($"The seed uploaded {report.ObjectsUploaded} objects, expected {ObjectCount}: {report}");
        }
    }

    private static async Task<double> RestoreAsync(SnapshotStore store, Snapshot snapshot, string target, RestoreMode mode)
    {
        var watch = Stopwatch.StartNew();
        RestoredDataDir restored = await store.RestoreAsync(snapshot, target, mode);
        double elapsed = watch.Elapsed.TotalMilliseconds;
        int expectedLinks = mode == RestoreMode.HardLink ? restored.Files : 0;
        if (restored.Files != snapshot.Manifest.Files.Count || restored.LinkedFiles != expectedLinks)
        {
            throw new InvalidOperationException($"Restore ({mode}) produced {restored.Files} files ({restored.LinkedFiles} linked), expected {snapshot.Manifest.Files.Count} ({expectedLinks} linked).");
        }

        return elapsed;
    }

    private static async Task<double> TimeStartAsync(string engineDll, string dataDir)
    {
        var watch = Stopwatch.StartNew();
        await using EngineProcessHost host = await EngineProcessHost.StartAsync("dotnet", [engineDll], dataDir);
        return watch.Elapsed.TotalMilliseconds;
    }

    private static async Task CheckServesAsync(string engineDll, string dataDir)
    {
        await using EngineProcessHost host = await EngineProcessHost.StartAsync("dotnet", [engineDll], dataDir);
        using KumoClients clients = KumoClients.Create(host.Endpoint);
        int keys = 0;
        string? token = null;
        do
        {
            Amazon.S3.Model.ListObjectsV2Response page = await clients.S3.ListObjectsV2Async(new Amazon.S3.Model.ListObjectsV2Request { BucketName = BucketName, ContinuationToken = token });
            keys += page.S3Objects?.Count ?? 0;
            token = page.IsTruncated == true ? page.NextContinuationToken : null;
        }
        while (token is not null);

        if (keys != ObjectCount)
        {
            throw new InvalidOperationException($"The engine started on '{dataDir}' lists {keys} keys, expected {ObjectCount}.");
        }
    }
}
