using Amazon.DynamoDBv2.Model;
using Kumo.Clients;
using Kumo.Engines;
using Kumo.Seeding;

namespace Kumo.Snapshots.Tests.Snapshots;

/// <summary>The core's snapshot-of-plans rules: the combined key hash and the owner-scoped directories.</summary>
public sealed class PlanSnapshotsTests
{
    private const string A = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    private const string B = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";

    [Fact]
    public void One_plan_is_keyed_by_its_own_hash_and_several_by_an_ordered_hash_of_hashes()
    {
        Assert.Equal(A, PlanSnapshots.CombineHashes([A]));
        string ab = PlanSnapshots.CombineHashes([A, B]);
        Assert.Equal(64, ab.Length);
        Assert.NotEqual(A, ab);
        Assert.Equal(ab, PlanSnapshots.CombineHashes([A, B]));
        Assert.NotEqual(ab, PlanSnapshots.CombineHashes([B, A]));
        Assert.Throws<ArgumentException>(() => PlanSnapshots.CombineHashes([]));
    }

    [Fact]
    public void Owned_directories_carry_the_process_id_and_the_fresh_id_and_sweep_those_of_dead_processes()
    {
        string parent = Path.Combine(Path.GetTempPath(), "kumo-plan-snapshots-" + Guid.NewGuid().ToString("N"));
        try
        {
            // A directory left by a process that no longer runs (pid 2^22 + 1 is above Linux's pid_max).
            string stale = Path.Combine(parent, ".tmp-4194305-old-run");
            Directory.CreateDirectory(stale);
            var swept = new List<string>();

            string first = PlanSnapshots.NewOwnedDirectory(parent, id => $"r1-w0-{id}", swept.Add);
            string second = PlanSnapshots.NewOwnedDirectory(parent, id => $"r1-w0-{id}");

            Assert.StartsWith(Path.Combine(parent, $".tmp-{Environment.ProcessId}-r1-w0-"), first, StringComparison.Ordinal);
            Assert.NotEqual(first, second);
            Assert.False(Directory.Exists(stale));
            Assert.Equal([stale], swept);
            Assert.Throws<ArgumentException>(() => PlanSnapshots.NewOwnedDirectory(parent, _ => "no-id"));
        }
        finally
        {
            Directory.Delete(parent, recursive: true);
        }
    }

    [Fact]
    public async Task A_snapshot_of_a_plan_with_a_table_restores_its_items_into_every_worker_and_builds_once()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        using var dir = new TempDirectory("plan-dynamodb");
        ResolvedSeedPlan plan = new SeedPlanBuilder().FixtureVersion("tables-v1")
            .Table("orders-{run}", "customerId", t => t
                .RangeKey("orderId")
                .Item("""{ "customerId": "c-1", "orderId": "o-1", "total": 12345678901234567890123456789012345678, "lines": [{ "sku": "book" }] }""")
                .Item("""{ "customerId": "c-1", "orderId": "o-2", "total": 2 }""")
                .Item("""{ "customerId": "c-2", "orderId": "o-3", "total": 3 }"""))
            .Build()
            .Resolve(new SeedContext("r1", "w0"));
        int seeded = 0;
        SnapshotRequest request = await PlanSnapshots.CreateRequestAsync(
            [plan],
            TestEngines.Embedded,
            seed: async (endpoint, token) =>
            {
                Interlocked.Increment(ref seeded);
                await PlanSnapshots.SeedAsync([plan], endpoint, token);
            },
            cancellationToken: ct);
        var store = new SnapshotStore(dir.Sub("store"));

        foreach (string worker in (string[])["w1", "w2"])
        {
            RestoredSnapshot restored = await PlanSnapshots.GetAndRestoreAsync(store, request, dir.Sub($"{worker}/data"), ct);
            await using RunningEngine engine = await EngineProcess.StartAsync(TestEngines.Embedded, TestEngines.Options(restored.DataDirectory.Path, dir.Sub($"{worker}/engine.log")), ct);
            using KumoClients clients = KumoClients.Create(engine.Endpoint);

            QueryResponse query = await clients.DynamoDB.QueryAsync(
                new QueryRequest
                {
                    TableName = "orders-r1",
                    KeyConditionExpression = "customerId = :c",
                    ExpressionAttributeValues = new() { [":c"] = new AttributeValue { S = "c-1" } },
                },
                ct);

            Assert.Equal(["o-1", "o-2"], query.Items.Select(i => i["orderId"].S));
            Assert.Equal("12345678901234567890123456789012345678", query.Items[0]["total"].N);
            Assert.Equal("book", query.Items[0]["lines"].L[0].M["sku"].S);
            Assert.Equal(3, (await clients.DynamoDB.ScanAsync(new ScanRequest { TableName = "orders-r1", Select = Amazon.DynamoDBv2.Select.COUNT }, ct)).Count);
        }

        Assert.Equal(1, seeded);
    }
}
