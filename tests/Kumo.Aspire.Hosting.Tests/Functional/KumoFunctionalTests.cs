using Amazon.S3.Model;
using Amazon.SQS.Model;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Kumo.Aspire.Hosting.Testing;
using Kumo.Aspire.Hosting.Tests.Utils;
using Kumo.Contract;
using Kumo.Engines;
using Kumo.Testing;

namespace Kumo.Aspire.Hosting.Tests.Functional;

/// <summary>
/// Starts real resources through DCP. Each test skips at run time, printing why, when DCP or the container runtime is missing.
/// </summary>
public class KumoFunctionalTests
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task KumoContainerBecomesHealthyIsSeededAndServesS3AndSqs()
    {
        FunctionalPrerequisites.RequireDcpAndContainerRuntime();
        using var cts = Timeout();

        await using var builder = DistributedApplicationTestingBuilder.Create();
        builder.WithKumoRunContext(new KumoRunContext("functional", "container"));
        builder.AddKumo("kumo")
               .WithLogLevel(KumoLogLevel.Warn)
               .WithSeed(plan => plan.FixtureVersion("v1").Bucket("seeded-{worker}", b => b.Object("hello.txt", "hello")).Queue("seeded-{worker}", q => q.Message("hi")));
        await using var app = await builder.BuildAsync(cts.Token);
        await app.StartAsync(cts.Token);

        await app.ResourceNotifications.WaitForResourceHealthyAsync("kumo", cts.Token);
        await app.WaitForKumoSeededAsync("kumo", cts.Token);

        await AssertSeededAsync(app, "kumo", "seeded-container", cts.Token);
        await AssertServesS3AndSqsAsync(app, "kumo", cts.Token);
        await app.StopAsync(cts.Token);
    }

    [Fact]
    public async Task KumoEmbeddedRunsWithoutAContainerRuntimeAndRestartsOnItsSnapshot()
    {
        FunctionalPrerequisites.RequireDcp();
        using var cts = Timeout();
        using var directory = new TestDirectory("kumo-functional-");

        await using var builder = DistributedApplicationTestingBuilder.Create();
        builder.WithKumoRunContext(new KumoRunContext("functional", "embedded"));
        builder.AddKumoEmbedded("kumo", enginePath: typeof(global::Kumo.Embedded.KumoEngine).Assembly.Location)
               .WithSeed(plan => plan.FixtureVersion("v1").Bucket("seeded-{worker}", b => b.Object("hello.txt", "hello")).Queue("seeded-{worker}", q => q.Message("hi")))
               .WithSnapshot(directory.Combine("snapshots"));
        await using var app = await builder.BuildAsync(cts.Token);
        await app.StartAsync(cts.Token);

        await app.WaitForKumoSeededAsync("kumo", cts.Token);
        await AssertSeededAsync(app, "kumo", "seeded-embedded", cts.Token);
        await AssertServesS3AndSqsAsync(app, "kumo", cts.Token);

        // A restart restores a fresh copy of the snapshot: the test's own data is gone, the fixture is back. The wait is for
        // the seed of the new start (a newer start generation), never the stopped process's state.
        var startBefore = app.GetKumoStartGeneration("kumo");
        var restart = await app.ResourceCommands.ExecuteCommandAsync("kumo", KnownResourceCommands.RestartCommand, cts.Token);
        Assert.True(restart.Success, restart.Message);
        await app.WaitForKumoSeededAfterStartAsync("kumo", afterStart: startBefore, cts.Token);
        await AssertSeededAsync(app, "kumo", "seeded-embedded", cts.Token);
        using var s3 = app.CreateKumoS3Client("kumo");
        Assert.DoesNotContain((await s3.ListBucketsAsync(cts.Token)).Buckets, b => b.BucketName == "functional-orders");

        var dump = await app.ResourceCommands.ExecuteCommandAsync("kumo", "dump-state", cts.Token);
        Assert.True(dump.Success, dump.Message);
        await app.StopAsync(cts.Token);
    }

    private static CancellationTokenSource Timeout()
    {
        var cts = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        cts.CancelAfter(StartTimeout);
        return cts;
    }

    private static async Task AssertSeededAsync(DistributedApplication app, string resourceName, string name, CancellationToken ct)
    {
        using var s3 = app.CreateKumoS3Client(resourceName);
        using var hello = await s3.GetObjectAsync(name, "hello.txt", ct);
        Assert.Equal("hello", await new StreamReader(hello.ResponseStream).ReadToEndAsync(ct));

        using var sqs = app.CreateKumoSqsClient(resourceName);
        Assert.NotNull((await sqs.GetQueueUrlAsync(name, ct)).QueueUrl);
    }

    private static async Task AssertServesS3AndSqsAsync(DistributedApplication app, string resourceName, CancellationToken ct)
    {
        using var s3 = app.CreateKumoS3Client(resourceName);
        await s3.PutBucketAsync(new PutBucketRequest { BucketName = "functional-orders" }, ct);
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = "functional-orders", Key = "a.txt", ContentBody = "plain body" }, ct);
        var buckets = await s3.ListBucketsAsync(new ListBucketsRequest(), ct);
        Assert.Contains(buckets.Buckets, b => b.BucketName == "functional-orders");

        using var sqs = app.CreateKumoSqsClient(resourceName);
        var queueUrl = (await sqs.CreateQueueAsync("functional-events", ct)).QueueUrl;
        await sqs.SendMessageAsync(queueUrl, "hello from aspire", ct);
        var received = await sqs.ReceiveMessageAsync(new ReceiveMessageRequest { QueueUrl = queueUrl, WaitTimeSeconds = 5 }, ct);
        Assert.Equal("hello from aspire", Assert.Single(received.Messages).Body);
    }
}
