using Amazon.S3.Model;
using Amazon.SQS.Model;
using Kumo.Engines;
using Kumo.Seeding;
using Kumo.Snapshots;

namespace Kumo.Testing.Tests.Xunit;

/// <summary>Fixtures created by hand (as xunit would), to watch two of them share a snapshot but not their data.</summary>
public sealed class KumoFixtureIsolationTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Two_workers_share_one_snapshot_built_once_but_never_see_each_others_writes()
    {
        string store = TestStore.NewDirectory("isolation");
        var one = new WorkerFixture(store, new KumoRunContext("iso", "w1"));
        var two = new WorkerFixture(store, new KumoRunContext("iso", "w2"));
        try
        {
            // Started in parallel, as two test classes would be: the store's lock lets exactly one build.
            await Task.WhenAll(one.InitializeAsync().AsTask(), two.InitializeAsync().AsTask());

            Assert.True(one.Snapshot.Built ^ two.Snapshot.Built, $"exactly one fixture builds (w1 built: {one.Snapshot.Built}, w2 built: {two.Snapshot.Built})");
            Assert.Equal(one.Snapshot.Key, two.Snapshot.Key);
            Assert.Equal([one.Snapshot.Key], new SnapshotStore(store).List().Select(s => s.Key));
            Assert.NotEqual(one.Endpoint, two.Endpoint);
            Assert.NotEqual(one.DataDir.Path, two.DataDir.Path);
            Assert.Equal("w1", one.RunContext.WorkerId);
            Assert.Equal("w2", two.RunContext.WorkerId);

            // Plain names: the same bucket and queue name in both engines.
            string bucket = one.Names["shared"];
            Assert.Equal(bucket, two.Names["shared"]);
            await one.S3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "from-w1.txt", ContentBody = "1" }, Ct);
            await two.S3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "from-w2.txt", ContentBody = "2" }, Ct);
            await two.S3.DeleteObjectAsync(bucket, "seeded-a.txt", Ct);
            await one.Sqs.SendMessageAsync((await one.Sqs.GetQueueUrlAsync("work", Ct)).QueueUrl, "extra", Ct);

            Assert.Equal(["from-w1.txt", "seeded-a.txt", "seeded-b.txt"], await KeysAsync(one, bucket));
            Assert.Equal(["from-w2.txt", "seeded-b.txt"], await KeysAsync(two, bucket));
            Assert.Equal(3, await DepthAsync(one, "work"));
            Assert.Equal(2, await DepthAsync(two, "work"));
        }
        finally
        {
            string[] workDirectories = [.. new[] { one, two }.Where(f => f.IsStarted).Select(f => f.WorkDirectory)];
            await one.DisposeAsync();
            await two.DisposeAsync();
            Assert.All(workDirectories, directory => Assert.False(Directory.Exists(directory), $"{directory} is deleted on dispose"));
            Assert.Single(new SnapshotStore(store).List());
            TestStore.Delete(store);
        }
    }

    [Fact]
    public void Placeholders_in_names_make_the_snapshot_specific_to_the_run_or_worker()
    {
        SeedContext context = new("r7", "w3");
        SeedPlan plain = new SeedPlanBuilder().FixtureVersion("v1").Bucket("orders").Queue("jobs").Build();
        SeedPlan perRun = new SeedPlanBuilder().FixtureVersion("v1").Bucket("orders-{run}").Queue("jobs").Build();
        SeedPlan perWorker = new SeedPlanBuilder().FixtureVersion("v1").Bucket("orders").Queue("jobs-{run}-{worker}").Build();

        Assert.Equal("v1", plain.Resolve(context).SnapshotFixtureVersion());
        Assert.Equal("v1+run=r7", perRun.Resolve(context).SnapshotFixtureVersion());
        Assert.Equal("v1+run=r7+worker=w3", perWorker.Resolve(context).SnapshotFixtureVersion());
    }

    [Fact]
    public async Task An_unstarted_fixture_says_how_to_start_it()
    {
        var fixture = new WorkerFixture(TestStore.NewDirectory("unused"), new KumoRunContext("r", "w"));

        InvalidOperationException e = Assert.Throws<InvalidOperationException>(() => fixture.S3);
        Assert.Contains("WorkerFixture is not started", e.Message, StringComparison.Ordinal);
        Assert.Contains("IClassFixture<>", e.Message, StringComparison.Ordinal);
        Assert.False(fixture.IsStarted);
        Assert.Equal("WorkerFixture (not started)", fixture.ToString());
        await fixture.DisposeAsync();
    }

    [Fact]
    public async Task A_fixture_without_a_plan_says_how_to_supply_one()
    {
        var fixture = new PlanlessFixture();

        InvalidOperationException e = await Assert.ThrowsAsync<InvalidOperationException>(() => fixture.InitializeAsync().AsTask());

        Assert.Contains("PlanlessFixture has no seed plan", e.Message, StringComparison.Ordinal);
        Assert.Contains("override CreatePlan()", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_manifest_is_reported_with_its_full_path()
    {
        var fixture = new MissingManifestFixture();

        SeedManifestException e = await Assert.ThrowsAsync<SeedManifestException>(() => fixture.InitializeAsync().AsTask());

        Assert.Contains(Path.Combine(AppContext.BaseDirectory, "Xunit", "no-such-seed.json"), e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_failed_engine_start_leaves_no_working_directory()
    {
        var fixture = new BrokenStartFixture();

        await Assert.ThrowsAsync<ArgumentException>(() => fixture.InitializeAsync().AsTask());

        Assert.False(fixture.IsStarted);
        string work = Path.Combine(TestStore.Root, KumoFixture.WorkDirectoryName);
        Assert.DoesNotContain(Directory.GetDirectories(work), d => Path.GetFileName(d).Contains("-brokenstartfixture-", StringComparison.Ordinal));
    }

    private static async Task<string[]> KeysAsync(KumoFixture fixture, string bucket) =>
        [.. (await fixture.S3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket }, Ct)).S3Objects.Select(o => o.Key)];

    private static async Task<int?> DepthAsync(KumoFixture fixture, string queue)
    {
        string url = (await fixture.Sqs.GetQueueUrlAsync(queue, Ct)).QueueUrl;
        return (await fixture.Sqs.GetQueueAttributesAsync(url, ["ApproximateNumberOfMessages"], Ct)).ApproximateNumberOfMessages;
    }

    /// <summary>A builder-made plan with plain names, for a given worker and store.</summary>
    private sealed class WorkerFixture(string store, KumoRunContext context) : KumoFixture(seed => seed
        .Bucket("shared", b => b.Object("seeded-a.txt", "a").Object("seeded-b.txt", "b"))
        .Queue("work", q => q.Message("m1").Message("m2")))
    {
        protected override string GetSnapshotDirectory() => store;

        protected override KumoRunContext CreateRunContext() => context;
    }

    private sealed class PlanlessFixture : KumoFixture
    {
        protected override string GetSnapshotDirectory() => TestStore.Root;
    }

    private sealed class MissingManifestFixture() : KumoFixture("Xunit/no-such-seed.json")
    {
        protected override string GetSnapshotDirectory() => TestStore.Root;
    }

    /// <summary>The orders plan (a snapshot the store already has or builds), but engine options the launcher rejects.</summary>
    private sealed class BrokenStartFixture() : KumoFixture(OrdersFixture.ManifestPath)
    {
        protected override string GetSnapshotDirectory() => TestStore.Root;

        protected override EngineStartOptions CreateEngineStartOptions(string dataDirectory, string logFile) =>
            base.CreateEngineStartOptions(dataDirectory, logFile) with { Host = "not-an-address" };
    }
}
