using System.Globalization;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Amazon.Runtime;

namespace Kumo.Benchmarks;

/// <summary>
/// DynamoDB PutItem, GetItem and Query at 1 and 8 concurrent clients against the engine published as a
/// JIT process (the client runs in this process, the server in its own), with the real AWSSDK.DynamoDBv2 client.
/// </summary>
internal static class DynamoDbThroughputBenchmark
{
    private const int OperationsPerRound = 2000;

    /// <summary>Items per partition: each Query reads one partition's page of this many items.</summary>
    private const int PartitionSize = 20;

    public static async Task RunAsync(string artifacts, int rounds, string output)
    {
        await using EngineProcessHost engine = await EngineProcessHost.StartAsync("dotnet", [Path.Combine(artifacts, "engine-jit", "kumo-embedded.dll")]);
        var credentials = new BasicAWSCredentials("test", "test");
        var config = new AmazonDynamoDBConfig { ServiceURL = engine.Endpoint.ToString(), AuthenticationRegion = "us-east-1" };
        string payload = new('x', 900);
        var rows = new List<Samples>();
        foreach (int clients in new[] { 1, 8 })
        {
            var put = new Samples($"DynamoDB PutItem ~1 KB, {clients} client(s)", "ops/s");
            var get = new Samples($"DynamoDB GetItem ~1 KB, {clients} client(s)", "ops/s");
            var query = new Samples($"DynamoDB Query ({PartitionSize} items of ~1 KB), {clients} client(s)", "queries/s");
            AmazonDynamoDBClient[] db = [.. Enumerable.Range(0, clients).Select(_ => new AmazonDynamoDBClient(credentials, config))];
            for (int round = -1; round < rounds; round++)
            {
                string table = $"bench-{clients}-{round + 1}";
                await db[0].CreateTableAsync(new CreateTableRequest
                {
                    TableName = table,
                    BillingMode = BillingMode.PAY_PER_REQUEST,
                    KeySchema = [new("pk", KeyType.HASH), new("sk", KeyType.RANGE)],
                    AttributeDefinitions = [new("pk", ScalarAttributeType.S), new("sk", ScalarAttributeType.N)],
                });
                double putRate = await ThroughputBenchmark.RateAsync(clients, OperationsPerRound, (c, i) => db[c].PutItemAsync(table, new()
                {
                    ["pk"] = new AttributeValue { S = Partition(i) },
                    ["sk"] = new AttributeValue { N = (i % PartitionSize).ToString(CultureInfo.InvariantCulture) },
                    ["status"] = new AttributeValue { S = "NEW" },
                    ["total"] = new AttributeValue { N = "19.99" },
                    ["payload"] = new AttributeValue { S = payload },
                }));
                double getRate = await ThroughputBenchmark.RateAsync(clients, OperationsPerRound, (c, i) => db[c].GetItemAsync(table, new()
                {
                    ["pk"] = new AttributeValue { S = Partition(i) },
                    ["sk"] = new AttributeValue { N = (i % PartitionSize).ToString(CultureInfo.InvariantCulture) },
                }));
                int partitions = OperationsPerRound / PartitionSize;
                double queryRate = await ThroughputBenchmark.RateAsync(clients, OperationsPerRound / 4, async (c, i) =>
                {
                    QueryResponse page = await db[c].QueryAsync(new QueryRequest
                    {
                        TableName = table,
                        KeyConditionExpression = "pk = :p AND sk >= :from",
                        ExpressionAttributeValues = new() { [":p"] = new AttributeValue { S = Partition(i % partitions * PartitionSize) }, [":from"] = new AttributeValue { N = "0" } },
                    });
                    if (page.Count != PartitionSize)
                    {
                        throw new InvalidOperationException($"Query returned {page.Count} items, expected {PartitionSize}.");
                    }
                });

                if (round >= 0)
                {
                    put.Add(putRate);
                    get.Add(getRate);
                    query.Add(queryRate);
                }
            }

            rows.AddRange([put, get, query]);
            foreach (AmazonDynamoDBClient client in db)
            {
                client.Dispose();
            }
        }

        var report = new Report("Embedded engine: DynamoDB throughput");
        report.Table(rows);
        report.Note($"Each round performs {OperationsPerRound} PutItem, {OperationsPerRound} GetItem and {OperationsPerRound / 4} Query calls split across the clients, on a fresh on-demand table (partition key S, sort key N); the first round of each setting is a discarded warm-up.");
        report.Note("Items hold five attributes (~1 KB); each Query returns one whole partition of 20 items (~20 KB). Default durability (flush).");
        report.Note("Client and engine share the machine's 2 cores, so the 8-client rows measure contention as much as the engine.");
        report.Save(output);
    }

    private static string Partition(int i) => "customer-" + (i / PartitionSize).ToString("D5", CultureInfo.InvariantCulture);
}
