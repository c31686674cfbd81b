using Kumo.Engines;

namespace Kumo.Snapshots.Tests.Snapshots;

public sealed class CrossProcessBuildTests
{
    [Fact]
    public async Task Eight_builder_processes_racing_for_one_snapshot_build_it_once_and_all_succeed()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        using var dir = new TempDirectory("race");
        string root = dir.Sub("store");
        string marker = dir.Sub("seeds.log");
        EngineDefinition engine = TestEngines.Embedded;

        var builders = Enumerable.Range(0, 8)
            .Select(_ => BuilderProcess.Start(BuilderOptions.For(engine, root, "shared", objects: 10, marker)))
            .ToList();
        try
        {
            int[] exitCodes = await Task.WhenAll(builders.Select(b => b.WaitForExitAsync(TimeSpan.FromMinutes(2), ct)));

            Assert.True(exitCodes.All(code => code == 0), "every builder succeeds: " + string.Join("\n", builders.Select(b => $"pid {b.Id} exit {b.Process.ExitCode}: {b.Errors}")));
            string[] seeds = await File.ReadAllLinesAsync(marker, ct);
            Assert.Single(seeds);
            string[] results = builders.Select(b => b.Result!).ToArray();
            Assert.All(results, Assert.NotNull);
            Assert.Single(results, r => r.Contains("built=True", StringComparison.Ordinal));
            Assert.Equal(7, results.Count(r => r.Contains("built=False", StringComparison.Ordinal)));
            Assert.Single(results.Select(r => r[r.IndexOf("key=", StringComparison.Ordinal)..]).Distinct());
            BuilderProcess winner = builders.Single(b => b.Result!.Contains("built=True", StringComparison.Ordinal));
            Assert.Contains($"pid={winner.Id}", seeds[0], StringComparison.Ordinal);

            var store = new SnapshotStore(root);
            Snapshot snapshot = Assert.Single(store.List());
            await store.ValidateAsync(snapshot, engine, ct);
            Assert.Equal(["s3-segments/segment-1", "s3.json"], snapshot.Manifest.Files.Select(f => f.Path)); // the small bodies share one segment
        }
        finally
        {
            builders.ForEach(b => b.Dispose());
        }
    }
}
