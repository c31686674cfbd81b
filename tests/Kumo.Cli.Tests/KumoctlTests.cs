using System.Diagnostics;
using Amazon.S3.Model;
using Amazon.SQS.Model;
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
}
