using Amazon.S3;
using Amazon.SQS.Model;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Kumo.Aspire.Hosting.Testing;
using Kumo.Aspire.Hosting.Tests.Utils;
using Kumo.Snapshots;
using Kumo.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Kumo.Aspire.Hosting.Tests;

/// <summary>
/// The dashboard commands: registered on every kumo resource with their state rule, and run end to end against a live
/// engine (the endpoint allocation stands in for DCP).
/// </summary>
public class KumoCommandTests
{
    private static readonly string EmbeddedDll = typeof(global::Kumo.Embedded.KumoEngine).Assembly.Location;

    private static readonly KumoRunContext Run = new("cmd", "w1");

    [Fact]
    public void EveryKumoResourceHasTheFourCommands()
    {
        var builder = DistributedApplication.CreateBuilder();
        IResource[] resources = [builder.AddKumo("container").Resource, builder.AddKumoEmbedded("embedded", EmbeddedDll).Resource];

        foreach (var resource in resources)
        {
            var commands = resource.Annotations.OfType<ResourceCommandAnnotation>().ToDictionary(c => c.Name);
            Assert.Equal(["dump-state", "reseed", "reset", "snapshot-now"], commands.Keys.Order(StringComparer.Ordinal));
            Assert.Equal("Reseed", commands["reseed"].DisplayName);
            Assert.Equal("Reset", commands["reset"].DisplayName);
            Assert.Equal("Snapshot now", commands["snapshot-now"].DisplayName);
            Assert.Equal("Dump state", commands["dump-state"].DisplayName);
            Assert.Contains(resource.Name, commands["reset"].ConfirmationMessage, StringComparison.Ordinal);
            Assert.All(commands.Values, c => Assert.False(string.IsNullOrWhiteSpace(c.DisplayDescription)));
        }
    }

    [Theory]
    [InlineData("Running", "Seeded", "Enabled")]
    [InlineData("Running", "Restored", "Enabled")]
    [InlineData("Seed failed", "Failed", "Enabled")] // fix the cause, then reseed
    [InlineData("Running", "Seeding", "Disabled")]
    [InlineData("Running", "Restoring", "Disabled")]
    [InlineData("Running", "Pending", "Disabled")]
    [InlineData("Starting", null, "Disabled")]
    [InlineData("Exited", "Seeded", "Disabled")]
    [InlineData("FailedToStart", "Failed", "Disabled")]
    public void CommandsAreEnabledOnlyWhileTheResourceRunsAndIsNotSeeding(string state, string? seed, string expected)
    {
        // Health reports are published by Aspire's health monitor only (their setter is internal), so these snapshots
        // have none, which Aspire and the rule both read as healthy; an unhealthy report disables the commands too.
        var builder = DistributedApplication.CreateBuilder();
        var kumo = builder.AddKumo("kumo");
        using var app = builder.Build();
        var snapshot = new CustomResourceSnapshot
        {
            ResourceType = "Container",
            State = state,
            Properties = seed is null ? [] : [new ResourcePropertySnapshot("kumo.seed", seed)],
        };

        foreach (var command in kumo.Resource.Annotations.OfType<ResourceCommandAnnotation>())
        {
            Assert.Equal(expected, command.UpdateState(new UpdateCommandStateContext { ResourceSnapshot = snapshot, Services = app.Services }).ToString());
        }
    }

    [Fact]
    public async Task ReseedRestoresWhatWasDeletedAndLeavesTheRestAlone()
    {
        var ct = TestContext.Current.CancellationToken;
        using var directory = new TestDirectory();
        await using var engine = await InProcessKumo.StartAsync();
        var builder = DistributedApplication.CreateBuilder();
        var kumo = builder.AddKumo("kumo").WithSeed(SeedFixtures.WriteOrders(directory)).WithRunContext(Run).AllocateHttp(engine.Port);
        using var app = builder.Build();
        await SimulatedDcp.StartAsync(builder, app, kumo.Resource);
        using var s3 = app.CreateKumoS3Client("kumo");
        using var sqs = app.CreateKumoSqsClient("kumo");
        await s3.DeleteObjectAsync("orders-cmd-w1", "welcome.txt", ct);
        await sqs.DeleteQueueAsync((await sqs.GetQueueUrlAsync("orders-dlq-w1", ct)).QueueUrl, ct);

        var result = await app.ResourceCommands.ExecuteCommandAsync(kumo.Resource, "reseed", ct);

        Assert.True(result.Success, result.Message);
        Assert.Equal("hello", await ReadAsync(s3, "orders-cmd-w1", "welcome.txt"));
        Assert.NotNull((await sqs.GetQueueUrlAsync("orders-dlq-w1", ct)).QueueUrl);
        var outcome = Property(app, "kumo.command");
        Assert.StartsWith("reseed: seeded 1 plan(s)", outcome, StringComparison.Ordinal);
        Assert.Contains("1 object(s) uploaded (1 unchanged)", outcome, StringComparison.Ordinal);
        Assert.Equal("Seeded", Property(app, "kumo.seed"));
    }

    [Fact]
    public async Task ResetWipesEverythingThenSeedsTheFixtureAgain()
    {
        var ct = TestContext.Current.CancellationToken;
        using var directory = new TestDirectory();
        await using var engine = await InProcessKumo.StartAsync();
        var builder = DistributedApplication.CreateBuilder();
        var kumo = builder.AddKumo("kumo").WithSeed(SeedFixtures.WriteOrders(directory)).WithRunContext(Run).AllocateHttp(engine.Port);
        using var app = builder.Build();
        await SimulatedDcp.StartAsync(builder, app, kumo.Resource);
        using var s3 = app.CreateKumoS3Client("kumo");
        using var sqs = app.CreateKumoSqsClient("kumo");
        await s3.PutBucketAsync("scratch", ct);
        await s3.PutObjectAsync(new Amazon.S3.Model.PutObjectRequest { BucketName = "scratch", Key = "a.txt", ContentBody = "a" }, ct);
        await s3.PutObjectAsync(new Amazon.S3.Model.PutObjectRequest { BucketName = "orders-cmd-w1", Key = "welcome.txt", ContentBody = "changed by a test" }, ct);
        await sqs.CreateQueueAsync("scratch-queue", ct);
        var ordersUrl = (await sqs.GetQueueUrlAsync("orders-w1", ct)).QueueUrl;
        await sqs.SendMessageAsync(ordersUrl, "left over by a test", ct);

        var result = await app.ResourceCommands.ExecuteCommandAsync(kumo.Resource, "reset", ct);

        Assert.True(result.Success, result.Message);
        Assert.Equal(["orders-cmd-w1"], (await s3.ListBucketsAsync(ct)).Buckets.Select(b => b.BucketName));
        Assert.Equal("hello", await ReadAsync(s3, "orders-cmd-w1", "welcome.txt"));
        Assert.Equal(SeedFixtures.OrderJson, await ReadAsync(s3, "orders-cmd-w1", "orders/1.json"));
        var queues = (await sqs.ListQueuesAsync(new ListQueuesRequest(), ct)).QueueUrls.Select(u => u[(u.LastIndexOf('/') + 1)..]).Order(StringComparer.Ordinal);
        Assert.Equal(["orders-dlq-w1", "orders-w1"], queues);
        // The queue was recreated by the seed, so it holds exactly the fixture's message again.
        ordersUrl = (await sqs.GetQueueUrlAsync("orders-w1", ct)).QueueUrl;
        var received = await sqs.ReceiveMessageAsync(new ReceiveMessageRequest { QueueUrl = ordersUrl, MaxNumberOfMessages = 10, WaitTimeSeconds = 1 }, ct);
        Assert.Equal(["first order"], received.Messages.Select(m => m.Body));
        Assert.StartsWith("reset: deleted 2 bucket(s) with 3 object(s), 3 queue(s) and 0 table(s); seeded 1 plan(s)", Property(app, "kumo.command"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task DumpStateWritesTheBucketsAndQueuesToTheResourceLogAsJson()
    {
        var ct = TestContext.Current.CancellationToken;
        using var directory = new TestDirectory();
        await using var engine = await InProcessKumo.StartAsync();
        var builder = DistributedApplication.CreateBuilder();
        var kumo = builder.AddKumoEmbedded("kumo", EmbeddedDll).WithSeed(SeedFixtures.WriteOrders(directory)).WithRunContext(Run).AllocateHttp(engine.Port);
        using var app = builder.Build();
        await SimulatedDcp.StartAsync(builder, app, kumo.Resource);

        var result = await app.ResourceCommands.ExecuteCommandAsync(kumo.Resource, "dump-state", ct);

        Assert.True(result.Success, result.Message);
        var file = Property(app, "kumo.dump");
        Assert.True(File.Exists(file), $"dump-state wrote no file '{file}'.");
        var entry = Assert.Single(await LogAsync(app, kumo.Resource), l => l.Contains($"kumo: state of 'kumo' (1 bucket(s), 2 object(s), 2 queue(s)), also in {file}:", StringComparison.Ordinal));
        var dump = KumoStateDump.FromJson(entry[(entry.IndexOf('\n', StringComparison.Ordinal) + 1)..]);
        Assert.Equal(dump.ToJson(), KumoStateDump.FromJson(await File.ReadAllTextAsync(file, ct)).ToJson());
        Assert.Equal(["orders-cmd-w1"], dump.Buckets.Select(b => b.Name));
        Assert.Equal(["orders/1.json", "welcome.txt"], dump.Buckets[0].Objects.Select(o => o.Key));
        Assert.Equal(["orders-dlq-w1", "orders-w1"], dump.Queues.Select(q => q.Name));
        Assert.Equal(1, dump.Queues[1].ApproximateNumberOfMessages);
        Assert.Equal($"dump-state: wrote the state (1 bucket(s), 2 object(s), 2 queue(s)) to '{file}' and the resource log", Property(app, "kumo.command"));
    }

    [Fact]
    public async Task SnapshotNowPublishesTheSeedPlansSnapshotWithAValidManifest()
    {
        var ct = TestContext.Current.CancellationToken;
        using var directory = new TestDirectory();
        await using var engine = await InProcessKumo.StartAsync();
        var builder = DistributedApplication.CreateBuilder();
        var kumo = builder.AddKumoEmbedded("kumo", EmbeddedDll)
                          .WithSeed(SeedFixtures.WriteOrders(directory))
                          .WithRunContext(Run)
                          .WithSnapshot(directory.Combine("store"))
                          .AllocateHttp(engine.Port);
        using var app = builder.Build();
        await SimulatedDcp.RunningAsync(app, kumo.Resource);
        await SimulatedDcp.ReadyAsync(builder, app, kumo.Resource);

        var first = await app.ResourceCommands.ExecuteCommandAsync(kumo.Resource, "snapshot-now", ct);
        var firstOutcome = Property(app, "kumo.command");
        var second = await app.ResourceCommands.ExecuteCommandAsync(kumo.Resource, "snapshot-now", ct);

        Assert.True(first.Success, first.Message);
        Assert.True(second.Success, second.Message);
        var store = new SnapshotStore(directory.Combine("store"));
        var snapshot = Assert.Single(store.List());
        Assert.True(File.Exists(Path.Combine(snapshot.Directory, "manifest.json")));
        var manifest = await store.ValidateAsync(snapshot, kumo.Resource.Engine, ct);
        Assert.Equal("kumo-embedded", manifest.Engine.Name);
        // The names use {run} and {worker}, so the core keys the snapshot by the run and worker too.
        Assert.Equal("v1+run=cmd+worker=w1", manifest.FixtureVersion);
        Assert.Contains(manifest.Files, f => f.Path.StartsWith("s3", StringComparison.Ordinal));
        Assert.StartsWith($"snapshot-now: built and published snapshot {snapshot.Key}", firstOutcome, StringComparison.Ordinal);
        Assert.Contains("are not in it", firstOutcome, StringComparison.Ordinal);
        Assert.Contains("flushed", firstOutcome, StringComparison.Ordinal);
        Assert.StartsWith($"snapshot-now: snapshot {snapshot.Key} of the seed plans is already published", Property(app, "kumo.command"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CommandsThatCannotRunSayWhyAndWhatToDo()
    {
        var ct = TestContext.Current.CancellationToken;
        using var directory = new TestDirectory();
        await using var engine = await InProcessKumo.StartAsync();
        var builder = DistributedApplication.CreateBuilder();
        var container = builder.AddKumo("container").WithSeed(SeedFixtures.WriteOrders(directory)).WithRunContext(Run).AllocateHttp(engine.Port);
        var unseeded = builder.AddKumoEmbedded("unseeded", EmbeddedDll).AllocateHttp(engine.Port);
        var stopped = builder.AddKumo("stopped");
        using var app = builder.Build();

        var snapshot = await app.ResourceCommands.ExecuteCommandAsync(container.Resource, "snapshot-now", ct);
        Assert.False(snapshot.Success);
        Assert.Contains("kumo container, which has no snapshots", snapshot.Message, StringComparison.Ordinal);
        Assert.Contains("AddKumoEmbedded or AddKumoBinary", snapshot.Message, StringComparison.Ordinal);

        var reseed = await app.ResourceCommands.ExecuteCommandAsync(unseeded.Resource, "reseed", ct);
        Assert.False(reseed.Success);
        Assert.Contains("'unseeded' has no seed plan", reseed.Message, StringComparison.Ordinal);
        Assert.Contains("WithSeed", reseed.Message, StringComparison.Ordinal);

        var notRunning = await app.ResourceCommands.ExecuteCommandAsync(stopped.Resource, "dump-state", ct);
        Assert.False(notRunning.Success);
        Assert.Contains("'stopped' is not running", notRunning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AFailingReseedReportsTheCauseAndMarksTheResourceFailed()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var engine = await InProcessKumo.StartAsync(o => o with { MaxObjectSize = 4 });
        var builder = DistributedApplication.CreateBuilder();
        var kumo = builder.AddKumo("kumo").WithSeed(p => p.FixtureVersion("v1").Bucket("big", b => b.Object("big.txt", "more than four bytes"))).AllocateHttp(engine.Port);
        using var app = builder.Build();
        await SimulatedDcp.BeforeStartAsync(builder, app, kumo.Resource);
        await SimulatedDcp.RunningAsync(app, kumo.Resource);
        await Assert.ThrowsAnyAsync<Exception>(() => SimulatedDcp.ReadyAsync(builder, app, kumo.Resource));

        var result = await app.ResourceCommands.ExecuteCommandAsync(kumo.Resource, "reseed", ct);

        Assert.False(result.Success);
        Assert.Contains("reseed failed: fluent seed plan failed:", result.Message, StringComparison.Ordinal);
        Assert.Contains("big.txt", result.Message, StringComparison.Ordinal);
        Assert.Equal("Failed", Property(app, "kumo.seed"));
    }

    private static async Task<string> ReadAsync(IAmazonS3 s3, string bucket, string key)
    {
        using var response = await s3.GetObjectAsync(bucket, key, TestContext.Current.CancellationToken);
        using var reader = new StreamReader(response.ResponseStream);
        return await reader.ReadToEndAsync(TestContext.Current.CancellationToken);
    }

    private static string? Property(DistributedApplication app, string name) =>
        app.ResourceNotifications.TryGetCurrentState(app.Services.GetRequiredService<DistributedApplicationModel>().Resources.OfType<IKumoResource>().First().Name, out var state)
            ? state!.Snapshot.Properties.FirstOrDefault(p => p.Name == name)?.Value?.ToString()
            : null;

    internal static Task<List<string>> LogAsync(DistributedApplication app, IResource resource) =>
        KumoResourceLogs.ReadAsync(app.Services.GetRequiredService<ResourceLoggerService>(), resource, TestContext.Current.CancellationToken);
}
