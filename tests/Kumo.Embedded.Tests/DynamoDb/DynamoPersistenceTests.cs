using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Kumo.Embedded.Tests.Sqs;
using Microsoft.Extensions.Logging.Abstractions;

namespace Kumo.Embedded.Tests.DynamoDb;

/// <summary>DynamoDB state in $KUMO_DATA_DIR (dynamodb.json plus journal) survives restarts; TTL expiry follows the engine's clock.</summary>
public sealed class DynamoPersistenceTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Tables_indexes_ttl_tags_and_items_survive_restarts_from_the_journal_and_from_a_checkpoint()
    {
        string dataDir = TestEngine.NewDataDir();
        string crashed = TestEngine.NewDataDir();
        try
        {
            await using (KumoEngine first = await StartAsync(dataDir, KumoDurability.Sync))
            {
                using var db = new AmazonDynamoDBClient(TestEngine.Credentials, DynamoEngine.Config(first.Endpoint));
                await db.CreateTableAsync(new CreateTableRequest
                {
                    TableName = "keep",
                    BillingMode = BillingMode.PAY_PER_REQUEST,
                    KeySchema = [new("pk", KeyType.HASH), new("sk", KeyType.RANGE)],
                    AttributeDefinitions = [new("pk", ScalarAttributeType.S), new("sk", ScalarAttributeType.N), new("g", ScalarAttributeType.S)],
                    GlobalSecondaryIndexes = [new GlobalSecondaryIndex { IndexName = "by-g", KeySchema = [new("g", KeyType.HASH)], Projection = new Projection { ProjectionType = ProjectionType.ALL } }],
                    Tags = [new Tag { Key = "team", Value = "storage" }],
                }, Ct);
                await db.UpdateTimeToLiveAsync(new UpdateTimeToLiveRequest { TableName = "keep", TimeToLiveSpecification = new TimeToLiveSpecification { AttributeName = "expires", Enabled = true } }, Ct);
                await db.CreateTableAsync(new CreateTableRequest
                {
                    TableName = "dropped",
                    BillingMode = BillingMode.PAY_PER_REQUEST,
                    KeySchema = [new("pk", KeyType.HASH)],
                    AttributeDefinitions = [new("pk", ScalarAttributeType.S)],
                }, Ct);
                for (int i = 0; i < 5; i++)
                {
                    await db.PutItemAsync("keep", new() { ["pk"] = Av.S("p"), ["sk"] = Av.N(i), ["g"] = Av.S("x"), ["big"] = Av.N("98765432109876543210987654321098765432"), ["bin"] = new AttributeValue { B = new MemoryStream([9, 8, 7]) } }, Ct);
                }

                await db.DeleteItemAsync("keep", new() { ["pk"] = Av.S("p"), ["sk"] = Av.N(0) }, Ct);
                await db.UpdateItemAsync(new UpdateItemRequest { TableName = "keep", Key = new() { ["pk"] = Av.S("p"), ["sk"] = Av.N(1) }, UpdateExpression = "ADD visits :one", ExpressionAttributeValues = new() { [":one"] = Av.N(1) } }, Ct);
                await db.TransactWriteItemsAsync(new TransactWriteItemsRequest
                {
                    TransactItems =
                    [
                        new TransactWriteItem { Put = new Put { TableName = "keep", Item = new() { ["pk"] = Av.S("q"), ["sk"] = Av.N(1) } } },
                        new TransactWriteItem { Delete = new Delete { TableName = "keep", Key = new() { ["pk"] = Av.S("p"), ["sk"] = Av.N(4) } } },
                    ],
                }, Ct);
                await db.DeleteTableAsync("dropped", Ct);

                // A checkpoint, then one more write that only the journal holds; a copy of the files taken now
                // is what a killed engine leaves behind (sync durability: acknowledged means on disk).
                await first.FlushAsync(Ct);
                await db.PutItemAsync("keep", new() { ["pk"] = Av.S("after-flush"), ["sk"] = Av.N(1) }, Ct);
                foreach (string file in Directory.EnumerateFiles(dataDir))
                {
                    File.Copy(file, Path.Combine(crashed, Path.GetFileName(file)));
                }
            }

            Assert.True(File.Exists(Path.Combine(dataDir, "dynamodb.json")));
            Assert.Contains(Directory.EnumerateFiles(crashed), f => Path.GetFileName(f).StartsWith("dynamodb-journal-", StringComparison.Ordinal));
            foreach (string dir in new[] { crashed, dataDir, dataDir })
            {
                await using KumoEngine again = await StartAsync(dir);
                using var db = new AmazonDynamoDBClient(TestEngine.Credentials, DynamoEngine.Config(again.Endpoint));
                Assert.Equal(["keep"], (await db.ListTablesAsync(new ListTablesRequest(), Ct)).TableNames);
                TableDescription table = (await db.DescribeTableAsync("keep", Ct)).Table;
                Assert.Equal("by-g", table.GlobalSecondaryIndexes.Single().IndexName);
                Assert.Equal(5, table.ItemCount);
                Assert.Equal("expires", (await db.DescribeTimeToLiveAsync("keep", Ct)).TimeToLiveDescription.AttributeName);
                Assert.Equal("storage", (await db.ListTagsOfResourceAsync(new ListTagsOfResourceRequest { ResourceArn = table.TableArn }, Ct)).Tags.Single().Value);

                QueryResponse p = await db.QueryAsync(new QueryRequest { TableName = "keep", KeyConditionExpression = "pk = :p", ExpressionAttributeValues = new() { [":p"] = Av.S("p") } }, Ct);
                Assert.Equal(["1", "2", "3"], p.Items.Select(i => i["sk"].N));
                Assert.Equal("98765432109876543210987654321098765432", p.Items[0]["big"].N);
                Assert.Equal([9, 8, 7], p.Items[0]["bin"].B.ToArray());
                Assert.Equal("1", p.Items[0]["visits"].N);
                Assert.Equal(3, (await db.QueryAsync(new QueryRequest { TableName = "keep", IndexName = "by-g", KeyConditionExpression = "g = :g", ExpressionAttributeValues = new() { [":g"] = Av.S("x") } }, Ct)).Count);
                Assert.True((await db.GetItemAsync("keep", new() { ["pk"] = Av.S("after-flush"), ["sk"] = Av.N(1) }, Ct)).IsItemSet);
            }
        }
        finally
        {
            Directory.Delete(dataDir, recursive: true);
            Directory.Delete(crashed, recursive: true);
        }
    }

    [Fact]
    public async Task Expired_items_disappear_when_the_clock_passes_their_ttl()
    {
        var clock = new ManualClock(new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero));
        await using TestEngine engine = await TestEngine.StartAsync(o => o with { Time = clock }, persistent: false);
        using var db = new AmazonDynamoDBClient(TestEngine.Credentials, DynamoEngine.Config(engine.Endpoint));
        await db.CreateTableAsync(new CreateTableRequest
        {
            TableName = "sessions",
            BillingMode = BillingMode.PAY_PER_REQUEST,
            KeySchema = [new("pk", KeyType.HASH)],
            AttributeDefinitions = [new("pk", ScalarAttributeType.S)],
        }, Ct);
        await db.UpdateTimeToLiveAsync(new UpdateTimeToLiveRequest { TableName = "sessions", TimeToLiveSpecification = new TimeToLiveSpecification { AttributeName = "expires", Enabled = true } }, Ct);
        long now = clock.GetUtcNow().ToUnixTimeSeconds();
        await db.PutItemAsync("sessions", new() { ["pk"] = Av.S("short"), ["expires"] = Av.N(now + 60) }, Ct);
        await db.PutItemAsync("sessions", new() { ["pk"] = Av.S("long"), ["expires"] = Av.N(now + 3600) }, Ct);
        await db.PutItemAsync("sessions", new() { ["pk"] = Av.S("forever") }, Ct);
        await db.PutItemAsync("sessions", new() { ["pk"] = Av.S("renewed"), ["expires"] = Av.N(now + 60) }, Ct);
        await db.UpdateItemAsync(new UpdateItemRequest { TableName = "sessions", Key = new() { ["pk"] = Av.S("renewed") }, UpdateExpression = "SET expires = :e", ExpressionAttributeValues = new() { [":e"] = Av.N(now + 7200) } }, Ct);

        Assert.Equal(4, (await db.ScanAsync(new ScanRequest { TableName = "sessions" }, Ct)).Count);
        clock.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal(["forever", "long", "renewed"], (await db.ScanAsync(new ScanRequest { TableName = "sessions" }, Ct)).Items.Select(i => i["pk"].S).Order());
        Assert.False((await db.GetItemAsync("sessions", new() { ["pk"] = Av.S("short") }, Ct)).IsItemSet);
        clock.Advance(TimeSpan.FromHours(3));
        Assert.Equal(["forever"], (await db.ScanAsync(new ScanRequest { TableName = "sessions" }, Ct)).Items.Select(i => i["pk"].S));
    }

    private static Task<KumoEngine> StartAsync(string dataDir, KumoDurability durability = KumoDurability.Flush) =>
        KumoEngine.StartAsync(new KumoEngineOptions { Port = 0, DataDir = dataDir, LogLevel = KumoLogLevel.Warn, Durability = durability }, NullLoggerProvider.Instance, Ct);
}
