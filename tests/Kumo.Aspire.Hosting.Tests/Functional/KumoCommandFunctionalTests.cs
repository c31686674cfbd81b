using Amazon.S3.Model;
using Amazon.SQS.Model;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Kumo.Aspire.Hosting.Testing;
using Kumo.Aspire.Hosting.Tests.Utils;
using Kumo.Testing;

namespace Kumo.Aspire.Hosting.Tests.Functional;

/// <summary>
/// The dashboard commands for real: an application under DCP with the embedded engine, each command executed through
/// Aspire's command service (what the dashboard's buttons call), its effect asserted through S3, SQS and the files it
/// writes, and the seed state read from the resource's published snapshot. Skips, printing why, without DCP.
/// </summary>
public sealed class KumoCommandFunctionalTests : IAsyncLifetime
{
    private static readonly TimeSpan Bounded = TimeSpan.FromMinutes(2);
    private readonly TestDirectory _directory = new("kumo-commands-");
    private readonly CancellationTokenSource _timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
    private IDistributedApplicationTestingBuilder? _builder;
    private DistributedApplication? _app;

    private CancellationToken Ct => _timeout.Token;

    private DistributedApplication App => _app ?? throw new InvalidOperationException("The application did not start.");

    /// <inheritdoc/>
    public async ValueTask InitializeAsync()
    {
        FunctionalPrerequisites.RequireDcp();
        _timeout.CancelAfter(Bounded);
        _builder = DistributedApplicationTestingBuilder.Create();
        // No WithSnapshot: the engine is seeded at start, and snapshot-now publishes into this store.
        _builder.Configuration["KUMO_SNAPSHOT_DIR"] = _directory.Combine("snapshots");
        _builder.WithKumoRunContext(new KumoRunContext("functional", "commands"));
        _builder.AddKumoEmbedded("kumo", enginePath: typeof(global::Kumo.Embedded.KumoEngine).Assembly.Location)
                .WithSeed(plan => plan.FixtureVersion("v1")
                    .Bucket("orders-{worker}", b => b.Object("welcome.txt", "hello"))
                    .Queue("jobs-{worker}", q => q.Message("job-1")));
        _app = await _builder.BuildAsync(Ct);
        await _app.StartAsync(Ct);
        await _app.WaitForKumoSeededAsync("kumo", Ct);
    }

    [Fact]
    public async Task The_published_snapshot_shows_the_seed_state_run_and_worker()
    {
        Assert.Equal("Seeded", ResourceProperties.Of(App, "kumo.seed"));
        Assert.Null(ResourceProperties.Of(App, "kumo.seed.error"));
        Assert.Contains("1 bucket(s) created", ResourceProperties.Of(App, "kumo.seed.summary"), StringComparison.Ordinal);
        Assert.Equal("functional", ResourceProperties.Of(App, "kumo.run"));
        Assert.Equal("commands", ResourceProperties.Of(App, "kumo.worker"));
        await AssertSeededAsync();
    }

    [Fact]
    public async Task Reseed_restores_what_a_test_deleted()
    {
        using var s3 = App.CreateKumoS3Client("kumo");
        await s3.DeleteObjectAsync("orders-commands", "welcome.txt", Ct);
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = "orders-commands", Key = "mine.txt", ContentBody = "left alone" }, Ct);

        await ExecuteAsync("reseed");

        await AssertSeededAsync();
        using var mine = await s3.GetObjectAsync("orders-commands", "mine.txt", Ct);
        Assert.Equal("left alone", await new StreamReader(mine.ResponseStream).ReadToEndAsync(Ct));
        Assert.Equal("Seeded", ResourceProperties.Of(App, "kumo.seed"));
        Assert.StartsWith("reseed: seeded 1 plan(s)", ResourceProperties.Of(App, "kumo.command"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reset_deletes_everything_and_seeds_again()
    {
        using var s3 = App.CreateKumoS3Client("kumo");
        using var sqs = App.CreateKumoSqsClient("kumo");
        await s3.PutBucketAsync(new PutBucketRequest { BucketName = "scratch" }, Ct);
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = "orders-commands", Key = "mine.txt", ContentBody = "gone after reset" }, Ct);
        await sqs.CreateQueueAsync("scratch", Ct);

        await ExecuteAsync("reset");

        Assert.Equal(["orders-commands"], (await s3.ListBucketsAsync(Ct)).Buckets.Select(b => b.BucketName));
        Assert.Equal(["welcome.txt"], ((await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = "orders-commands" }, Ct)).S3Objects ?? []).Select(o => o.Key));
        Assert.Equal(["jobs-commands"], ((await sqs.ListQueuesAsync(new ListQueuesRequest(), Ct)).QueueUrls ?? []).Select(u => u[(u.LastIndexOf('/') + 1)..]));
        await AssertSeededAsync();
        Assert.StartsWith("reset: deleted 2 bucket(s)", ResourceProperties.Of(App, "kumo.command"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Snapshot_now_publishes_a_snapshot_the_store_can_restore()
    {
        await ExecuteAsync("snapshot-now");
        var built = ResourceProperties.Of(App, "kumo.command");
        await ExecuteAsync("snapshot-now");
        var again = ResourceProperties.Of(App, "kumo.command");

        Assert.StartsWith("snapshot-now: built and published snapshot", built, StringComparison.Ordinal);
        Assert.StartsWith("snapshot-now: snapshot", again, StringComparison.Ordinal);
        Assert.Contains("is already published", again, StringComparison.Ordinal);
        var store = new global::Kumo.Snapshots.SnapshotStore(_directory.Combine("snapshots"));
        var snapshot = Assert.Single(store.List());
        var restored = await store.RestoreAsync(snapshot, _directory.Combine("restored"), Ct);
        Assert.True(restored.Files > 0, "The published snapshot restored no files.");
    }

    [Fact]
    public async Task Dump_state_writes_the_engine_state_to_a_file()
    {
        using var sqs = App.CreateKumoSqsClient("kumo");
        var queueUrl = (await sqs.GetQueueUrlAsync("jobs-commands", Ct)).QueueUrl;
        await sqs.SendMessageAsync(queueUrl, "job-2", Ct);

        await ExecuteAsync("dump-state");

        var file = ResourceProperties.Of(App, "kumo.dump");
        Assert.True(File.Exists(file), $"dump-state wrote no file ('{file}').");
        var dump = KumoStateDump.FromJson(await File.ReadAllTextAsync(file, Ct));
        Assert.Empty(dump.Errors);
        var bucket = Assert.Single(dump.Buckets);
        Assert.Equal("orders-commands", bucket.Name);
        Assert.Equal(["welcome.txt"], bucket.Objects.Select(o => o.Key));
        var queue = Assert.Single(dump.Queues);
        Assert.Equal("jobs-commands", queue.Name);
        Assert.Equal(2, queue.ApproximateNumberOfMessages);
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await _app.StopAsync(stop.Token);
            await _app.DisposeAsync();
        }

        if (_builder is not null)
        {
            await _builder.DisposeAsync();
        }

        _timeout.Dispose();
        _directory.Dispose();
    }

    private async Task ExecuteAsync(string command)
    {
        var result = await App.ResourceCommands.ExecuteCommandAsync("kumo", command, Ct);
        Assert.True(result.Success, $"{command}: {result.Message}");
    }

    private async Task AssertSeededAsync()
    {
        using var s3 = App.CreateKumoS3Client("kumo");
        using var welcome = await s3.GetObjectAsync("orders-commands", "welcome.txt", Ct);
        Assert.Equal("hello", await new StreamReader(welcome.ResponseStream).ReadToEndAsync(Ct));
        using var sqs = App.CreateKumoSqsClient("kumo");
        Assert.NotNull((await sqs.GetQueueUrlAsync("jobs-commands", Ct)).QueueUrl);
    }
}
