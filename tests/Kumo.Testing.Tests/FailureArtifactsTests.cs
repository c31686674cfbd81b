using Amazon.S3.Model;

namespace Kumo.Testing.Tests;

public sealed class FailureArtifactsTests : IDisposable
{
    private static readonly KumoRunContext Context = new("run-9", "w2");
    private readonly string _root = Path.Combine(Path.GetTempPath(), "kumo-testing-tests", Guid.NewGuid().ToString("N"));

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Writes_every_artifact_under_run_worker_and_test_name()
    {
        Directory.CreateDirectory(_root);
        string manifest = Path.Combine(_root, "seed.json");
        string snapshot = Path.Combine(_root, "snapshot.json");
        await File.WriteAllTextAsync(manifest, "{ \"version\": 1 }", Ct);
        await File.WriteAllTextAsync(snapshot, "{ \"formatVersion\": 1 }", Ct);
        await using TestEngine engine = await TestEngine.StartAsync(Ct);
        await engine.Clients.S3.PutBucketAsync("evidence", Ct);
        await engine.Clients.S3.PutObjectAsync(new PutObjectRequest { BucketName = "evidence", Key = "x", ContentBody = "y" }, Ct);
        KumoStateDump dump = await KumoStateDump.CaptureAsync(engine.Clients.S3, engine.Clients.Sqs, Ct);
        string[] log = ["12:00:00.000 info: kumo listening", "12:00:01.000 warn: something odd"];

        FailureArtifactSet saved = await FailureArtifacts.WriteAsync(Path.Combine(_root, "TestResults"), Context, "OrdersTests.Rejects_duplicates(count: 3)",
            new FailureArtifactContent { SeedManifestPath = manifest, SnapshotManifestPath = snapshot, EngineLog = log, StateDump = dump, Failure = new InvalidOperationException("boom") }, Ct);

        string expected = Path.Combine(_root, "TestResults", "kumo", "run-9", "w2", "OrdersTests.Rejects_duplicates_count__3_");
        Assert.Equal(expected, saved.Directory);
        Assert.Empty(saved.Problems);
        Assert.Equal(
            ["engine.log", "failure.txt", "seed-manifest.json", "snapshot-manifest.json", "state.json"],
            Directory.GetFiles(expected).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Equal(5, saved.Files.Count);
        Assert.Equal("{ \"version\": 1 }", await File.ReadAllTextAsync(Path.Combine(expected, "seed-manifest.json"), Ct));
        Assert.Equal("{ \"formatVersion\": 1 }", await File.ReadAllTextAsync(Path.Combine(expected, "snapshot-manifest.json"), Ct));
        Assert.Equal(string.Join('\n', log) + "\n", await File.ReadAllTextAsync(Path.Combine(expected, "engine.log"), Ct));
        KumoStateDump back = KumoStateDump.FromJson(await File.ReadAllTextAsync(Path.Combine(expected, "state.json"), Ct));
        Assert.Equal(["x"], back.Buckets.Single(b => b.Name == "evidence").Objects.Select(o => o.Key));
        string failure = await File.ReadAllTextAsync(Path.Combine(expected, "failure.txt"), Ct);
        Assert.Contains("System.InvalidOperationException: boom", failure, StringComparison.Ordinal);
        Assert.Contains("run run-9 (explicit), worker w2 (explicit)", failure, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Missing_inputs_are_listed_in_problems_not_thrown()
    {
        string missing = Path.Combine(_root, "nope", "snapshot.json");

        FailureArtifactSet saved = await FailureArtifacts.WriteAsync(_root, Context, "T", new FailureArtifactContent { SnapshotManifestPath = missing, EngineLog = ["line"] }, Ct);

        string problem = Assert.Single(saved.Problems);
        Assert.Contains(missing, problem, StringComparison.Ordinal);
        Assert.Equal(["engine.log", "problems.txt"], Directory.GetFiles(saved.Directory).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Hostile_or_long_test_names_stay_one_segment_inside_the_root()
    {
        string dir = FailureArtifacts.DirectoryFor(_root, Context, "../../etc/passwd");
        Assert.StartsWith(Path.Combine(_root, "kumo", "run-9", "w2") + Path.DirectorySeparatorChar, dir, StringComparison.Ordinal);
        Assert.Equal("_.._etc_passwd", Path.GetFileName(dir));

        string a = Path.GetFileName(FailureArtifacts.DirectoryFor(_root, Context, new string('t', 150) + "A"));
        string b = Path.GetFileName(FailureArtifacts.DirectoryFor(_root, Context, new string('t', 150) + "B"));
        Assert.Equal(100, a.Length);
        Assert.NotEqual(a, b);
    }

    [Fact]
    public async Task Rewriting_replaces_files_whole_and_leaves_no_temporary_files()
    {
        for (int i = 0; i < 3; i++)
        {
            await FailureArtifacts.WriteAsync(_root, Context, "T", new FailureArtifactContent { EngineLog = [$"attempt {i}"] }, Ct);
        }

        string dir = FailureArtifacts.DirectoryFor(_root, Context, "T");
        Assert.Equal("attempt 2\n", await File.ReadAllTextAsync(Path.Combine(dir, "engine.log"), Ct));
        Assert.Equal(["engine.log"], Directory.GetFileSystemEntries(dir).Select(Path.GetFileName));
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }
}
