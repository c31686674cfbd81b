using System.Diagnostics;
using Amazon.S3.Model;
using Amazon.SQS.Model;
using Kumo.Clients;
using Kumo.Embedded;
using Kumo.Seeding;
using Microsoft.Extensions.Logging.Abstractions;

namespace Kumo.Cli.Tests;

/// <summary><c>kumoctl</c> run as a real process against a real engine.</summary>
public sealed class KumoctlTests
{
    private const string Manifest = """
        {
          "version": 1,
          "fixtureVersion": "cli-1",
          "buckets": [ { "name": "cli-{run}", "objects": [ { "key": "hello.txt", "text": "hello from kumoctl" } ] } ],
          "queues": [ { "name": "cli-{worker}", "messages": [ { "body": "first" } ] } ]
        }
        """;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>kumoctl's own build output (set at build time from the project layout).</summary>
    internal static string KumoctlPath { get; } = typeof(KumoctlTests).Assembly
        .GetCustomAttributes(typeof(System.Reflection.AssemblyMetadataAttribute), false)
        .Cast<System.Reflection.AssemblyMetadataAttribute>()
        .Single(a => a.Key == "KumoctlPath").Value!;

    internal static async Task<(int ExitCode, string StdOut, string StdErr)> RunAsync(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(KumoctlPath);
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using Process process = Process.Start(start)!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync(Ct);
        Task<string> stderr = process.StandardError.ReadToEndAsync(Ct);
        await process.WaitForExitAsync(Ct);
        return (process.ExitCode, await stdout, await stderr);
    }

    internal static string WriteManifest(string json)
    {
        string dir = Path.Combine(Path.GetTempPath(), "kumoctl-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        string path = Path.Combine(dir, "seed.json");
        File.WriteAllText(path, json);
        return path;
    }

    [Fact]
    public async Task Validate_prints_the_plan_hash_and_a_bad_manifest_exits_2_naming_the_pointer()
    {
        string good = WriteManifest(Manifest);
        string bad = WriteManifest(Manifest.Replace("\"key\"", "\"kee\"", StringComparison.Ordinal));

        (int okCode, string okOut, _) = await RunAsync("validate", "--manifest", good, "--run", "r1", "--worker", "w1");
        (int badCode, _, string badErr) = await RunAsync("validate", "--manifest", bad);

        Assert.Equal(0, okCode);
        Assert.Contains($"KUMO_PLAN_HASH={await SeedManifest.Load(good).ComputeHashAsync(Ct)}", okOut, StringComparison.Ordinal);
        Assert.Equal(2, badCode);
        Assert.Contains("/buckets/0/objects/0", badErr, StringComparison.Ordinal);
        Assert.Contains(bad, badErr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Seed_then_dump_shows_the_namespaced_resources_and_a_second_seed_writes_nothing()
    {
        await using KumoEngine engine = await KumoEngine.StartAsync(new KumoEngineOptions { Port = 0 }, NullLoggerProvider.Instance, Ct);
        string manifest = WriteManifest(Manifest);
        string endpoint = engine.Endpoint.ToString();

        (int seedCode, string seedOut, string seedErr) = await RunAsync("seed", "--endpoint", endpoint, "--manifest", manifest, "--run", "r7", "--worker", "w3");
        (int againCode, string againOut, _) = await RunAsync("seed", "--endpoint", endpoint, "--manifest", manifest, "--run", "r7", "--worker", "w3");
        (int dumpCode, string dumpOut, _) = await RunAsync("dump", "--endpoint", endpoint);

        Assert.True(seedCode == 0, seedErr);
        Assert.Contains("1 uploaded", seedOut, StringComparison.Ordinal);
        Assert.Equal(0, againCode);
        Assert.Contains("0 write request(s)", againOut, StringComparison.Ordinal);
        Assert.Equal(0, dumpCode);
        Assert.Contains("cli-r7", dumpOut, StringComparison.Ordinal);
        Assert.Contains("cli-w3", dumpOut, StringComparison.Ordinal);
        using KumoClients clients = KumoClients.Create(engine.Endpoint);
        using GetObjectResponse got = await clients.S3.GetObjectAsync("cli-r7", "hello.txt", Ct);
        Assert.Equal("hello from kumoctl", await new StreamReader(got.ResponseStream).ReadToEndAsync(Ct));
    }

    [Fact]
    public async Task Reset_deletes_every_bucket_object_and_queue_and_reseeds_the_manifest_when_given()
    {
        await using KumoEngine engine = await KumoEngine.StartAsync(new KumoEngineOptions { Port = 0 }, NullLoggerProvider.Instance, Ct);
        string manifest = WriteManifest(Manifest);
        string endpoint = engine.Endpoint.ToString();
        using KumoClients clients = KumoClients.Create(engine.Endpoint);
        (int seedCode, _, string seedErr) = await RunAsync("seed", "--endpoint", endpoint, "--manifest", manifest, "--run", "r1", "--worker", "w1");
        Assert.True(seedCode == 0, seedErr);
        await clients.S3.PutObjectAsync(new PutObjectRequest { BucketName = "cli-r1", Key = "extra.txt", ContentBody = "not in the plan" }, Ct);

        (int resetCode, string resetOut, string resetErr) = await RunAsync("reset", "--endpoint", endpoint);
        int bucketsAfterReset = (await clients.S3.ListBucketsAsync(Ct)).Buckets?.Count ?? 0;
        int queuesAfterReset = (await clients.Sqs.ListQueuesAsync(new ListQueuesRequest(), Ct)).QueueUrls?.Count ?? 0;
        (int reseedCode, string reseedOut, string reseedErr) = await RunAsync("reset", "--endpoint", endpoint, "--manifest", manifest, "--run", "r1", "--worker", "w1");

        Assert.True(resetCode == 0, resetErr);
        Assert.Contains("deleted 1 bucket(s) with 2 object(s), 1 queue(s) and 0 table(s)", resetOut, StringComparison.Ordinal);
        Assert.Equal(0, bucketsAfterReset);
        Assert.Equal(0, queuesAfterReset);
        Assert.True(reseedCode == 0, reseedErr);
        Assert.Contains("deleted 0 bucket(s) with 0 object(s), 0 queue(s) and 0 table(s)", reseedOut, StringComparison.Ordinal);
        Assert.Contains("1 uploaded", reseedOut, StringComparison.Ordinal);
        ListObjectsV2Response listed = await clients.S3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = "cli-r1" }, Ct);
        Assert.Equal(["hello.txt"], listed.S3Objects.Select(o => o.Key));
    }

    [Fact]
    public async Task Snapshot_builds_once_and_restores_a_data_dir_an_engine_starts_on()
    {
        string manifest = WriteManifest(Manifest);
        string root = Path.GetDirectoryName(manifest)!;
        string enginePath = Path.Combine(AppContext.BaseDirectory, "kumo-embedded.dll");

        (int code, string stdout, string stderr) = await RunAsync("snapshot", "--manifest", manifest, "--store", Path.Combine(root, "store"), "--restore-to", Path.Combine(root, "w0"), "--engine-path", enginePath, "--run", "snap", "--worker", "w0");

        Assert.True(code == 0, stderr);
        string dataDir = stdout.Trim().Split('\n').Single(l => l.StartsWith("KUMO_DATA_DIR=", StringComparison.Ordinal))["KUMO_DATA_DIR=".Length..];
        await using KumoEngine engine = await KumoEngine.StartAsync(new KumoEngineOptions { Port = 0, DataDir = dataDir }, NullLoggerProvider.Instance, Ct);
        using KumoClients clients = KumoClients.Create(engine.Endpoint);
        Assert.Contains((await clients.S3.ListBucketsAsync(Ct)).Buckets, b => b.BucketName == "cli-snap");
        string queueUrl = (await clients.Sqs.GetQueueUrlAsync("cli-w0", Ct)).QueueUrl;
        ReceiveMessageResponse received = await clients.Sqs.ReceiveMessageAsync(new ReceiveMessageRequest { QueueUrl = queueUrl }, Ct);
        Assert.Equal("first", Assert.Single(received.Messages).Body);
    }

    [Theory]
    [InlineData("frobnicate")]
    [InlineData("seed --manifest x.json")]
    [InlineData("seed --endpoint ftp://x --manifest x.json")]
    [InlineData("dump --endpoint http://127.0.0.1:1 --bogus 1")]
    public async Task Bad_usage_exits_2_with_a_fix(string line)
    {
        (int code, _, string stderr) = await RunAsync(line.Split(' '));

        Assert.Equal(2, code);
        Assert.StartsWith("kumoctl: ", stderr, StringComparison.Ordinal);
    }

    /// <summary>Every failure is one line naming the fix, with the documented exit code; never an abort (134) with a stack trace.</summary>
    private static void AssertFailure(int expected, (int ExitCode, string StdOut, string StdErr) result, string mentions)
    {
        Assert.True(result.ExitCode == expected, $"expected exit {expected}, got {result.ExitCode}; stderr: {result.StdErr}");
        string[] lines = result.StdErr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        string last = lines[^1];
        Assert.StartsWith("kumoctl: ", last, StringComparison.Ordinal);
        Assert.Contains(mentions, last, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.StdErr, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled exception", result.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Snapshot_into_a_non_empty_folder_exits_2_naming_the_fix()
    {
        string manifest = WriteManifest(Manifest);
        string root = Path.GetDirectoryName(manifest)!;
        string target = Path.Combine(root, "busy");
        Directory.CreateDirectory(target);
        File.WriteAllText(Path.Combine(target, "already-here.txt"), "x");

        var result = await RunAsync("snapshot", "--manifest", manifest, "--store", Path.Combine(root, "store"), "--restore-to", target, "--engine-path", Path.Combine(AppContext.BaseDirectory, "kumo-embedded.dll"));

        AssertFailure(2, result, "is not empty");
        Assert.Contains("delete it first", result.StdErr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(root, "store")), "the snapshot should not be built for a target it cannot restore into");
    }

    [Fact]
    public async Task Snapshot_lock_held_past_the_timeout_exits_1_naming_the_holder_and_the_fix()
    {
        string manifest = WriteManifest(Manifest);
        string root = Path.GetDirectoryName(manifest)!;
        string store = Path.Combine(root, "store");
        string enginePath = Path.Combine(AppContext.BaseDirectory, "kumo-embedded.dll");
        var built = await RunAsync("snapshot", "--manifest", manifest, "--store", store, "--restore-to", Path.Combine(root, "w0"), "--engine-path", enginePath, "--run", "lock", "--worker", "w0");
        Assert.True(built.ExitCode == 0, built.StdErr);
        string lockFile = Assert.Single(Directory.GetFiles(store, ".lock-*"));
        string snapshot = Path.Combine(store, Path.GetFileName(lockFile)[".lock-".Length..]);
        Directory.Delete(snapshot, recursive: true); // so the next run must build, under the lock

        (int, string, string) result;
        using (new FileStream(lockFile, FileMode.Open, FileAccess.ReadWrite, FileShare.None))
        {
            result = await RunAsync("snapshot", "--manifest", manifest, "--store", store, "--restore-to", Path.Combine(root, "w1"), "--engine-path", enginePath, "--run", "lock", "--worker", "w0", "--lock-timeout", "1");
        }

        AssertFailure(1, result, "timed out");
        Assert.Contains("LockTimeout", result.Item3, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dump_to_an_unwritable_path_exits_1()
    {
        await using KumoEngine engine = await KumoEngine.StartAsync(new KumoEngineOptions { Port = 0 }, NullLoggerProvider.Instance, Ct);
        string file = WriteManifest("{}");

        var result = await RunAsync("dump", "--endpoint", engine.Endpoint.ToString(), "--out", Path.Combine(file, "state.json"));

        AssertFailure(1, result, "dump");
    }

    [Fact]
    public async Task Seed_and_dump_against_an_engine_that_is_not_running_exit_1()
    {
        string manifest = WriteManifest(Manifest);
        const string nothingListens = "http://127.0.0.1:1";

        var seed = await RunAsync("seed", "--endpoint", nothingListens, "--manifest", manifest);
        var dump = await RunAsync("dump", "--endpoint", nothingListens);

        AssertFailure(1, seed, "kumoctl: ");
        AssertFailure(1, dump, "could not be read");
    }

    [Theory]
    [InlineData("validate --manifest /nonexistent/seed.json", 2)]
    [InlineData("validate --manifest /", 2)]
    [InlineData("snapshot --manifest x.json --store s", 2)]
    [InlineData("snapshot --manifest x.json --store s --restore-to w --lock-timeout -3", 2)]
    [InlineData("seed --endpoint http://127.0.0.1:1 --manifest x.json --parallelism 0", 2)]
    public async Task Every_usage_or_manifest_failure_is_one_line_with_its_exit_code(string line, int expected)
    {
        var result = await RunAsync(line.Split(' '));

        AssertFailure(expected, result, "kumoctl: ");
    }
}
