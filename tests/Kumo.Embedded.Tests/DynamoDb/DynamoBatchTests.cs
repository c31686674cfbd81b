using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;

namespace Kumo.Embedded.Tests.DynamoDb;

/// <summary>BatchGetItem, BatchWriteItem, TransactWriteItems (with cancellation reasons) and TransactGetItems.</summary>
public sealed class DynamoBatchTests(DynamoEngine dynamo) : IClassFixture<DynamoEngine>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private AmazonDynamoDBClient Db => dynamo.Client;

    [Fact]
    public async Task Batches_write_and_read_across_tables()
    {
        await dynamo.CreateTableAsync("batch-a");
        await dynamo.CreateTableAsync("batch-b", rangeKey: null);
        BatchWriteItemResponse written = await Db.BatchWriteItemAsync(new BatchWriteItemRequest
        {
            RequestItems = new()
            {
                ["batch-a"] = [.. Enumerable.Range(0, 20).Select(i => new WriteRequest(new PutRequest(new() { ["pk"] = Av.S("p"), ["sk"] = Av.S($"{i:00}"), ["v"] = Av.N(i) })))],
                ["batch-b"] = [new WriteRequest(new PutRequest(new() { ["pk"] = Av.S("solo") }))],
            },
        }, Ct);
        Assert.True(written.UnprocessedItems is null || written.UnprocessedItems.Count == 0);

        await Db.BatchWriteItemAsync(new BatchWriteItemRequest
        {
            RequestItems = new() { ["batch-a"] = [new WriteRequest(new DeleteRequest(Av.Key("p", "00")))] },
        }, Ct);

        BatchGetItemResponse read = await Db.BatchGetItemAsync(new BatchGetItemRequest
        {
            RequestItems = new()
            {
                ["batch-a"] = new KeysAndAttributes { Keys = [Av.Key("p", "00"), Av.Key("p", "01"), Av.Key("p", "19")], ProjectionExpression = "v" },
                ["batch-b"] = new KeysAndAttributes { Keys = [new() { ["pk"] = Av.S("solo") }] },
            },
        }, Ct);
        Assert.Equal(["1", "19"], read.Responses["batch-a"].Select(i => i["v"].N).Order());
        Assert.Single(read.Responses["batch-b"]);

        AmazonDynamoDBException duplicates = await Assert.ThrowsAsync<AmazonDynamoDBException>(() => Db.BatchWriteItemAsync(new BatchWriteItemRequest
        {
            RequestItems = new() { ["batch-a"] = [new WriteRequest(new DeleteRequest(Av.Key("p", "01"))), new WriteRequest(new DeleteRequest(Av.Key("p", "01")))] },
        }, Ct));
        Assert.Equal("Provided list of item keys contains duplicates", duplicates.Message);

        AmazonDynamoDBException tooMany = await Assert.ThrowsAsync<AmazonDynamoDBException>(() => Db.BatchWriteItemAsync(new BatchWriteItemRequest
        {
            RequestItems = new() { ["batch-a"] = [.. Enumerable.Range(0, 26).Select(i => new WriteRequest(new DeleteRequest(Av.Key("p", $"x{i}"))))] },
        }, Ct));
        Assert.Equal("ValidationException", tooMany.ErrorCode);
    }

    [Fact]
    public async Task A_transaction_writes_all_or_nothing_and_names_the_failing_condition()
    {
        await dynamo.CreateTableAsync("tx-accounts", rangeKey: null);
        await Db.PutItemAsync("tx-accounts", new() { ["pk"] = Av.S("alice"), ["balance"] = Av.N(100) }, Ct);
        await Db.PutItemAsync("tx-accounts", new() { ["pk"] = Av.S("bob"), ["balance"] = Av.N(0) }, Ct);

        TransactWriteItem Transfer(string from, string to, int amount) => new()
        {
            Update = new Update
            {
                TableName = "tx-accounts",
                Key = new() { ["pk"] = Av.S(from) },
                UpdateExpression = "SET balance = balance - :a",
                ConditionExpression = "balance >= :a",
                ExpressionAttributeValues = new() { [":a"] = Av.N(amount) },
                ReturnValuesOnConditionCheckFailure = ReturnValuesOnConditionCheckFailure.ALL_OLD,
            },
        };

        TransactWriteItem Credit(string to, int amount) => new()
        {
            Update = new Update
            {
                TableName = "tx-accounts",
                Key = new() { ["pk"] = Av.S(to) },
                UpdateExpression = "SET balance = balance + :a",
                ExpressionAttributeValues = new() { [":a"] = Av.N(amount) },
            },
        };

        await Db.TransactWriteItemsAsync(new TransactWriteItemsRequest { TransactItems = [Transfer("alice", "bob", 60), Credit("bob", 60)] }, Ct);

        TransactionCanceledException cancelled = await Assert.ThrowsAsync<TransactionCanceledException>(() =>
            Db.TransactWriteItemsAsync(new TransactWriteItemsRequest { TransactItems = [Credit("bob", 60), Transfer("alice", "bob", 60)] }, Ct));
        Assert.Equal(["None", "ConditionalCheckFailed"], cancelled.CancellationReasons.Select(r => r.Code));
        Assert.Equal("40", cancelled.CancellationReasons[1].Item["balance"].N);

        TransactGetItemsResponse balances = await Db.TransactGetItemsAsync(new TransactGetItemsRequest
        {
            TransactItems =
            [
                new TransactGetItem { Get = new Get { TableName = "tx-accounts", Key = new() { ["pk"] = Av.S("alice") } } },
                new TransactGetItem { Get = new Get { TableName = "tx-accounts", Key = new() { ["pk"] = Av.S("bob") } } },
                new TransactGetItem { Get = new Get { TableName = "tx-accounts", Key = new() { ["pk"] = Av.S("nobody") } } },
            ],
        }, Ct);
        Assert.Equal("40", balances.Responses[0].Item["balance"].N);
        Assert.Equal("60", balances.Responses[1].Item["balance"].N);
        Assert.True(balances.Responses[2].Item is null || balances.Responses[2].Item.Count == 0);

        AmazonDynamoDBException twice = await Assert.ThrowsAsync<AmazonDynamoDBException>(() =>
            Db.TransactWriteItemsAsync(new TransactWriteItemsRequest { TransactItems = [Credit("bob", 1), Credit("bob", 1)] }, Ct));
        Assert.Equal("Transaction request cannot include multiple operations on one item", twice.Message);

        await Db.TransactWriteItemsAsync(new TransactWriteItemsRequest
        {
            TransactItems =
            [
                new TransactWriteItem { ConditionCheck = new ConditionCheck { TableName = "tx-accounts", Key = new() { ["pk"] = Av.S("alice") }, ConditionExpression = "attribute_exists(pk)" } },
                new TransactWriteItem { Put = new Put { TableName = "tx-accounts", Item = new() { ["pk"] = Av.S("carol"), ["balance"] = Av.N(5) }, ConditionExpression = "attribute_not_exists(pk)" } },
                new TransactWriteItem { Delete = new Delete { TableName = "tx-accounts", Key = new() { ["pk"] = Av.S("bob") } } },
            ],
        }, Ct);
        Assert.True((await Db.GetItemAsync("tx-accounts", new() { ["pk"] = Av.S("carol") }, Ct)).IsItemSet);
        Assert.False((await Db.GetItemAsync("tx-accounts", new() { ["pk"] = Av.S("bob") }, Ct)).IsItemSet);
    }
}
