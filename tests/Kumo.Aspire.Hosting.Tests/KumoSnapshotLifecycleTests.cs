using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Kumo.Aspire.Hosting.Testing;
using Kumo.Aspire.Hosting.Tests.Utils;
using Kumo.Engines;
using Kumo.Testing;

namespace Kumo.Aspire.Hosting.Tests;

/// <summary>
/// WithSnapshot through the lifecycle: the before-start event builds (once) and restores the snapshot with the core's
/// SnapshotStore and a real engine process; the restored directory is then served by a real engine process
/// (<see cref="EngineProcess"/>), standing in for the one DCP would start with the same <c>KUMO_DATA_DIR</c>.
/// </summary>
public class KumoSnapshotLifecycleTests
{
    private static readonly string EmbeddedDll = typeof(global::Kumo.Embedded.KumoEngine).Assembly.Location;

    [Fact]
    public async Task TheFirstRunBuildsTheSnapshotAndASecondRunRestoresItInsteadOfSeeding()
    {
        var ct = TestContext.Current.CancellationToken;
        using var directory = new TestDirectory();
        var manifest = SeedFixtures.WriteOrders(directory);
        var store = directory.Combine("store");
        var run = new KumoRunContext("snap", "w1");

        // First AppHost run: nothing in the store, so the snapshot is built by a separate engine process, then restored.
        string firstDataDir;
        string key;
        {
            var builder = DistributedApplication.CreateBuilder();
            var kumo = builder.AddKumoEmbedded("kumo", EmbeddedDll).WithSeed(manifest).WithRunContext(run).WithSnapshot(store).AllocateHttp(52350);
            using var app = builder.Build();

            await SimulatedDcp.BeforeStartAsync(builder, app, kumo.Resource);

            var env = await ExecutionConfiguration.GetEnvironmentAsync(kumo.Resource, app.Services);
            firstDataDir = env["KUMO_DATA_DIR"];
            key = Property(app, "kumo.snapshot")!;
            Assert.StartsWith(Path.Combine(store, "runs", $".tmp-{Environment.ProcessId}-"), firstDataDir, StringComparison.Ordinal);
            Assert.EndsWith("-snap-w1-kumo", firstDataDir, StringComparison.Ordinal);
            Assert.True(File.Exists(Path.Combine(store, key, "manifest.json")));
            Assert.Equal("Pending", Property(app, "kumo.seed"));
            // The start publishes what it restored in the resource snapshot; KUMO_DATA_DIR above was read from there.
            Assert.Equal(firstDataDir, Property(app, "kumo.snapshot.data"));
            Assert.Equal(Path.Combine(store, key, "manifest.json"), Property(app, "kumo.snapshot.manifest"));
            var log = await KumoCommandTests.LogAsync(app, kumo.Resource);
            Assert.Contains(log, l => l.Contains($"kumo: built snapshot {key}", StringComparison.Ordinal));
        }

        // Second AppHost run: the snapshot is reused and restored into a new directory; the seed plans are skipped.
        {
            var builder = DistributedApplication.CreateBuilder();
            var kumo = builder.AddKumoEmbedded("kumo", EmbeddedDll).WithSeed(manifest).WithRunContext(run).WithSnapshot(store).AllocateHttp(52351);
            using var app = builder.Build();

            await SimulatedDcp.BeforeStartAsync(builder, app, kumo.Resource);
            var dataDir = (await ExecutionConfiguration.GetEnvironmentAsync(kumo.Resource, app.Services))["KUMO_DATA_DIR"];
            Assert.NotEqual(firstDataDir, dataDir);
            Assert.Equal(key, Property(app, "kumo.snapshot"));
            var log = await KumoCommandTests.LogAsync(app, kumo.Resource);
            Assert.Contains(log, l => l.Contains($"kumo: reused snapshot {key}", StringComparison.Ordinal));
            Assert.DoesNotContain(log, l => l.Contains("kumo: built snapshot", StringComparison.Ordinal));

            // The engine DCP would start: the same engine on the restored directory.
            await using var engine = await EngineProcess.StartAsync(kumo.Resource.Engine, new EngineStartOptions { DataDir = dataDir, LogFile = directory.Combine("engine.log") }, ct);
            kumo.WithEndpoint("http", e => e.AllocatedEndpoint = new AllocatedEndpoint(e, "localhost", engine.Endpoint.Port, "{{- portForServing \"kumo\" -}}"));
            await SimulatedDcp.RunningAsync(app, kumo.Resource);
            await SimulatedDcp.ReadyAsync(builder, app, kumo.Resource);
            await app.WaitForKumoSeededAsync("kumo", ct);

            Assert.Equal("Restored", Property(app, "kumo.seed"));
            Assert.Null(Property(app, "kumo.seed.summary")); // nothing was seeded
            using var s3 = app.CreateKumoS3Client("kumo");
            using var sqs = app.CreateKumoSqsClient("kumo");
            using var welcome = await s3.GetObjectAsync("orders-snap-w1", "welcome.txt", ct);
            Assert.Equal("hello", await new StreamReader(welcome.ResponseStream).ReadToEndAsync(ct));
            var queueUrl = (await sqs.GetQueueUrlAsync("orders-w1", ct)).QueueUrl;
            var message = await sqs.ReceiveMessageAsync(new Amazon.SQS.Model.ReceiveMessageRequest { QueueUrl = queueUrl, WaitTimeSeconds = 1 }, ct);
            Assert.Equal("first order", Assert.Single(message.Messages).Body);

            // Failure artifacts find the restored snapshot's manifest through the same published state.
            var saved = await app.WriteKumoFailureArtifactsAsync("kumo", "restored-run", rootDirectory: directory.Combine("artifacts"), cancellationToken: ct);
            Assert.Equal(await File.ReadAllTextAsync(Path.Combine(store, key, "manifest.json"), ct), await File.ReadAllTextAsync(Path.Combine(saved.Directory, "snapshot-manifest.json"), ct));
        }
    }

    [Fact]
    public async Task EachStartRestoresAFreshCopyInsteadOfTheDataDirectoryAndRemovesThePreviousCopy()
    {
        using var directory = new TestDirectory();
        var builder = DistributedApplication.CreateBuilder();
        var kumo = builder.AddKumoEmbedded("kumo", EmbeddedDll)
                          .WithSeed(p => p.FixtureVersion("v1").Queue("jobs"))
                          .WithRunContext(new KumoRunContext("restart", "w1"))
                          .WithSnapshot(directory.Combine("store"))
                          .WithDataDirectory(directory.Combine("data"))
                          .AllocateHttp(52352);
        using var app = builder.Build();
        Assert.Equal(directory.Combine("data"), (await ExecutionConfiguration.GetEnvironmentAsync(kumo.Resource, app.Services))["KUMO_DATA_DIR"]);

        // Whatever the order of the calls, a restored snapshot replaces WithDataDirectory's directory.
        await SimulatedDcp.BeforeStartAsync(builder, app, kumo.Resource);
        var first = Assert.IsType<string>(await ExecutionConfiguration.EvaluateEnvironmentAfreshAsync(kumo.Resource, app.Services, "KUMO_DATA_DIR"));
        await SimulatedDcp.BeforeStartAsync(builder, app, kumo.Resource);
        var second = Assert.IsType<string>(await ExecutionConfiguration.EvaluateEnvironmentAfreshAsync(kumo.Resource, app.Services, "KUMO_DATA_DIR"));

        Assert.NotEqual(first, second);
        Assert.False(Directory.Exists(first), "The previous start's data directory was left behind.");
        Assert.True(Directory.Exists(second));
    }

    [Fact]
    public async Task NamesWithPlaceholdersKeyTheSnapshotByRunSoNoRunGetsAnothersNames()
    {
        using var directory = new TestDirectory();
        var manifest = SeedFixtures.WriteOrders(directory);
        var store = directory.Combine("store");
        var keys = new List<string>();
        foreach (var worker in new[] { "a", "b", "a" })
        {
            var builder = DistributedApplication.CreateBuilder();
            var kumo = builder.AddKumoEmbedded("kumo", EmbeddedDll).WithSeed(manifest).WithSnapshot(store).AllocateHttp(52353);
            builder.WithKumoRunContext(new KumoRunContext("keys", worker));
            using var app = builder.Build();
            await SimulatedDcp.BeforeStartAsync(builder, app, kumo.Resource);
            keys.Add(Property(app, "kumo.snapshot")!);
        }

        Assert.NotEqual(keys[0], keys[1]);
        Assert.Equal(keys[0], keys[2]);
    }

    [Fact]
    public async Task TheContainerIgnoresWithSnapshotAndSaysWhy()
    {
        using var directory = new TestDirectory();
        var builder = DistributedApplication.CreateBuilder();
        var kumo = builder.AddKumo("kumo").WithSeed(p => p.FixtureVersion("v1").Queue("jobs")).WithSnapshot(directory.Combine("store")).AllocateHttp(52354);
        var unseeded = builder.AddKumoEmbedded("unseeded", EmbeddedDll).WithSnapshot(directory.Combine("store")).AllocateHttp(52355);
        using var app = builder.Build();

        await SimulatedDcp.BeforeStartAsync(builder, app, kumo.Resource);
        await SimulatedDcp.BeforeStartAsync(builder, app, unseeded.Resource);

        Assert.StartsWith("not used: the kumo container seeds normally", Property(app, "kumo.snapshot"), StringComparison.Ordinal);
        Assert.Contains(await KumoCommandTests.LogAsync(app, kumo.Resource), l => l.Contains("restoring across engines is never done", StringComparison.Ordinal));
        Assert.StartsWith("not used: no seed plan", Property(app, "kumo.snapshot", "unseeded"), StringComparison.Ordinal);
        Assert.Equal(string.Empty, (await ExecutionConfiguration.GetEnvironmentAsync(unseeded.Resource, app.Services))["KUMO_DATA_DIR"]);
        Assert.False(Directory.Exists(directory.Combine("store")), "Nothing may be built for a container or an empty plan.");
    }

    private static string? Property(DistributedApplication app, string name, string resource = "kumo") => ResourceProperties.Of(app, name, resource);
}
