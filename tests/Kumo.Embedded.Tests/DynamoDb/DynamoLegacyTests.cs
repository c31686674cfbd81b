using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;

namespace Kumo.Embedded.Tests.DynamoDb;

/// <summary>The pre-expression parameters older code sends (KeyConditions, QueryFilter, ScanFilter, AttributeUpdates, Expected, AttributesToGet), and their count in the compatibility monitor.</summary>
public sealed class DynamoLegacyTests(DynamoEngine dynamo) : IClassFixture<DynamoEngine>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private AmazonDynamoDBClient Db => dynamo.Client;

    [Fact]
    public async Task Legacy_parameters_behave_like_their_expressions()
    {
        await dynamo.CreateTableAsync("legacy");
        for (int i = 1; i <= 5; i++)
        {
            await Db.PutItemAsync("legacy", new() { ["pk"] = Av.S("p"), ["sk"] = Av.S($"{i}"), ["n"] = Av.N(i), ["tag"] = Av.S(i % 2 == 0 ? "even" : "odd") }, Ct);
        }

        QueryResponse query = await Db.QueryAsync(new QueryRequest
        {
            TableName = "legacy",
            KeyConditions = new()
            {
                ["pk"] = new Condition { ComparisonOperator = ComparisonOperator.EQ, AttributeValueList = [Av.S("p")] },
                ["sk"] = new Condition { ComparisonOperator = ComparisonOperator.BETWEEN, AttributeValueList = [Av.S("2"), Av.S("4")] },
            },
            QueryFilter = new() { ["tag"] = new Condition { ComparisonOperator = ComparisonOperator.EQ, AttributeValueList = [Av.S("even")] } },
            AttributesToGet = ["sk"],
        }, Ct);
        Assert.Equal(["2", "4"], query.Items.Select(i => i["sk"].S));
        Assert.All(query.Items, i => Assert.Single(i));

        ScanResponse scan = await Db.ScanAsync(new ScanRequest
        {
            TableName = "legacy",
            ScanFilter = new()
            {
                ["n"] = new Condition { ComparisonOperator = ComparisonOperator.GE, AttributeValueList = [Av.N(4)] },
                ["tag"] = new Condition { ComparisonOperator = ComparisonOperator.EQ, AttributeValueList = [Av.S("odd")] },
            },
            ConditionalOperator = ConditionalOperator.OR,
        }, Ct);
        Assert.Equal(["1", "3", "4", "5"], scan.Items.Select(i => i["sk"].S).Order());

        long before = dynamo.Engine.Engine.Compatibility.ByReason.GetValueOrDefault("dynamodb-expected");
        await Db.UpdateItemAsync(new UpdateItemRequest
        {
            TableName = "legacy",
            Key = Av.Key("p", "1"),
            AttributeUpdates = new()
            {
                ["n"] = new AttributeValueUpdate { Action = AttributeAction.ADD, Value = Av.N(10) },
                ["tag"] = new AttributeValueUpdate { Action = AttributeAction.DELETE },
                ["note"] = new AttributeValueUpdate { Action = AttributeAction.PUT, Value = Av.S("hi") },
            },
            Expected = new() { ["n"] = new ExpectedAttributeValue { Value = Av.N(1) } },
        }, Ct);
        Dictionary<string, AttributeValue> item = (await Db.GetItemAsync("legacy", Av.Key("p", "1"), Ct)).Item;
        Assert.Equal("11", item["n"].N);
        Assert.Equal("hi", item["note"].S);
        Assert.False(item.ContainsKey("tag"));
        Assert.Equal(before + 1, dynamo.Engine.Engine.Compatibility.ByReason["dynamodb-expected"]);

        await Assert.ThrowsAsync<ConditionalCheckFailedException>(() => Db.PutItemAsync(new PutItemRequest
        {
            TableName = "legacy",
            Item = new() { ["pk"] = Av.S("p"), ["sk"] = Av.S("1") },
            Expected = new() { ["pk"] = new ExpectedAttributeValue { Exists = false } },
        }, Ct));

        AmazonDynamoDBException mixed = await Assert.ThrowsAsync<AmazonDynamoDBException>(() => Db.PutItemAsync(new PutItemRequest
        {
            TableName = "legacy",
            Item = new() { ["pk"] = Av.S("p"), ["sk"] = Av.S("9") },
            Expected = new() { ["pk"] = new ExpectedAttributeValue { Exists = false } },
            ConditionExpression = "attribute_not_exists(pk)",
        }, Ct));
        Assert.Contains("Can not use both expression and non-expression parameters in the same request", mixed.Message, StringComparison.Ordinal);
    }
}
