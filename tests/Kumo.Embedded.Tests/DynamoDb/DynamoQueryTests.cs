using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;

namespace Kumo.Embedded.Tests.DynamoDb;

/// <summary>Query and Scan on tables, global and local secondary indexes: key conditions, order, pagination, filters, projections, counts, segments.</summary>
public sealed class DynamoQueryTests(DynamoEngine dynamo) : IClassFixture<DynamoEngine>, IAsyncLifetime
{
    private const string Table = "query-orders";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private AmazonDynamoDBClient Db => dynamo.Client;

    public async ValueTask InitializeAsync()
    {
        try
        {
            await Db.CreateTableAsync(new CreateTableRequest
            {
                TableName = Table,
                BillingMode = BillingMode.PAY_PER_REQUEST,
                KeySchema = [new("customer", KeyType.HASH), new("order", KeyType.RANGE)],
                AttributeDefinitions = [new("customer", ScalarAttributeType.S), new("order", ScalarAttributeType.N), new("status", ScalarAttributeType.S), new("placed", ScalarAttributeType.S)],
                GlobalSecondaryIndexes =
                [
                    new GlobalSecondaryIndex
                    {
                        IndexName = "by-status",
                        KeySchema = [new("status", KeyType.HASH), new("placed", KeyType.RANGE)],
                        Projection = new Projection { ProjectionType = ProjectionType.KEYS_ONLY },
                    },
                ],
                LocalSecondaryIndexes =
                [
                    new LocalSecondaryIndex
                    {
                        IndexName = "by-placed",
                        KeySchema = [new("customer", KeyType.HASH), new("placed", KeyType.RANGE)],
                        Projection = new Projection { ProjectionType = ProjectionType.ALL },
                    },
                ],
            }, Ct);
        }
        catch (ResourceInUseException)
        {
            return;
        }

        // Customer c1 has orders 1..10 (placed in reverse order); c2 has 3 orders; every third order is OPEN.
        var writes = new List<WriteRequest>();
        for (int i = 1; i <= 10; i++)
        {
            writes.Add(Put("c1", i, i % 3 == 0 ? "OPEN" : "DONE", $"2024-01-{21 - i:00}", i * 10));
        }

        for (int i = 1; i <= 3; i++)
        {
            writes.Add(Put("c2", i, "OPEN", $"2024-02-0{i}", i));
        }

        foreach (WriteRequest[] chunk in writes.Chunk(25))
        {
            await Db.BatchWriteItemAsync(new BatchWriteItemRequest { RequestItems = new() { [Table] = [.. chunk] } }, Ct);
        }

        static WriteRequest Put(string customer, int order, string status, string placed, int total) => new(new PutRequest(new()
        {
            ["customer"] = Av.S(customer),
            ["order"] = Av.N(order),
            ["status"] = Av.S(status),
            ["placed"] = Av.S(placed),
            ["total"] = Av.N(total),
        }));
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    [Theory]
    [InlineData("customer = :c", new[] { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 })]
    [InlineData("customer = :c AND #o = :n", new[] { 5 })]
    [InlineData("customer = :c AND #o < :n", new[] { 1, 2, 3, 4 })]
    [InlineData("customer = :c AND #o <= :n", new[] { 1, 2, 3, 4, 5 })]
    [InlineData("customer = :c AND #o > :n", new[] { 6, 7, 8, 9, 10 })]
    [InlineData("customer = :c AND #o >= :n", new[] { 5, 6, 7, 8, 9, 10 })]
    [InlineData("(customer = :c) AND (#o BETWEEN :n AND :m)", new[] { 5, 6, 7 })]
    public async Task Key_conditions_select_and_numbers_sort_numerically(string condition, int[] expected)
    {
        var values = new Dictionary<string, AttributeValue> { [":c"] = Av.S("c1") };
        if (condition.Contains(":n", StringComparison.Ordinal))
        {
            values[":n"] = Av.N(5);
        }

        if (condition.Contains(":m", StringComparison.Ordinal))
        {
            values[":m"] = Av.N(7);
        }

        QueryResponse response = await Db.QueryAsync(new QueryRequest
        {
            TableName = Table,
            KeyConditionExpression = condition,
            ExpressionAttributeNames = condition.Contains("#o", StringComparison.Ordinal) ? new() { ["#o"] = "order" } : null,
            ExpressionAttributeValues = values,
        }, Ct);
        Assert.Equal(expected, response.Items.Select(i => int.Parse(i["order"].N, System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Equal(expected.Length, response.Count);
    }

    [Fact]
    public async Task Descending_pages_filters_projections_and_counts()
    {
        var seen = new List<string>();
        Dictionary<string, AttributeValue>? start = null;
        int pages = 0;
        do
        {
            QueryResponse page = await Db.QueryAsync(new QueryRequest
            {
                TableName = Table,
                KeyConditionExpression = "customer = :c",
                ExpressionAttributeValues = new() { [":c"] = Av.S("c1") },
                ScanIndexForward = false,
                Limit = 4,
                ExclusiveStartKey = start,
            }, Ct);
            seen.AddRange(page.Items.Select(i => i["order"].N));
            start = page.LastEvaluatedKey is { Count: > 0 } key ? key : null;
            pages++;
        }
        while (start is not null && pages < 10);
        Assert.Equal(["10", "9", "8", "7", "6", "5", "4", "3", "2", "1"], seen);
        Assert.Equal(3, pages);

        QueryResponse filtered = await Db.QueryAsync(new QueryRequest
        {
            TableName = Table,
            KeyConditionExpression = "customer = :c",
            FilterExpression = "#s = :open AND #t >= :t",
            ProjectionExpression = "#o, #t",
            ExpressionAttributeNames = new() { ["#s"] = "status", ["#o"] = "order", ["#t"] = "total" },
            ExpressionAttributeValues = new() { [":c"] = Av.S("c1"), [":open"] = Av.S("OPEN"), [":t"] = Av.N(60) },
        }, Ct);
        Assert.Equal(["6", "9"], filtered.Items.Select(i => i["order"].N));
        Assert.All(filtered.Items, i => Assert.Equal(["order", "total"], i.Keys.Order()));
        Assert.Equal(10, filtered.ScannedCount);

        QueryResponse counted = await Db.QueryAsync(new QueryRequest
        {
            TableName = Table,
            KeyConditionExpression = "customer = :c AND begins_with(placed, :p)",
            ExpressionAttributeValues = new() { [":c"] = Av.S("c2"), [":p"] = Av.S("2024-02") },
            IndexName = "by-placed",
            Select = Select.COUNT,
        }, Ct);
        Assert.Equal(3, counted.Count);
        Assert.True(counted.Items is null || counted.Items.Count == 0);

        AmazonDynamoDBException keyInFilter = await Assert.ThrowsAsync<AmazonDynamoDBException>(() => Db.QueryAsync(new QueryRequest
        {
            TableName = Table,
            KeyConditionExpression = "customer = :c",
            FilterExpression = "#o > :n",
            ExpressionAttributeNames = new() { ["#o"] = "order" },
            ExpressionAttributeValues = new() { [":c"] = Av.S("c1"), [":n"] = Av.N(1) },
        }, Ct));
        Assert.Contains("Filter Expression can only contain non-primary key attributes: Primary key attribute: order", keyInFilter.Message, StringComparison.Ordinal);

        AmazonDynamoDBException noHash = await Assert.ThrowsAsync<AmazonDynamoDBException>(() => Db.QueryAsync(new QueryRequest
        {
            TableName = Table,
            KeyConditionExpression = "#o = :n",
            ExpressionAttributeNames = new() { ["#o"] = "order" },
            ExpressionAttributeValues = new() { [":n"] = Av.N(1) },
        }, Ct));
        Assert.Equal("Query condition missed key schema element: customer", noHash.Message);
    }

    [Fact]
    public async Task Global_and_local_indexes_order_by_their_own_keys_and_project()
    {
        QueryResponse open = await Db.QueryAsync(new QueryRequest
        {
            TableName = Table,
            IndexName = "by-status",
            KeyConditionExpression = "#s = :open",
            ExpressionAttributeNames = new() { ["#s"] = "status" },
            ExpressionAttributeValues = new() { [":open"] = Av.S("OPEN") },
        }, Ct);
        Assert.Equal(["2024-01-12", "2024-01-15", "2024-01-18", "2024-02-01", "2024-02-02", "2024-02-03"], open.Items.Select(i => i["placed"].S));
        Assert.All(open.Items, i => Assert.Equal(["customer", "order", "placed", "status"], i.Keys.Order()));

        // Paging through a GSI: the start key carries the index and the table keys.
        QueryResponse first = await Db.QueryAsync(new QueryRequest
        {
            TableName = Table,
            IndexName = "by-status",
            KeyConditionExpression = "#s = :open",
            ExpressionAttributeNames = new() { ["#s"] = "status" },
            ExpressionAttributeValues = new() { [":open"] = Av.S("OPEN") },
            Limit = 4,
        }, Ct);
        Assert.Equal(["customer", "order", "placed", "status"], first.LastEvaluatedKey.Keys.Order());
        QueryResponse rest = await Db.QueryAsync(new QueryRequest
        {
            TableName = Table,
            IndexName = "by-status",
            KeyConditionExpression = "#s = :open",
            ExpressionAttributeNames = new() { ["#s"] = "status" },
            ExpressionAttributeValues = new() { [":open"] = Av.S("OPEN") },
            ExclusiveStartKey = first.LastEvaluatedKey,
        }, Ct);
        Assert.Equal(["2024-02-02", "2024-02-03"], rest.Items.Select(i => i["placed"].S));

        QueryResponse local = await Db.QueryAsync(new QueryRequest
        {
            TableName = Table,
            IndexName = "by-placed",
            KeyConditionExpression = "customer = :c AND placed > :d",
            ExpressionAttributeValues = new() { [":c"] = Av.S("c1"), [":d"] = Av.S("2024-01-17") },
        }, Ct);
        Assert.Equal(["3", "2", "1"], local.Items.Select(i => i["order"].N));
        Assert.Equal("10", local.Items[^1]["total"].N);

        AmazonDynamoDBException consistent = await Assert.ThrowsAsync<AmazonDynamoDBException>(() => Db.QueryAsync(new QueryRequest
        {
            TableName = Table,
            IndexName = "by-status",
            ConsistentRead = true,
            KeyConditionExpression = "#s = :open",
            ExpressionAttributeNames = new() { ["#s"] = "status" },
            ExpressionAttributeValues = new() { [":open"] = Av.S("OPEN") },
        }, Ct));
        Assert.Equal("Consistent reads are not supported on global secondary indexes", consistent.Message);
    }

    [Fact]
    public async Task Scans_filter_page_and_split_into_disjoint_segments()
    {
        var all = new List<string>();
        Dictionary<string, AttributeValue>? start = null;
        int pages = 0;
        do
        {
            ScanResponse page = await Db.ScanAsync(new ScanRequest { TableName = Table, Limit = 5, ExclusiveStartKey = start }, Ct);
            all.AddRange(page.Items.Select(i => i["customer"].S + "/" + i["order"].N));
            start = page.LastEvaluatedKey is { Count: > 0 } key ? key : null;
            pages++;
        }
        while (start is not null && pages < 10);
        Assert.Equal(13, all.Distinct().Count());
        Assert.Equal(13, all.Count);

        ScanResponse open = await Db.ScanAsync(new ScanRequest
        {
            TableName = Table,
            FilterExpression = "#s = :open",
            ExpressionAttributeNames = new() { ["#s"] = "status" },
            ExpressionAttributeValues = new() { [":open"] = Av.S("OPEN") },
        }, Ct);
        Assert.Equal(6, open.Count);
        Assert.Equal(13, open.ScannedCount);

        var segmented = new List<string>();
        for (int segment = 0; segment < 3; segment++)
        {
            ScanResponse part = await Db.ScanAsync(new ScanRequest { TableName = Table, Segment = segment, TotalSegments = 3 }, Ct);
            segmented.AddRange((part.Items ?? []).Select(i => i["customer"].S + "/" + i["order"].N));
        }

        Assert.Equal(all.Order(), segmented.Order());

        AmazonDynamoDBException badSegment = await Assert.ThrowsAsync<AmazonDynamoDBException>(() => Db.ScanAsync(new ScanRequest { TableName = Table, Segment = 3, TotalSegments = 3 }, Ct));
        Assert.Contains("Segment: 3 is not less than TotalSegments: 3", badSegment.Message, StringComparison.Ordinal);
    }
}
