using Amazon.SQS.Model;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Kumo.Aspire.Hosting.Lifecycle;
using Kumo.Aspire.Hosting.Testing;
using Kumo.Aspire.Hosting.Tests.Utils;
using Kumo.Testing;

namespace Kumo.Aspire.Hosting.Tests;

/// <summary>
/// WithSeed through the resource lifecycle: the events are raised as DCP and Aspire's health monitor raise them, and the
/// endpoint is allocated to a live in-process engine, so the seed really reaches an engine over HTTP.
/// </summary>
public class KumoSeedingLifecycleTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task TheReadyEventSeedsTheManifestWithTheResourcesRunContext()
    {
        var ct = TestContext.Current.CancellationToken;
        using var directory = new TestDirectory();
        await using var engine = await InProcessKumo.StartAsync(o => o with { StrictKumoCompatibility = true });
        var builder = DistributedApplication.CreateBuilder();
        var kumo = builder.AddKumo("kumo")
                          .WithSeed(SeedFixtures.WriteOrders(directory))
                          .WithRunContext(new KumoRunContext("run-1", "w7"))
                          .AllocateHttp(engine.Port);
        using var app = builder.Build();
        var seeded = app.WaitForKumoSeededAsync("kumo", ct);

        await SimulatedDcp.BeforeStartAsync(builder, app, kumo.Resource);
        Assert.Equal("Pending", Property(app, "kumo.seed"));
        Assert.Equal("run-1", Property(app, "kumo.run"));
        Assert.Equal("w7", Property(app, "kumo.worker"));
        await SimulatedDcp.RunningAsync(app, kumo.Resource);
        await SimulatedDcp.ReadyAsync(builder, app, kumo.Resource);
        await seeded.WaitAsync(Bound, ct);

        using var s3 = app.CreateKumoS3Client("kumo");
        using var sqs = app.CreateKumoSqsClient("kumo");
        var objects = await s3.ListObjectsV2Async(new Amazon.S3.Model.ListObjectsV2Request { BucketName = "orders-run-1-w7" }, ct);
        Assert.Equal(["orders/1.json", "welcome.txt"], objects.S3Objects.Select(o => o.Key));
        var queueUrl = (await sqs.GetQueueUrlAsync("orders-w7", ct)).QueueUrl;
        var attributes = await sqs.GetQueueAttributesAsync(queueUrl, ["All"], ct);
        Assert.Equal("30", attributes.Attributes["VisibilityTimeout"]);
        Assert.Contains("orders-dlq-w7", attributes.Attributes["RedrivePolicy"], StringComparison.Ordinal);
        var message = await sqs.ReceiveMessageAsync(new ReceiveMessageRequest { QueueUrl = queueUrl, WaitTimeSeconds = 1 }, ct);
        Assert.Equal("first order", Assert.Single(message.Messages).Body);

        // Progress and outcome in the properties and the log; strict mode proves the seed's uploads are kumo-safe.
        Assert.Equal("Seeded", Property(app, "kumo.seed"));
        Assert.Contains("1 bucket(s) created", Property(app, "kumo.seed.summary"), StringComparison.Ordinal);
        Assert.StartsWith($"seed manifest '{directory.Combine("kumo-seed.json")}': Verify", Property(app, "kumo.seed.progress"), StringComparison.Ordinal);
        var log = await KumoCommandTests.LogAsync(app, kumo.Resource);
        Assert.Contains(log, l => l.Contains("kumo: seeding seed manifest", StringComparison.Ordinal) && l.Contains("run 'run-1', worker 'w7'", StringComparison.Ordinal));
        Assert.Contains(log, l => l.Contains(": Populate (", StringComparison.Ordinal));
        Assert.Equal(0, engine.Engine.Compatibility.Total);
    }

    [Fact]
    public async Task AFailedSeedFailsTheReadyEventMarksTheResourceAndNamesTheCause()
    {
        var ct = TestContext.Current.CancellationToken;
        // The engine refuses objects over 4 bytes: a real failure answered by the engine, not a stub.
        await using var engine = await InProcessKumo.StartAsync(o => o with { MaxObjectSize = 4 });
        var builder = DistributedApplication.CreateBuilder();
        var kumo = builder.AddKumoEmbedded("kumo", typeof(global::Kumo.Embedded.KumoEngine).Assembly.Location)
                          .WithSeed(p => p.FixtureVersion("v1").Bucket("big", b => b.Object("big.txt", "more than four bytes")))
                          .AllocateHttp(engine.Port);
        var laterStepRan = false;
        KumoReadiness.AddReadyCallback(kumo, "later step", (_, _) =>
        {
            laterStepRan = true;
            return Task.CompletedTask;
        });
        builder.AddProject<TestProject>("orders", launchProfileName: null).WithReference(kumo).WaitFor(kumo);
        using var app = builder.Build();

        await SimulatedDcp.BeforeStartAsync(builder, app, kumo.Resource);
        await SimulatedDcp.RunningAsync(app, kumo.Resource);
        // Aspire stores this task as the ready event's outcome; WaitFor(kumo) awaits it, so "orders" never starts.
        var ex = await Assert.ThrowsAnyAsync<Exception>(() => SimulatedDcp.ReadyAsync(builder, app, kumo.Resource));

        Assert.Contains("fluent seed plan failed:", ex.Message, StringComparison.Ordinal);
        Assert.False(laterStepRan);
        Assert.True(app.ResourceNotifications.TryGetCurrentState("kumo", out var state));
        Assert.Equal(new ResourceStateSnapshot("Seed failed", KnownResourceStateStyles.Error), state!.Snapshot.State);
        Assert.Equal("Failed", Property(app, "kumo.seed"));
        Assert.Contains("big.txt", Property(app, "kumo.seed.error"), StringComparison.Ordinal);
        var waited = await Assert.ThrowsAsync<InvalidOperationException>(() => app.WaitForKumoSeededAsync("kumo", ct).WaitAsync(Bound, ct));
        Assert.Contains("failed to seed: fluent seed plan failed:", waited.Message, StringComparison.Ordinal);
        var log = await KumoCommandTests.LogAsync(app, kumo.Resource);
        Assert.Contains(log, l => l.Contains("'kumo' is not ready and resources that wait for it will not start", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ANameThatResolvesTooLongFailsBeforeTheEngineStarts()
    {
        var builder = DistributedApplication.CreateBuilder();
        var kumo = builder.AddKumo("kumo")
                          .WithSeed(p => p.FixtureVersion("v1").Bucket("a-very-long-bucket-name-prefix-for-orders-{run}-{worker}"))
                          .WithRunContext(new KumoRunContext("run-with-a-long-identifier-0001", "worker-with-a-long-identifier-01"))
                          .AllocateHttp(52340);
        using var app = builder.Build();

        // Raised before DCP creates the container: a throw here is "FailedToStart", nothing runs.
        var ex = await Assert.ThrowsAsync<global::Kumo.Seeding.SeedManifestException>(() => SimulatedDcp.BeforeStartAsync(builder, app, kumo.Resource));

        Assert.Equal("/buckets/0/name", ex.JsonPointer);
        Assert.Equal("Failed", Property(app, "kumo.seed"));
        Assert.Contains("resolves to", Property(app, "kumo.seed.error"), StringComparison.Ordinal);
    }

    private static string? Property(DistributedApplication app, string name) =>
        app.ResourceNotifications.TryGetCurrentState("kumo", out var state)
            ? state!.Snapshot.Properties.FirstOrDefault(p => p.Name == name)?.Value?.ToString()
            : null;
}
