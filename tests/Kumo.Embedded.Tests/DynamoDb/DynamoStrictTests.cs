using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;

namespace Kumo.Embedded.Tests.DynamoDb;

/// <summary>Strict kumo mode refuses the DynamoDB requests real kumo would not honour, naming the fix.</summary>
public sealed class DynamoStrictTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Strict_mode_refuses_what_kumo_ignores_and_serves_the_rest()
    {
        await using TestEngine engine = await TestEngine.StartAsync(o => o with { StrictKumoCompatibility = true }, persistent: false);
        using var db = new AmazonDynamoDBClient(TestEngine.Credentials, DynamoEngine.Config(engine.Endpoint));
        await db.CreateTableAsync(new CreateTableRequest
        {
            TableName = "strict",
            BillingMode = BillingMode.PAY_PER_REQUEST,
            KeySchema = [new("pk", KeyType.HASH)],
            AttributeDefinitions = [new("pk", ScalarAttributeType.S)],
        }, Ct);
        await db.PutItemAsync(new PutItemRequest { TableName = "strict", Item = new() { ["pk"] = Av.S("a") }, ConditionExpression = "attribute_not_exists(pk)" }, Ct);

        AmazonDynamoDBException expected = await Assert.ThrowsAsync<AmazonDynamoDBException>(() => db.PutItemAsync(new PutItemRequest
        {
            TableName = "strict",
            Item = new() { ["pk"] = Av.S("b") },
            Expected = new() { ["pk"] = new ExpectedAttributeValue { Exists = false } },
        }, Ct));
        Assert.Equal("KumoIncompatibleRequest", expected.ErrorCode);
        Assert.Contains("Use ConditionExpression", expected.Message, StringComparison.Ordinal);

        AmazonDynamoDBException update = await Assert.ThrowsAsync<AmazonDynamoDBException>(() => db.UpdateTableAsync(new UpdateTableRequest { TableName = "strict", DeletionProtectionEnabled = true }, Ct));
        Assert.Equal("KumoIncompatibleRequest", update.ErrorCode);
        Assert.Equal(1, engine.Engine.Compatibility.ByReason["dynamodb-expected"]);
        Assert.Equal(1, engine.Engine.Compatibility.ByReason["dynamodb-update-table"]);
        Assert.False((await db.GetItemAsync("strict", new() { ["pk"] = Av.S("b") }, Ct)).IsItemSet);
    }
}
