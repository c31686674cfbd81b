using System.Diagnostics;
using System.Text;
using Kumo.Engines;
using Kumo.Snapshots;
using Kumo.Storage;

namespace Kumo.Cli.Tests;

/// <summary>
/// <c>kumoctl snapshot export</c> / <c>import</c> as real processes: the CI flow, refusals with exit code 2, concurrent
/// imports, and imports killed with SIGKILL at several points, after which the store is always valid.
/// </summary>
public sealed class SnapshotArchiveCommandTests(SnapshotArchiveCommandTests.Exported exported) : IClassFixture<SnapshotArchiveCommandTests.Exported>
{
    private const int Objects = 400;
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string EnginePath => Path.Combine(AppContext.BaseDirectory, "kumo-embedded.dll");

    /// <summary>A manifest without placeholders: one snapshot for every run, shard and worker.</summary>
    private static string ManifestJson(int objects) =>
        "{ \"version\": 1, \"fixtureVersion\": \"archive-1\", \"buckets\": [ { \"name\": \"archived\", \"objects\": [ "
        + string.Join(", ", Enumerable.Range(0, objects).Select(i => $"{{ \"key\": \"o/{i:D4}.txt\", \"text\": \"archive-body-{i:D4}\" }}"))
        + " ] } ], \"queues\": [ { \"name\": \"archived-jobs\", \"messages\": [ { \"body\": \"job\" } ] } ] }";

    /// <summary>One snapshot built with kumoctl and exported with kumoctl, shared by the tests of the class (they only read it).</summary>
    public sealed class Exported : IAsyncLifetime
    {
        public string Manifest { get; private set; } = string.Empty;

        public string Archive { get; private set; } = string.Empty;

        public Snapshot Source { get; private set; } = null!;

        public async ValueTask InitializeAsync()
        {
            Manifest = KumoctlTests.WriteManifest(ManifestJson(Objects));
            string root = Path.GetDirectoryName(Manifest)!;
            (int built, _, string buildErr) = await KumoctlTests.RunAsync("snapshot", "--manifest", Manifest, "--store", Path.Combine(root, "store"), "--restore-to", Path.Combine(root, "w0"), "--engine-path", EnginePath);
            Assert.True(built == 0, buildErr);
            (int code, string exportOut, string exportErr) = await KumoctlTests.RunAsync("snapshot", "export", "--store", Path.Combine(root, "store"), "--out", Path.Combine(root, "archives"));
            Assert.True(code == 0, exportErr);
            Archive = Value(exportOut, "KUMO_SNAPSHOT_ARCHIVE");
            Source = Assert.Single(new SnapshotStore(Path.Combine(root, "store")).List());
        }

        public ValueTask DisposeAsync()
        {
            Directory.Delete(Path.GetDirectoryName(Manifest)!, recursive: true);
            return ValueTask.CompletedTask;
        }
    }

    /// <summary>A fresh directory beside the shared snapshot's files.</summary>
    private string Scratch(string name) => Path.Combine(Path.GetDirectoryName(exported.Manifest)!, name + "-" + Guid.NewGuid().ToString("N")[..8]);

    private static string Value(string stdout, string name) =>
        stdout.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Single(l => l.StartsWith(name + "=", StringComparison.Ordinal))[(name.Length + 1)..];

    [Fact]
    public async Task Export_import_then_snapshot_restores_the_imported_snapshot_without_rebuilding()
    {
        (string manifest, string archive, Snapshot source) = (exported.Manifest, exported.Archive, exported.Source);
        string runner = Scratch("runner-store");

        (int code, string stdout, string stderr) = await KumoctlTests.RunAsync("snapshot", "import", "--archive", Path.GetDirectoryName(archive)!, "--store", runner);
        (int again, _, string againErr) = await KumoctlTests.RunAsync("snapshot", "import", "--archive", archive, "--store", runner);
        (int restored, string restoreOut, string restoreErr) = await KumoctlTests.RunAsync("snapshot", "--manifest", manifest, "--store", runner, "--restore-to", Scratch("w1"), "--engine-path", EnginePath);

        Assert.True(code == 0, stderr);
        Assert.Equal(source.Key, Value(stdout, "KUMO_SNAPSHOT_KEY"));
        Assert.Equal(SnapshotArchive.FileNameFor(source.Key), Path.GetFileName(archive));
        Assert.Equal(0, again);
        Assert.Contains("already present", againErr, StringComparison.Ordinal);
        Assert.True(restored == 0, restoreErr);
        Snapshot imported = Assert.Single(new SnapshotStore(runner).List());
        Assert.Equal(source.Manifest.BuildId, imported.Manifest.BuildId); // restored from the import, not rebuilt
        string dataDir = Value(restoreOut, "KUMO_DATA_DIR");
        foreach (SnapshotFile file in source.Manifest.Files)
        {
            Assert.Equal(await File.ReadAllBytesAsync(Path.Combine(source.DataDirectory, file.Path), Ct), await File.ReadAllBytesAsync(Path.Combine(dataDir, file.Path), Ct));
        }
    }

    [Fact]
    public async Task A_tampered_archive_and_bad_arguments_exit_2_with_one_line_naming_the_fix()
    {
        string archive = exported.Archive;
        byte[] bytes = await File.ReadAllBytesAsync(archive, Ct);
        int at = bytes.AsSpan().IndexOf("archive-body-0003"u8);
        Assert.True(at > 0, "the object body is stored verbatim in the archive");
        bytes[at + 5] ^= 0x01;
        string tampered = Scratch("tampered") + ".tar";
        await File.WriteAllBytesAsync(tampered, bytes, Ct);
        string store = Scratch("runner-store");

        (int code, _, string stderr) = await KumoctlTests.RunAsync("snapshot", "import", "--archive", tampered, "--store", store);
        (int noStore, _, string noStoreErr) = await KumoctlTests.RunAsync("snapshot", "import", "--archive", archive);
        (int missing, _, string missingErr) = await KumoctlTests.RunAsync("snapshot", "import", "--archive", Scratch("nope") + ".tar", "--store", store);
        (int nothing, _, string nothingErr) = await KumoctlTests.RunAsync("snapshot", "export", "--store", store, "--out", Scratch("out"), "--plan-hash", "0000");

        Assert.Equal(2, code);
        Assert.Single(stderr.Split('\n'), l => l.StartsWith("kumoctl:", StringComparison.Ordinal)); // the failure is one line (progress lines aside)
        Assert.Contains("SHA-256", stderr, StringComparison.Ordinal);
        Assert.Contains("Fix: export it again", stderr, StringComparison.Ordinal);
        Assert.Empty(new SnapshotStore(store).List());
        Assert.Equal(2, noStore);
        Assert.Contains("--store is required", noStoreErr, StringComparison.Ordinal);
        Assert.Equal(2, missing);
        Assert.Contains("neither a file nor a directory", missingErr, StringComparison.Ordinal);
        Assert.Equal(2, nothing);
        Assert.Contains("holds no snapshot of plan 0000", nothingErr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Two_kumoctl_imports_at_once_publish_one_snapshot()
    {
        (string archive, Snapshot source) = (exported.Archive, exported.Source);
        string store = Scratch("shared-store");

        var results = await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => KumoctlTests.RunAsync("snapshot", "import", "--archive", archive, "--store", store)));

        Assert.All(results, r => Assert.True(r.ExitCode == 0, r.StdErr));
        Assert.Single(results, r => r.StdErr.Contains("imported snapshot", StringComparison.Ordinal));
        Assert.Single(results, r => r.StdErr.Contains("already present", StringComparison.Ordinal));
        Snapshot published = Assert.Single(new SnapshotStore(store).List());
        Assert.Equal(source.Key, published.Key);
        await new SnapshotStore(store).ValidateAsync(published, EngineDefinition.Embedded(EnginePath), Ct);
    }

    [Fact]
    public async Task An_import_killed_with_SIGKILL_at_any_point_leaves_a_valid_store_that_recovers()
    {
        (string archive, Snapshot source) = (exported.Archive, exported.Source);
        EngineDefinition engine = EngineDefinition.Embedded(EnginePath);
        (string Name, Func<string, bool>? Line, int DelayMs)[] points =
        [
            ("at once", null, 0),
            ("after 150 ms", null, 150),
            ("extraction started", l => l.StartsWith("import: extracting 0/", StringComparison.Ordinal), 0),
            ("200 files in", l => l.StartsWith("import: extracting 200/", StringComparison.Ordinal), 0),
            ("300 files in", l => l.StartsWith("import: extracting 300/", StringComparison.Ordinal), 0),
            ("verified, before publishing", l => l.StartsWith("import: verified", StringComparison.Ordinal), 0),
            ("just published", l => l.StartsWith("import: published", StringComparison.Ordinal), 0),
        ];

        var outcomes = new List<string>();
        foreach ((string name, Func<string, bool>? line, int delayMs) in points)
        {
            string store = Scratch("kill-" + outcomes.Count);
            bool published = await ImportAndKillAsync(archive, store, line, delayMs);
            var snapshots = new SnapshotStore(store);
            IReadOnlyList<Snapshot> listed = snapshots.List();

            // Valid: nothing, or the complete snapshot under its key; never a directory of that name that is not a valid snapshot.
            Assert.True(listed.Count <= 1, $"{name}: {listed.Count} snapshots");
            Assert.Equal(listed.Count == 1, Directory.Exists(Path.Combine(store, source.Key)));
            if (listed.Count == 1)
            {
                Assert.Equal(source.Key, listed[0].Key);
                await snapshots.ValidateAsync(listed[0], engine, Ct);
            }

            int swept = snapshots.SweepStale().Count;
            Assert.Empty(Directory.Exists(store) ? Directory.GetFileSystemEntries(store, AtomicFile.TemporaryPrefix + "*") : []);
            outcomes.Add($"{name}: {(listed.Count == 1 ? "complete snapshot" : "nothing")} published{(published ? " (the process had already finished)" : string.Empty)}, {swept} stale temporary dir(s) swept");

            // The store recovers: the same import then succeeds.
            await SnapshotArchive.ImportAsync(snapshots, archive, cancellationToken: Ct);
            await snapshots.ValidateAsync(Assert.Single(snapshots.List()), engine, Ct);
        }

        TestContext.Current.TestOutputHelper?.WriteLine(string.Join('\n', outcomes));
        Assert.Contains(outcomes, o => o.Contains("nothing published", StringComparison.Ordinal) && o.Contains("1 stale", StringComparison.Ordinal));
        Assert.Contains(outcomes, o => o.StartsWith("just published: complete snapshot", StringComparison.Ordinal));
    }

    /// <summary>Starts <c>kumoctl snapshot import</c> and SIGKILLs it after a delay or when it prints a matching stderr line.</summary>
    /// <returns>True when the process exited on its own before the kill.</returns>
    private static async Task<bool> ImportAndKillAsync(string archive, string store, Func<string, bool>? killAtLine, int delayMs)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string arg in new[] { KumoctlTests.KumoctlPath, "snapshot", "import", "--archive", archive, "--store", store })
        {
            start.ArgumentList.Add(arg);
        }

        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        bounded.CancelAfter(TimeSpan.FromSeconds(60));
        using Process process = Process.Start(start)!;
        var stderr = new StringBuilder();
        Task<string> stdout = process.StandardOutput.ReadToEndAsync(bounded.Token);
        if (killAtLine is null)
        {
            await Task.Delay(delayMs, bounded.Token);
        }
        else
        {
            while (await process.StandardError.ReadLineAsync(bounded.Token) is { } line)
            {
                stderr.AppendLine(line);
                if (killAtLine(line))
                {
                    break;
                }
            }
        }

        bool finished = process.HasExited;
        if (!finished)
        {
            process.Kill(); // SIGKILL on Linux
        }

        await process.WaitForExitAsync(bounded.Token);
        await stdout;
        Assert.True(finished || process.ExitCode != 0, $"killed import exited with 0: {stderr}");
        return finished;
    }
}
