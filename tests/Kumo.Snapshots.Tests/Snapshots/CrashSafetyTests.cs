using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Kumo.Engines;
using Kumo.Storage;

namespace Kumo.Snapshots.Tests.Snapshots;

/// <summary>
/// Builders are killed with SIGKILL at random points (and at every phase); whatever the moment, a
/// snapshot directory is either absent or complete and valid, and the store recovers.
/// </summary>
public sealed class CrashSafetyTests
{
    private const int RandomKills = 100;
    private const int Lanes = 2;
    private const int Objects = 5;

    private static readonly string[] Phases = ["locked", "tmp-created", "engine-started", "seeded", "engine-stopped", "hashed", "manifest-written", "published"];

    [Fact]
    public async Task Killing_a_builder_at_any_point_never_leaves_a_half_snapshot_and_the_store_recovers()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        int seed = Environment.GetEnvironmentVariable("KUMO_CRASH_TEST_SEED") is { } fixedSeed
            ? int.Parse(fixedSeed, CultureInfo.InvariantCulture)
            : Random.Shared.Next();
        Log($"crash test seed {seed} (set KUMO_CRASH_TEST_SEED={seed} to replay)");

        using var dir = new TempDirectory("crash");
        string root = dir.Sub("store");
        string marker = dir.Sub("seeds.log");
        EngineDefinition engine = TestEngines.Embedded;
        var store = new SnapshotStore(root);
        var clock = Stopwatch.StartNew();

        // Calibrate: when does each phase happen in an uninterrupted build?
        IReadOnlyDictionary<string, TimeSpan> timeline;
        using (BuilderProcess calibration = BuilderProcess.Start(BuilderOptions.For(engine, root, "calibration", Objects, marker)))
        {
            Assert.Equal(0, await calibration.WaitForExitAsync(TimeSpan.FromMinutes(1), ct));
            timeline = calibration.PhaseTimes;
            Assert.Equal(Phases.Order(StringComparer.Ordinal), timeline.Keys.Order(StringComparer.Ordinal));
            Assert.All(Phases.Zip(Phases.Skip(1)), pair => Assert.True(timeline[pair.First] <= timeline[pair.Second], $"{pair.First} must come before {pair.Second}"));
            Log("calibration: " + string.Join(", ", Phases.Select(p => $"{p} @{timeline[p].TotalMilliseconds:0} ms")));
        }

        // Deterministic kills: a builder paused exactly at each phase.
        foreach (string phase in Phases)
        {
            await KillAndCheckAsync(store, engine, root, marker, $"paused-{phase}", pauseAt: phase, anchor: phase, delay: TimeSpan.Zero, ct);
        }

        // Random kills: anchor at the start or at a random phase, then wait a random part of the gap to the next phase.
        var outcomes = new ConcurrentBag<KillOutcome>();
        string[] anchors = ["start", .. Phases[..^1]];
        await Task.WhenAll(Enumerable.Range(0, Lanes).Select(lane => Task.Run(
            async () =>
            {
                for (int i = lane; i < RandomKills; i += Lanes)
                {
                    var random = new Random(HashCode.Combine(seed, i));
                    int a = random.Next(anchors.Length);
                    TimeSpan from = a == 0 ? TimeSpan.Zero : timeline[anchors[a]];
                    TimeSpan to = a + 1 < anchors.Length ? timeline[anchors[a + 1]] : timeline["published"];
                    TimeSpan delay = TimeSpan.FromTicks((long)((to - from).Ticks * random.NextDouble() * 1.2));
                    outcomes.Add(await KillAndCheckAsync(store, engine, root, marker, $"random-{i}", pauseAt: null, anchors[a], delay, ct));
                }
            },
            ct)));

        Assert.Equal(RandomKills, outcomes.Count);
        Log($"{RandomKills} random kills in {clock.Elapsed.TotalSeconds:0.0} s; killed after phase: " +
            string.Join(", ", outcomes.GroupBy(o => o.LastPhase).OrderBy(g => Array.IndexOf(Phases, g.Key)).Select(g => $"{g.Key}={g.Count()}")) +
            $"; published before the kill: {outcomes.Count(o => o.Published)}; engines killed with their builder: {outcomes.Sum(o => o.EnginesKilled)}");
        Assert.True(outcomes.Count(o => !o.Published) >= RandomKills / 4, "most kills must land before publication for the test to mean anything");
        Assert.Contains(outcomes, o => o.LastPhase is "engine-started" or "seeded");

        // Recovery: the stale temporary directories of the dead builders are swept, and every key builds normally.
        IReadOnlyList<string> swept = store.SweepStale();
        Assert.Empty(Directory.GetFileSystemEntries(root, AtomicFile.TemporaryPrefix + "*"));
        Log($"swept {swept.Count} stale temporary directories");
        KillOutcome unpublished = outcomes.First(o => !o.Published);
        Snapshot rebuilt = await store.GetOrBuildAsync(Request(engine, unpublished.Fixture), ct);
        Assert.True(rebuilt.Built);
        await store.ValidateAsync(rebuilt, engine, ct);
        RestoredDataDir restored = await store.RestoreAsync(rebuilt, dir.Sub("worker/data"), ct);
        await using RunningEngine worker = await EngineProcess.StartAsync(engine, TestEngines.Options(restored.Path, dir.Sub("worker/engine.log")), ct);
        Assert.Equal(Objects, (await TestS3.ListKeysAsync(worker.Endpoint, ct)).Count);
        if (outcomes.FirstOrDefault(o => o.Published) is { } published)
        {
            Snapshot reused = await store.GetOrBuildAsync(Request(engine, published.Fixture), ct);
            Assert.False(reused.Built);
        }
    }

    private static async Task<KillOutcome> KillAndCheckAsync(SnapshotStore store, EngineDefinition engine, string root, string marker, string fixture, string? pauseAt, string anchor, TimeSpan delay, CancellationToken ct)
    {
        using BuilderProcess builder = BuilderProcess.Start(BuilderOptions.For(engine, root, fixture, Objects, marker, pauseAt));
        if (pauseAt is not null)
        {
            await builder.WaitForLineAsync("PAUSED " + pauseAt, TimeSpan.FromSeconds(60), ct);
        }
        else if (anchor != "start")
        {
            await builder.WaitForLineAsync("PHASE " + anchor, TimeSpan.FromSeconds(60), ct);
        }

        if (delay > TimeSpan.Zero)
        {
            await Task.Delay(delay, ct); // the kill point itself, not a wait for a condition
        }

        int enginesKilled = ProcessTree.Descendants(builder.Id).Count;
        await builder.KillTreeAsync(ct);
        Assert.False(builder.Process.ExitCode == 0 && builder.Result is null, $"builder {fixture} exited 0 without a result");

        // The invariant: the snapshot directory is absent, or complete and valid.
        SnapshotRequest request = Request(engine, fixture);
        string final = Path.Combine(root, store.KeyFor(request));
        bool published = Directory.Exists(final);
        if (published)
        {
            Snapshot snapshot = store.TryGet(request) ?? throw new Xunit.Sdk.XunitException($"{fixture}: '{final}' exists but does not validate (killed after phase {builder.LastPhase}).");
            await store.ValidateAsync(snapshot, engine, ct);
            Assert.Equal(["s3-segments/segment-1", "s3.json"], snapshot.Manifest.Files.Select(f => f.Path)); // the small bodies share one segment
        }

        Assert.All(
            Directory.GetFileSystemEntries(root).Select(Path.GetFileName),
            name => Assert.True(
                name!.StartsWith(AtomicFile.TemporaryPrefix, StringComparison.Ordinal) || name.StartsWith(".lock-", StringComparison.Ordinal) || SnapshotLayout.IsKey(name),
                $"unexpected entry '{name}' in the store root"));
        return new KillOutcome(fixture, builder.LastPhase, published, enginesKilled);
    }

    private static SnapshotRequest Request(EngineDefinition engine, string fixture) => new()
    {
        PlanHash = "plan-crash-test",
        FixtureVersion = fixture,
        Engine = engine,
        Seed = (endpoint, ct) => TestS3.SeedAsync(endpoint, Objects, fixture, ct),
    };

    private static void Log(string message)
    {
        Console.WriteLine(message);
        TestContext.Current.SendDiagnosticMessage(message);
    }

    private sealed record KillOutcome(string Fixture, string LastPhase, bool Published, int EnginesKilled);
}
