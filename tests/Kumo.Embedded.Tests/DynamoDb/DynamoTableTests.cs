using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;

namespace Kumo.Embedded.Tests.DynamoDb;

/// <summary>Table lifecycle, UpdateTable, tags and TTL settings through the real low-level client.</summary>
public sealed class DynamoTableTests(DynamoEngine dynamo) : IClassFixture<DynamoEngine>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private AmazonDynamoDBClient Db => dynamo.Client;

    [Fact]
    public async Task Create_describe_list_in_pages_and_delete()
    {
        CreateTableResponse created = await Db.CreateTableAsync(new CreateTableRequest
        {
            TableName = "tables-orders",
            KeySchema = [new("id", KeyType.HASH)],
            AttributeDefinitions = [new("id", ScalarAttributeType.S)],
            ProvisionedThroughput = new ProvisionedThroughput(5, 7),
            Tags = [new Tag { Key = "team", Value = "storage" }],
        }, Ct);
        Assert.Equal(TableStatus.ACTIVE, created.TableDescription.TableStatus);
        Assert.Equal("arn:aws:dynamodb:us-east-1:000000000000:table/tables-orders", created.TableDescription.TableArn);

        await Assert.ThrowsAsync<ResourceInUseException>(() => Db.CreateTableAsync(new CreateTableRequest
        {
            TableName = "tables-orders",
            KeySchema = [new("id", KeyType.HASH)],
            AttributeDefinitions = [new("id", ScalarAttributeType.S)],
            BillingMode = BillingMode.PAY_PER_REQUEST,
        }, Ct));

        await Db.PutItemAsync("tables-orders", new() { ["id"] = Av.S("1"), ["x"] = Av.S("y") }, Ct);
        TableDescription described = (await Db.DescribeTableAsync("tables-orders", Ct)).Table;
        Assert.Equal(5, described.ProvisionedThroughput.ReadCapacityUnits);
        Assert.Equal(7, described.ProvisionedThroughput.WriteCapacityUnits);
        Assert.Equal(1, described.ItemCount);
        Assert.Equal("id", described.KeySchema.Single().AttributeName);
        Assert.Equal("storage", (await Db.ListTagsOfResourceAsync(new ListTagsOfResourceRequest { ResourceArn = described.TableArn }, Ct)).Tags.Single().Value);

        for (int i = 0; i < 4; i++)
        {
            await dynamo.CreateTableAsync($"tables-page-{i}", rangeKey: null);
        }

        var names = new List<string>();
        string? start = null;
        int pages = 0;
        do
        {
            ListTablesResponse page = await Db.ListTablesAsync(new ListTablesRequest { Limit = 2, ExclusiveStartTableName = start }, Ct);
            names.AddRange(page.TableNames);
            start = page.LastEvaluatedTableName;
            pages++;
        }
        while (start is not null && pages < 50);
        Assert.Equal(names.Order(StringComparer.Ordinal), names);
        Assert.Contains("tables-page-3", names);

        await Db.DeleteTableAsync("tables-page-0", Ct);
        ResourceNotFoundException gone = await Assert.ThrowsAsync<ResourceNotFoundException>(() => Db.DescribeTableAsync("tables-page-0", Ct));
        Assert.Equal("Requested resource not found: Table: tables-page-0 not found", gone.Message);
        await Assert.ThrowsAsync<ResourceNotFoundException>(() => Db.DeleteTableAsync("tables-page-0", Ct));
    }

    [Fact]
    public async Task Bad_definitions_are_validation_errors()
    {
        AmazonDynamoDBException undefined = await Assert.ThrowsAsync<AmazonDynamoDBException>(() => Db.CreateTableAsync(new CreateTableRequest
        {
            TableName = "tables-bad",
            KeySchema = [new("id", KeyType.HASH)],
            AttributeDefinitions = [new("other", ScalarAttributeType.S)],
            BillingMode = BillingMode.PAY_PER_REQUEST,
        }, Ct));
        Assert.Equal("ValidationException", undefined.ErrorCode);
        Assert.Contains("Some index key attributes are not defined in AttributeDefinitions", undefined.Message, StringComparison.Ordinal);

        AmazonDynamoDBException noThroughput = await Assert.ThrowsAsync<AmazonDynamoDBException>(() => Db.CreateTableAsync(new CreateTableRequest
        {
            TableName = "tables-bad",
            KeySchema = [new("id", KeyType.HASH)],
            AttributeDefinitions = [new("id", ScalarAttributeType.S)],
        }, Ct));
        Assert.Contains("ReadCapacityUnits and WriteCapacityUnits must both be specified", noThroughput.Message, StringComparison.Ordinal);

        AmazonDynamoDBException shortName = await Assert.ThrowsAsync<AmazonDynamoDBException>(() => dynamo.CreateTableAsync("ab"));
        Assert.Contains("Member must have length greater than or equal to 3", shortName.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Update_table_changes_throughput_and_adds_and_removes_a_queryable_index()
    {
        await dynamo.CreateTableAsync("tables-update");
        await Db.PutItemAsync("tables-update", new() { ["pk"] = Av.S("a"), ["sk"] = Av.S("1"), ["email"] = Av.S("a@example.com") }, Ct);

        TableDescription updated = (await Db.UpdateTableAsync(new UpdateTableRequest
        {
            TableName = "tables-update",
            AttributeDefinitions = [new("email", ScalarAttributeType.S)],
            GlobalSecondaryIndexUpdates =
            [
                new GlobalSecondaryIndexUpdate
                {
                    Create = new CreateGlobalSecondaryIndexAction
                    {
                        IndexName = "by-email",
                        KeySchema = [new("email", KeyType.HASH)],
                        Projection = new Projection { ProjectionType = ProjectionType.ALL },
                    },
                },
            ],
        }, Ct)).TableDescription;
        Assert.Equal("by-email", updated.GlobalSecondaryIndexes.Single().IndexName);

        QueryResponse byEmail = await Db.QueryAsync(new QueryRequest
        {
            TableName = "tables-update",
            IndexName = "by-email",
            KeyConditionExpression = "email = :e",
            ExpressionAttributeValues = new() { [":e"] = Av.S("a@example.com") },
        }, Ct);
        Assert.Equal("a", byEmail.Items.Single()["pk"].S);

        await Db.UpdateTableAsync(new UpdateTableRequest
        {
            TableName = "tables-update",
            GlobalSecondaryIndexUpdates = [new GlobalSecondaryIndexUpdate { Delete = new DeleteGlobalSecondaryIndexAction { IndexName = "by-email" } }],
        }, Ct);
        TableDescription after = (await Db.UpdateTableAsync(new UpdateTableRequest
        {
            TableName = "tables-update",
            BillingMode = BillingMode.PROVISIONED,
            ProvisionedThroughput = new ProvisionedThroughput(3, 4),
        }, Ct)).TableDescription;
        Assert.True(after.GlobalSecondaryIndexes is null || after.GlobalSecondaryIndexes.Count == 0);
        Assert.Equal(3, after.ProvisionedThroughput.ReadCapacityUnits);
        Assert.Equal(2, after.AttributeDefinitions.Count);
    }

    [Fact]
    public async Task Time_to_live_and_tags_are_settings_of_the_table()
    {
        await dynamo.CreateTableAsync("tables-ttl");
        Assert.Equal(TimeToLiveStatus.DISABLED, (await Db.DescribeTimeToLiveAsync("tables-ttl", Ct)).TimeToLiveDescription.TimeToLiveStatus);
        await Db.UpdateTimeToLiveAsync(new UpdateTimeToLiveRequest
        {
            TableName = "tables-ttl",
            TimeToLiveSpecification = new TimeToLiveSpecification { AttributeName = "expires", Enabled = true },
        }, Ct);
        TimeToLiveDescription ttl = (await Db.DescribeTimeToLiveAsync("tables-ttl", Ct)).TimeToLiveDescription;
        Assert.Equal(TimeToLiveStatus.ENABLED, ttl.TimeToLiveStatus);
        Assert.Equal("expires", ttl.AttributeName);
        AmazonDynamoDBException again = await Assert.ThrowsAsync<AmazonDynamoDBException>(() => Db.UpdateTimeToLiveAsync(new UpdateTimeToLiveRequest
        {
            TableName = "tables-ttl",
            TimeToLiveSpecification = new TimeToLiveSpecification { AttributeName = "expires", Enabled = true },
        }, Ct));
        Assert.Equal("TimeToLive is already enabled", again.Message);

        string arn = (await Db.DescribeTableAsync("tables-ttl", Ct)).Table.TableArn;
        await Db.TagResourceAsync(new TagResourceRequest { ResourceArn = arn, Tags = [new Tag { Key = "a", Value = "1" }, new Tag { Key = "b", Value = "2" }] }, Ct);
        await Db.UntagResourceAsync(new UntagResourceRequest { ResourceArn = arn, TagKeys = ["a"] }, Ct);
        Assert.Equal(["b"], (await Db.ListTagsOfResourceAsync(new ListTagsOfResourceRequest { ResourceArn = arn }, Ct)).Tags.Select(t => t.Key));
        await Assert.ThrowsAsync<ResourceNotFoundException>(() => Db.ListTagsOfResourceAsync(new ListTagsOfResourceRequest { ResourceArn = arn + "-missing" }, Ct));
    }
}
