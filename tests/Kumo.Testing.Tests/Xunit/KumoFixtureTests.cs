using System.Net;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Amazon.S3.Model;
using Amazon.SQS.Model;
using Kumo.Seeding;
using Kumo.Snapshots;
using Xunit.v3;

namespace Kumo.Testing.Tests.Xunit;

/// <summary>A test class using the fixture the way users do: seeded data is there through the SDK, names resolve, artifacts are written.</summary>
public sealed class KumoFixtureTests(OrdersFixture kumo) : IClassFixture<OrdersFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Seeded_objects_are_in_the_bucket()
    {
        string bucket = kumo.Names["orders-{run}"];

        ListObjectsV2Response listed = await kumo.S3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket }, Ct);
        using GetObjectResponse second = await kumo.S3.GetObjectAsync(bucket, "orders/2.json", Ct);
        using var reader = new StreamReader(second.ResponseStream);

        Assert.Equal(["orders/1.json", "orders/2.json"], listed.S3Objects.Select(o => o.Key));
        Assert.Equal("{\"id\":2,\"total\":40}", await reader.ReadToEndAsync(Ct));
        Assert.Equal("application/json", second.Headers.ContentType);
    }

    [Fact]
    public async Task Seeded_messages_are_on_the_queue()
    {
        string url = (await kumo.Sqs.GetQueueUrlAsync(kumo.Names.Queue("jobs-{run}"), Ct)).QueueUrl;
        GetQueueAttributesResponse attributes = await kumo.Sqs.GetQueueAttributesAsync(url, ["ApproximateNumberOfMessages"], Ct);
        Assert.Equal(2, attributes.ApproximateNumberOfMessages);

        // Peek without consuming (visibility 0), until both bodies have been seen.
        var seen = new HashSet<string>(StringComparer.Ordinal);
        await Eventually.UntilAsync(
            async ct =>
            {
                ReceiveMessageResponse received = await kumo.Sqs.ReceiveMessageAsync(new ReceiveMessageRequest(url) { MaxNumberOfMessages = 10, VisibilityTimeout = 0 }, ct);
                seen.UnionWith((received.Messages ?? []).Select(m => m.Body));
                return seen.Order(StringComparer.Ordinal).ToArray();
            },
            bodies => bodies.Length == 2,
            TimeSpan.FromSeconds(5),
            TimeSpan.FromMilliseconds(50),
            "both seeded messages on the queue",
            Ct);

        Assert.Equal(["job-1", "job-2"], seen.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task The_DynamoDB_client_talks_to_the_fixture_engine()
    {
        string table = kumo.Names.Namespaced("status");

        await kumo.DynamoDB.CreateTableAsync(
            new CreateTableRequest
            {
                TableName = table,
                KeySchema = [new KeySchemaElement("Id", KeyType.HASH)],
                AttributeDefinitions = [new AttributeDefinition("Id", ScalarAttributeType.S)],
                BillingMode = BillingMode.PAY_PER_REQUEST,
            },
            Ct);
        await kumo.DynamoDB.PutItemAsync(table, new Dictionary<string, AttributeValue> { ["Id"] = new("a"), ["N"] = new() { N = "12345678901234567890123456789012345678" } }, Ct);
        GetItemResponse item = await kumo.DynamoDB.GetItemAsync(table, new Dictionary<string, AttributeValue> { ["Id"] = new("a") }, consistentRead: true, Ct);

        Assert.Equal(kumo.Endpoint.GetLeftPart(UriPartial.Authority) + "/", kumo.DynamoDB.Config.ServiceURL);
        Assert.Equal("12345678901234567890123456789012345678", item.Item["N"].N);
    }

    [Fact]
    public void Names_map_plan_names_to_the_concrete_names()
    {
        string run = kumo.RunContext.RunId;

        Assert.Equal($"orders-{run}", kumo.Names["orders-{run}"]);
        Assert.Equal($"orders-{run}", kumo.Names.Bucket("orders-{run}"));
        Assert.Equal($"jobs-{run}", kumo.Names.Queue("jobs-{run}"));
        Assert.Equal($"status-{run}", kumo.Names.Table("status-{run}"));
        Assert.Equal($"status-{run}", kumo.Names["status-{run}"]);
        Assert.Equal($"scratch-{run}-{kumo.RunContext.WorkerId}", kumo.Names.Namespaced("scratch"));

        KeyNotFoundException unknown = Assert.Throws<KeyNotFoundException>(() => kumo.Names["orders"]);
        Assert.Contains("no bucket, queue or table named 'orders'", unknown.Message, StringComparison.Ordinal);
        Assert.Contains("Buckets: ['orders-{run}']; queues: ['jobs-{run}']; tables: ['status-{run}']", unknown.Message, StringComparison.Ordinal);
        Assert.Contains("orders-seed.json", unknown.Message, StringComparison.Ordinal);
        Assert.Contains("Fix:", unknown.Message, StringComparison.Ordinal);
        Assert.Throws<KeyNotFoundException>(() => kumo.Names.Bucket("jobs-{run}"));
        Assert.Throws<KeyNotFoundException>(() => kumo.Names.Table("orders-{run}"));
    }

    [Fact]
    public void Engine_runs_on_its_own_restored_copy_of_the_snapshot()
    {
        string work = Path.Combine(TestStore.Root, KumoFixture.WorkDirectoryName);

        Assert.True(kumo.IsStarted);
        Assert.Equal(IPAddress.Loopback.ToString(), kumo.Endpoint.Host);
        Assert.Equal(kumo.Snapshot.Key, kumo.DataDir.SnapshotKey);
        Assert.StartsWith(TestStore.Root + Path.DirectorySeparatorChar, kumo.Snapshot.Directory, StringComparison.Ordinal);
        Assert.Equal(Path.Combine(kumo.WorkDirectory, "data"), kumo.DataDir.Path);
        Assert.Equal(work, Path.GetDirectoryName(kumo.WorkDirectory));
        Assert.StartsWith($".tmp-{Environment.ProcessId}-{kumo.RunContext.RunId}-{kumo.RunContext.WorkerId}-ordersfixture-", Path.GetFileName(kumo.WorkDirectory), StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(kumo.DataDir.Path, "s3.json")), "the restored data directory holds the engine's S3 state");
        Assert.Equal(kumo.DataDir.Path, kumo.Engine.DataDir);
        Assert.False(kumo.Engine.HasExited);

        // The plan hash keys names as written; the snapshot holds them resolved for this run.
        Assert.Equal($"kumo-testing-tests-1+run={kumo.RunContext.RunId}", kumo.Snapshot.Manifest.FixtureVersion);
        Assert.EndsWith(Path.Combine("Xunit", "orders-seed.json"), kumo.Plan.SourcePath, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_fixture_is_the_one_xunit_attached_to_the_test()
    {
        var test = Assert.IsAssignableFrom<IXunitTest>(TestContext.Current.Test);

        Assert.Equal([typeof(OrdersFixture)], KumoFailureHook.FixtureTypes(test));
        Assert.Same(kumo, await TestContext.Current.GetFixture(typeof(OrdersFixture)));
    }

    [Fact]
    public async Task A_failed_state_writes_manifests_log_state_and_failure()
    {
        // What the test "did" before failing: a bucket of its own, which the state dump must show.
        string evidence = kumo.Names.Namespaced("evidence");
        await kumo.S3.PutBucketAsync(evidence, Ct);
        await kumo.S3.PutObjectAsync(new PutObjectRequest { BucketName = evidence, Key = "written-before-failing.txt", ContentBody = "x" }, Ct);
        TestResultState failed = TestResultState.FromException(12m, Thrown(() => Assert.Equal(1, 2)));
        string testName = $"KumoFixtureTests.Hook_{Guid.NewGuid():N}";

        var written = await KumoFailureHook.WriteAsync(failed, testName, [kumo], Ct);

        try
        {
            (KumoFixture fixture, FailureArtifactSet artifacts) = Assert.Single(written);
            Assert.Same(kumo, fixture);
            Assert.Equal(FailureArtifacts.DirectoryFor(FailureArtifacts.DefaultRoot, kumo.RunContext, testName), artifacts.Directory);
            Assert.Empty(artifacts.Problems);
            Assert.Equal(
                ["engine.log", "failure.txt", "seed-manifest.json", "snapshot-manifest.json", "state.json"],
                Directory.GetFiles(artifacts.Directory).Select(Path.GetFileName).Order(StringComparer.Ordinal));

            string dir = artifacts.Directory;
            Assert.Equal(await File.ReadAllTextAsync(kumo.Plan.SourcePath!, Ct), await File.ReadAllTextAsync(Path.Combine(dir, "seed-manifest.json"), Ct));
            Assert.Contains(kumo.Snapshot.Key, await File.ReadAllTextAsync(Path.Combine(dir, "snapshot-manifest.json"), Ct), StringComparison.Ordinal);
            Assert.Contains("KUMO_ENDPOINT=", await File.ReadAllTextAsync(Path.Combine(dir, "engine.log"), Ct), StringComparison.Ordinal);
            KumoStateDump state = KumoStateDump.FromJson(await File.ReadAllTextAsync(Path.Combine(dir, "state.json"), Ct));
            Assert.Equal(["written-before-failing.txt"], state.Buckets.Single(b => b.Name == evidence).Objects.Select(o => o.Key));
            Assert.Equal(["orders/1.json", "orders/2.json"], state.Buckets.Single(b => b.Name == kumo.Names["orders-{run}"]).Objects.Select(o => o.Key));
            Assert.Equal(2, state.Queues.Single(q => q.Name == kumo.Names["jobs-{run}"]).ApproximateNumberOfMessages);
            string failure = await File.ReadAllTextAsync(Path.Combine(dir, "failure.txt"), Ct);
            Assert.Contains("Result: Failed (Assertion)", failure, StringComparison.Ordinal);
            Assert.Contains("Xunit.Sdk.EqualException: Assert.Equal() Failure", failure, StringComparison.Ordinal);
            Assert.Contains(nameof(A_failed_state_writes_manifests_log_state_and_failure), failure, StringComparison.Ordinal);
        }
        finally
        {
            TestStore.DeleteArtifacts(FailureArtifacts.DirectoryFor(FailureArtifacts.DefaultRoot, kumo.RunContext, testName));
            await kumo.S3.DeleteObjectAsync(evidence, "written-before-failing.txt", Ct);
            await kumo.S3.DeleteBucketAsync(evidence, Ct);
        }
    }

    [Fact]
    public async Task Passed_skipped_and_not_run_states_write_nothing()
    {
        string testName = $"KumoFixtureTests.Hook_{Guid.NewGuid():N}";

        foreach (TestResultState state in new[] { TestResultState.ForPassed(1m), TestResultState.ForSkipped(1m), TestResultState.ForNotRun() })
        {
            Assert.Empty(await KumoFailureHook.WriteAsync(state, testName, [kumo], Ct));
        }

        Assert.Empty(await KumoFailureHook.WriteAsync(null, testName, [kumo], Ct));
        Assert.False(Directory.Exists(FailureArtifacts.DirectoryFor(FailureArtifacts.DefaultRoot, kumo.RunContext, testName)));
    }

    [Fact]
    public void Failure_description_nests_inner_exceptions()
    {
        Exception outer = Thrown(() => throw new InvalidOperationException("seeding went wrong", new IOException("disk full")));

        string text = KumoFailureHook.Describe(TestResultState.FromException(1m, outer));

        Assert.StartsWith("Result: Failed (Exception)\n", text, StringComparison.Ordinal);
        Assert.Contains("\nSystem.InvalidOperationException: seeding went wrong\n", text, StringComparison.Ordinal);
        Assert.Contains("\n    ---- System.IO.IOException: disk full\n", text, StringComparison.Ordinal);
        Assert.Contains(nameof(Failure_description_nests_inner_exceptions), text, StringComparison.Ordinal);
    }

    private static Exception Thrown(Action action)
    {
        try
        {
            action();
        }
        catch (Exception e)
        {
            return e;
        }

        throw new InvalidOperationException("The action did not throw.");
    }
}
