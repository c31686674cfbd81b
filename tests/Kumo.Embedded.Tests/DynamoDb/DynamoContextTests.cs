using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.DataModel;
using Amazon.DynamoDBv2.DocumentModel;
using Amazon.DynamoDBv2.Model;

namespace Kumo.Embedded.Tests.DynamoDb;

/// <summary>The object persistence model (DynamoDBContext) against the engine: save, load, query, optimistic locking, delete.</summary>
public sealed class DynamoContextTests(DynamoEngine dynamo) : IClassFixture<DynamoEngine>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Objects_save_load_query_and_conflict_on_a_stale_version()
    {
        await dynamo.Client.CreateTableAsync(new CreateTableRequest
        {
            TableName = "context-orders",
            BillingMode = BillingMode.PAY_PER_REQUEST,
            KeySchema = [new("CustomerId", KeyType.HASH), new("OrderId", KeyType.RANGE)],
            AttributeDefinitions = [new("CustomerId", ScalarAttributeType.S), new("OrderId", ScalarAttributeType.S), new("Status", ScalarAttributeType.S)],
            GlobalSecondaryIndexes =
            [
                new GlobalSecondaryIndex
                {
                    IndexName = "by-status",
                    KeySchema = [new("Status", KeyType.HASH)],
                    Projection = new Projection { ProjectionType = ProjectionType.ALL },
                },
            ],
        }, Ct);
        using IDynamoDBContext context = new DynamoDBContextBuilder().WithDynamoDBClient(() => dynamo.Client).Build();

        var placed = new DateTime(2024, 5, 1, 12, 0, 0, DateTimeKind.Utc);
        await context.SaveAsync(new ContextOrder { CustomerId = "c1", OrderId = "o1", Status = "NEW", Total = 19.99m, Lines = ["apple", "pear"], Placed = placed }, Ct);
        await context.SaveAsync(new ContextOrder { CustomerId = "c1", OrderId = "o2", Status = "PAID", Total = 5m, Lines = [], Placed = placed }, Ct);

        ContextOrder loaded = await context.LoadAsync<ContextOrder>("c1", "o1", Ct);
        Assert.Equal(19.99m, loaded.Total);
        Assert.Equal(["apple", "pear"], loaded.Lines);
        Assert.Equal(placed, loaded.Placed.ToUniversalTime());
        Assert.Equal(0, loaded.Version);

        List<ContextOrder> orders = await context.QueryAsync<ContextOrder>("c1").GetRemainingAsync(Ct);
        Assert.Equal(["o1", "o2"], orders.Select(o => o.OrderId));

        List<ContextOrder> paid = await context.QueryAsync<ContextOrder>("PAID", new QueryConfig { IndexName = "by-status" }).GetRemainingAsync(Ct);
        Assert.Equal("o2", paid.Single().OrderId);

        List<ContextOrder> expensive = await context.ScanAsync<ContextOrder>([new ScanCondition(nameof(ContextOrder.Total), ScanOperator.GreaterThan, 10m)]).GetRemainingAsync(Ct);
        Assert.Equal("o1", expensive.Single().OrderId);

        // Optimistic locking: the second writer of the same version loses with the typed exception.
        ContextOrder first = await context.LoadAsync<ContextOrder>("c1", "o1", Ct);
        ContextOrder second = await context.LoadAsync<ContextOrder>("c1", "o1", Ct);
        first.Status = "PAID";
        await context.SaveAsync(first, Ct);
        second.Status = "CANCELLED";
        await Assert.ThrowsAsync<ConditionalCheckFailedException>(() => context.SaveAsync(second, Ct));
        Assert.Equal("PAID", (await context.LoadAsync<ContextOrder>("c1", "o1", Ct)).Status);

        await context.DeleteAsync<ContextOrder>("c1", "o2", Ct);
        Assert.Null(await context.LoadAsync<ContextOrder>("c1", "o2", Ct));
    }
}

/// <summary>An order as a service would model it.</summary>
[DynamoDBTable("context-orders")]
public sealed class ContextOrder
{
    [DynamoDBHashKey]
    public string CustomerId { get; set; } = string.Empty;

    [DynamoDBRangeKey]
    public string OrderId { get; set; } = string.Empty;

    [DynamoDBGlobalSecondaryIndexHashKey("by-status")]
    public string Status { get; set; } = string.Empty;

    public decimal Total { get; set; }

    public List<string> Lines { get; set; } = [];

    public DateTime Placed { get; set; }

    [DynamoDBVersion]
    public int? Version { get; set; }
}
