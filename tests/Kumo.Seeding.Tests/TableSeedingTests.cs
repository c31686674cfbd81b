using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Kumo.Clients;

namespace Kumo.Seeding.Tests;

/// <summary>DynamoDB tables and items in the manifest, the fluent builder, the plan hash and the seeder (real engine, real SDK).</summary>
public sealed class TableSeedingTests
{
    private const string Manifest = """
        {
          "version": 1,
          "fixtureVersion": "tables-v1",
          "tables": [
            {
              "name": "orders-{run}",
              "hashKey": { "name": "customerId", "type": "S" },
              "rangeKey": { "name": "orderId", "type": "S" },
              "globalSecondaryIndexes": [
                { "name": "by-status", "hashKey": { "name": "status" }, "rangeKey": { "name": "total", "type": "N" }, "projection": "KEYS_ONLY" }
              ],
              "localSecondaryIndexes": [
                { "name": "by-created", "rangeKey": { "name": "createdAt", "type": "N" } }
              ],
              "ttlAttribute": "expiresAt",
              "items": [
                { "customerId": "c-1", "orderId": "o-1", "status": "open", "total": 12345678901234567890123456789012345678, "createdAt": 1, "lines": [{ "sku": "book", "qty": 2 }], "gift": true, "note": null }
              ],
              "itemFiles": [
                { "file": "orders.jsonl", "format": "jsonl" },
                { "file": "orders.json" }
              ]
            },
            {
              "name": "tags-{worker}",
              "hashKey": { "name": "id", "type": "N" },
              "itemFormat": "dynamodb",
              "onDifference": "replace",
              "items": [
                { "id": { "N": "7" }, "names": { "SS": ["b", "a"] }, "blob": { "B": "AAEC" } }
              ]
            }
          ]
        }
        """;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static SeedPlan LoadPlan(TempDir dir, string manifest = Manifest)
    {
        dir.Write("orders.jsonl", "{\"customerId\":\"c-2\",\"orderId\":\"o-2\",\"status\":\"paid\",\"total\":5,\"createdAt\":2}\n\n{\"customerId\":\"c-2\",\"orderId\":\"o-3\",\"status\":\"open\",\"total\":1.50,\"createdAt\":3}\n");
        dir.Write("orders.json", "[{\"customerId\":\"c-3\",\"orderId\":\"o-4\",\"status\":\"open\",\"total\":0.5,\"createdAt\":4}]");
        return SeedManifest.Load(dir.Write("kumo-seed.json", manifest));
    }

    [Fact]
    public async Task Tables_are_created_with_keys_indexes_and_TTL_and_items_land_exactly_then_a_second_run_writes_nothing()
    {
        await using SeedEngine engine = await SeedEngine.StartAsync(Ct);
        using var dir = new TempDir();
        ResolvedSeedPlan plan = LoadPlan(dir).Resolve(new SeedContext("r1", "w1"));
        using KumoClients clients = KumoClients.Create(engine.Endpoint);
        IAmazonDynamoDB dynamo = engine.Inspector.DynamoDB;

        SeedReport first = await new KumoSeeder(clients).SeedAsync(plan, cancellationToken: Ct);
        SeedReport second = await new KumoSeeder(clients).SeedAsync(plan, cancellationToken: Ct);

        Assert.Equal((2, 0, 5, 0, 0), (first.TablesCreated, first.TablesExisting, first.ItemsWritten, first.ItemsSkipped, first.ItemsDiffering));
        Assert.Equal((0, 2, 0, 5, 0), (second.TablesCreated, second.TablesExisting, second.ItemsWritten, second.ItemsSkipped, second.ItemsDiffering));
        Assert.True(second.WasNoOp, $"the second run wrote {second.WriteRequests} request(s)");
        TableDescription orders = (await dynamo.DescribeTableAsync("orders-r1", Ct)).Table;
        Assert.Equal(["customerId:HASH", "orderId:RANGE"], orders.KeySchema.Select(k => $"{k.AttributeName}:{k.KeyType.Value}"));
        Assert.Equal("KEYS_ONLY", Assert.Single(orders.GlobalSecondaryIndexes).Projection.ProjectionType.Value);
        Assert.Equal("by-created", Assert.Single(orders.LocalSecondaryIndexes).IndexName);
        DescribeTimeToLiveResponse ttl = await dynamo.DescribeTimeToLiveAsync("orders-r1", Ct);
        Assert.Equal("expiresAt", ttl.TimeToLiveDescription.AttributeName);
        Dictionary<string, AttributeValue> item = (await dynamo.GetItemAsync("orders-r1", new() { ["customerId"] = new("c-1"), ["orderId"] = new("o-1") }, consistentRead: true, Ct)).Item;
        Assert.Equal("12345678901234567890123456789012345678", item["total"].N);
        Assert.Equal("2", item["lines"].L[0].M["qty"].N);
        Assert.True(item["gift"].BOOL);
        Assert.True(item["note"].NULL);
        QueryResponse open = await dynamo.QueryAsync(
            new QueryRequest { TableName = "orders-r1", IndexName = "by-status", KeyConditionExpression = "#s = :s", ExpressionAttributeNames = new() { ["#s"] = "status" }, ExpressionAttributeValues = new() { [":s"] = new("open") } },
            Ct);
        Assert.Equal(3, open.Count);
        Dictionary<string, AttributeValue> tag = (await dynamo.GetItemAsync("tags-w1", new() { ["id"] = new() { N = "7" } }, consistentRead: true, Ct)).Item;
        Assert.Equal(["a", "b"], tag["names"].SS.Order(StringComparer.Ordinal));
        Assert.Equal([0, 1, 2], tag["blob"].B.ToArray());
        Assert.Equal(0, engine.Engine.Compatibility.Total);
    }

    [Fact]
    public async Task A_differing_item_is_reported_and_left_or_replaced_as_the_table_says()
    {
        await using SeedEngine engine = await SeedEngine.StartAsync(Ct);
        using var dir = new TempDir();
        ResolvedSeedPlan plan = LoadPlan(dir).Resolve(new SeedContext("r2", "w2"));
        using KumoClients clients = KumoClients.Create(engine.Endpoint);
        IAmazonDynamoDB dynamo = engine.Inspector.DynamoDB;
        await new KumoSeeder(clients).SeedAsync(plan, cancellationToken: Ct);
        await dynamo.UpdateItemAsync(new UpdateItemRequest { TableName = "orders-r2", Key = new() { ["customerId"] = new("c-2"), ["orderId"] = new("o-2") }, UpdateExpression = "SET #s = :s", ExpressionAttributeNames = new() { ["#s"] = "status" }, ExpressionAttributeValues = new() { [":s"] = new("refunded") } }, Ct);
        await dynamo.UpdateItemAsync(new UpdateItemRequest { TableName = "tags-w2", Key = new() { ["id"] = new() { N = "7" } }, UpdateExpression = "REMOVE #b", ExpressionAttributeNames = new() { ["#b"] = "blob" } }, Ct);

        SeedReport report = await new KumoSeeder(clients).SeedAsync(plan, cancellationToken: Ct);

        Assert.Equal((1, 1, 3), (report.ItemsDiffering, report.ItemsWritten, report.ItemsSkipped));
        Assert.Equal("refunded", (await dynamo.GetItemAsync("orders-r2", new() { ["customerId"] = new("c-2"), ["orderId"] = new("o-2") }, consistentRead: true, Ct)).Item["status"].S);
        Assert.True((await dynamo.GetItemAsync("tags-w2", new() { ["id"] = new() { N = "7" } }, consistentRead: true, Ct)).Item.ContainsKey("blob"), "onDifference: replace restored the item");
    }

    [Fact]
    public async Task A_table_that_exists_with_other_keys_is_a_seed_error_naming_both_schemas()
    {
        await using SeedEngine engine = await SeedEngine.StartAsync(Ct);
        await engine.Inspector.DynamoDB.CreateTableAsync(
            new CreateTableRequest { TableName = "clash", KeySchema = [new KeySchemaElement("pk", KeyType.HASH)], AttributeDefinitions = [new AttributeDefinition("pk", ScalarAttributeType.N)], BillingMode = BillingMode.PAY_PER_REQUEST },
            Ct);
        ResolvedSeedPlan plan = new SeedPlanBuilder().FixtureVersion("v1").Table("clash", "id").Build().Resolve(new SeedContext("r", "w"));
        using KumoClients clients = KumoClients.Create(engine.Endpoint);

        SeedException e = await Assert.ThrowsAsync<SeedException>(() => new KumoSeeder(clients).SeedAsync(plan, cancellationToken: Ct));

        Assert.Contains("pk (N) HASH", e.Message, StringComparison.Ordinal);
        Assert.Contains("id (S) HASH", e.Message, StringComparison.Ordinal);
        Assert.Contains("Fix:", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_fluent_builder_makes_the_same_plan_and_hash_as_the_manifest()
    {
        using var dir = new TempDir();
        SeedPlan fromManifest = LoadPlan(dir);
        SeedPlan fluent = new SeedPlanBuilder(dir.Path).FixtureVersion("tables-v1")
            .Table("orders-{run}", "customerId", t => t
                .RangeKey("orderId")
                .GlobalSecondaryIndex("by-status", "status", rangeKey: "total", rangeKeyType: "N", projection: "KEYS_ONLY")
                .LocalSecondaryIndex("by-created", "createdAt", "N")
                .TimeToLive("expiresAt")
                .Item("""{ "customerId": "c-1", "orderId": "o-1", "status": "open", "total": 12345678901234567890123456789012345678, "createdAt": 1, "lines": [{ "sku": "book", "qty": 2 }], "gift": true, "note": null }""")
                .ItemsFromFile("orders.jsonl", jsonLines: true)
                .ItemsFromFile("orders.json"))
            .Table("tags-{worker}", "id", t => t
                .HashKeyType("N")
                .DynamoDBItem("""{ "id": { "N": "7" }, "blob": { "B": "AAEC" }, "names": { "SS": ["a", "b"] } }""")
                .ReplaceDifferingItems())
            .Build();

        Assert.Equal(await fromManifest.ComputeHashAsync(Ct), await fluent.ComputeHashAsync(Ct));
        Assert.Equal("orders-run7", Assert.Single(fluent.Resolve(new SeedContext("run7", "w")).Tables, t => t.Seed.Name == "orders-{run}").Name);
        Assert.Equal("tables-v1+run=run7+worker=w", fluent.Resolve(new SeedContext("run7", "w")).SnapshotFixtureVersion());
    }

    [Fact]
    public async Task Items_are_part_of_the_hash_and_an_equal_item_in_another_spelling_is_not_a_change()
    {
        using var dir = new TempDir();
        Task<string> Hash(string item, string? ttl = null) =>
            new SeedPlanBuilder(dir.Path).FixtureVersion("v1").Table("t-1", "id", t =>
            {
                t.Item(item);
                if (ttl is not null)
                {
                    t.TimeToLive(ttl);
                }
            }).Build().ComputeHashAsync(Ct);

        string baseline = await Hash("""{"id":"a","n":1.50,"m":{"x":1,"y":2}}""");

        Assert.Equal(baseline, await Hash("""{"m":{"y":2,"x":1},"n":1.5,"id":"a"}"""));
        Assert.NotEqual(baseline, await Hash("""{"id":"a","n":1.51,"m":{"x":1,"y":2}}"""));
        Assert.NotEqual(baseline, await Hash("""{"id":"a","n":1.50,"m":{"x":1,"y":2}}""", ttl: "exp"));
    }

    [Theory]
    [InlineData("""{ "name": "t-1" }""", "/tables/0/hashKey", "\"hashKey\" is missing")]
    [InlineData("""{ "name": "t 1", "hashKey": { "name": "id" } }""", "/tables/0/name", "not allowed")]
    [InlineData("""{ "name": "t-1", "hashKey": { "name": "id", "type": "X" } }""", "/tables/0/hashKey/type", "must be one of")]
    [InlineData("""{ "name": "t-1", "hashKey": { "name": "id" }, "itemFormat": "dynamo" }""", "/tables/0/itemFormat", "did you mean \"dynamodb\"")]
    [InlineData("""{ "name": "t-1", "hashKey": { "name": "id" }, "items": [{ "other": 1 }] }""", "/tables/0/items", "has no key attribute 'id' of type S")]
    [InlineData("""{ "name": "t-1", "hashKey": { "name": "id" }, "items": [{ "id": "a" }, { "id": "a", "x": 1 }] }""", "/tables/0/items", "have the same key")]
    [InlineData("""{ "name": "t-1", "hashKey": { "name": "id" }, "itemFormat": "dynamodb", "items": [{ "id": "a" }] }""", "/tables/0/items/0", "exactly one type key")]
    [InlineData("""{ "name": "t-1", "hashKey": { "name": "id" }, "localSecondaryIndexes": [{ "name": "lsi", "rangeKey": { "name": "r" } }] }""", "/tables/0/localSecondaryIndexes", "no sort key")]
    [InlineData("""{ "name": "t-1", "hashKey": { "name": "id" }, "itemFiles": [{ "file": "missing.jsonl", "format": "jsonl" }] }""", "/tables/0/itemFiles/0/file", "does not exist")]
    public void Bad_tables_are_errors_naming_the_file_pointer_and_fix(string table, string pointer, string problem)
    {
        using var dir = new TempDir();
        string path = dir.Write("kumo-seed.json", $$"""{ "version": 1, "fixtureVersion": "v1", "tables": [ {{table}} ] }""");

        SeedManifestException e = Assert.Throws<SeedManifestException>(() => SeedManifest.Load(path));

        SeedManifestError error = Assert.Single(e.Errors, x => x.JsonPointer == pointer);
        Assert.Contains(problem, error.Problem + " Fix: " + error.Fix, StringComparison.Ordinal);
        Assert.False(string.IsNullOrWhiteSpace(error.Fix));
        Assert.Equal(path, error.FilePath);
    }

    [Fact]
    public void A_bad_line_of_a_JSON_Lines_file_is_named_with_its_line_number()
    {
        using var dir = new TempDir();
        dir.Write("items.jsonl", "{\"id\":{\"S\":\"a\"}}\n{\"id\":{\"S\":\"b\"},\"n\":{\"N\":\"not a number\"}}\n");
        string path = dir.Write("kumo-seed.json", """{ "version": 1, "fixtureVersion": "v1", "tables": [ { "name": "t-1", "hashKey": { "name": "id" }, "itemFormat": "dynamodb", "itemFiles": [{ "file": "items.jsonl", "format": "jsonl" }] } ] }""");

        SeedManifestException e = Assert.Throws<SeedManifestException>(() => SeedManifest.Load(path));

        SeedManifestError error = Assert.Single(e.Errors);
        Assert.Equal("/tables/0/itemFiles/0/file", error.JsonPointer);
        Assert.Contains("items.jsonl line 2", error.Problem, StringComparison.Ordinal);
        Assert.Contains("attribute 'n'", error.Problem, StringComparison.Ordinal);
    }
}
