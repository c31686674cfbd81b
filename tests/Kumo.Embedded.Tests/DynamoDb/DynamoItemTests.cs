using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;

namespace Kumo.Embedded.Tests.DynamoDb;

/// <summary>PutItem, GetItem, UpdateItem and DeleteItem with expressions, through the real low-level client.</summary>
public sealed class DynamoItemTests(DynamoEngine dynamo) : IClassFixture<DynamoEngine>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private AmazonDynamoDBClient Db => dynamo.Client;

    [Fact]
    public async Task Every_attribute_type_round_trips_and_numbers_keep_38_digits()
    {
        await dynamo.CreateTableAsync("items-types");
        var item = new Dictionary<string, AttributeValue>
        {
            ["pk"] = Av.S("a"),
            ["sk"] = Av.S("1"),
            ["s"] = Av.S("text ü 🌍"),
            ["empty"] = Av.S(string.Empty),
            ["big"] = Av.N("12345678901234567890123456789012345678"),
            ["small"] = Av.N("0.00000000000000000000000000000000000001"),
            ["normalized"] = Av.N("1.50E+2"),
            ["b"] = new AttributeValue { B = new MemoryStream([0, 1, 2, 255]) },
            ["ss"] = new AttributeValue { SS = ["x", "y"] },
            ["ns"] = new AttributeValue { NS = ["1", "2.5"] },
            ["bs"] = new AttributeValue { BS = [new MemoryStream([1]), new MemoryStream([2])] },
            ["m"] = new AttributeValue { M = new() { ["inner"] = new AttributeValue { L = [Av.S("deep"), new AttributeValue { BOOL = true }] } } },
            ["l"] = new AttributeValue { L = [Av.N("1"), new AttributeValue { NULL = true }] },
            ["t"] = new AttributeValue { BOOL = false },
            ["n"] = new AttributeValue { NULL = true },
        };
        await Db.PutItemAsync("items-types", item, Ct);

        Dictionary<string, AttributeValue> got = (await Db.GetItemAsync("items-types", Av.Key("a", "1"), Ct)).Item;
        Assert.Equal("text ü 🌍", got["s"].S);
        Assert.Equal(string.Empty, got["empty"].S);
        Assert.Equal("12345678901234567890123456789012345678", got["big"].N);
        Assert.Equal("0.00000000000000000000000000000000000001", got["small"].N);
        Assert.Equal("150", got["normalized"].N);
        Assert.Equal([0, 1, 2, 255], got["b"].B.ToArray());
        Assert.Equal(["x", "y"], got["ss"].SS.Order());
        Assert.Equal(["1", "2.5"], got["ns"].NS.Order());
        Assert.Equal(2, got["bs"].BS.Count);
        Assert.Equal("deep", got["m"].M["inner"].L[0].S);
        Assert.True(got["m"].M["inner"].L[1].BOOL);
        Assert.True(got["l"].L[1].NULL);
        Assert.False(got["t"].BOOL);
        Assert.True(got["n"].NULL);

        // Arithmetic is exact decimal: 0.1 + 0.2 is 0.3, and 38 digits survive an ADD.
        await Db.UpdateItemAsync(new UpdateItemRequest
        {
            TableName = "items-types",
            Key = Av.Key("a", "1"),
            UpdateExpression = "SET small = :a + :b ADD big :one",
            ExpressionAttributeValues = new() { [":a"] = Av.N("0.1"), [":b"] = Av.N("0.2"), [":one"] = Av.N("1") },
        }, Ct);
        got = (await Db.GetItemAsync("items-types", Av.Key("a", "1"), Ct)).Item;
        Assert.Equal("0.3", got["small"].N);
        Assert.Equal("12345678901234567890123456789012345679", got["big"].N);

        AmazonDynamoDBException tooPrecise = await Assert.ThrowsAsync<AmazonDynamoDBException>(() => Db.PutItemAsync("items-types", new() { ["pk"] = Av.S("a"), ["sk"] = Av.S("2"), ["n"] = Av.N("123456789012345678901234567890123456789") }, Ct));
        Assert.Equal("ValidationException", tooPrecise.ErrorCode);
        Assert.Contains("38 significant digits", tooPrecise.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Condition_expressions_decide_writes_and_the_failure_can_carry_the_item()
    {
        await dynamo.CreateTableAsync("items-cond");
        var order = new Dictionary<string, AttributeValue> { ["pk"] = Av.S("order-1"), ["sk"] = Av.S("v"), ["status"] = Av.S("NEW"), ["qty"] = Av.N(3) };
        await Db.PutItemAsync(new PutItemRequest { TableName = "items-cond", Item = order, ConditionExpression = "attribute_not_exists(pk)" }, Ct);

        ConditionalCheckFailedException duplicate = await Assert.ThrowsAsync<ConditionalCheckFailedException>(() => Db.PutItemAsync(new PutItemRequest
        {
            TableName = "items-cond",
            Item = order,
            ConditionExpression = "attribute_not_exists(pk)",
            ReturnValuesOnConditionCheckFailure = ReturnValuesOnConditionCheckFailure.ALL_OLD,
        }, Ct));
        Assert.Equal("The conditional request failed", duplicate.Message);
        Assert.Equal("NEW", duplicate.Item["status"].S);

        // Comparators, functions, BETWEEN, IN, AND/OR/NOT and parentheses.
        string[] passing =
        [
            "#s = :new AND qty > :two",
            "qty BETWEEN :two AND :three",
            "#s IN (:done, :new)",
            "NOT (#s = :done) AND (begins_with(#s, :n) OR contains(#s, :x))",
            "attribute_type(qty, :number) AND size(#s) = :three",
            "qty <> :two AND qty >= :three AND qty <= :three AND qty < :four",
        ];
        foreach (string condition in passing)
        {
            await Db.UpdateItemAsync(new UpdateItemRequest
            {
                TableName = "items-cond",
                Key = Av.Key("order-1", "v"),
                UpdateExpression = "SET touched = :new",
                ConditionExpression = condition,
                ExpressionAttributeNames = condition.Contains("#s", StringComparison.Ordinal) ? new() { ["#s"] = "status" } : null,
                ExpressionAttributeValues = Values(condition),
            }, Ct);
        }

        await Assert.ThrowsAsync<ConditionalCheckFailedException>(() => Db.DeleteItemAsync(new DeleteItemRequest
        {
            TableName = "items-cond",
            Key = Av.Key("order-1", "v"),
            ConditionExpression = "#s = :done",
            ExpressionAttributeNames = new() { ["#s"] = "status" },
            ExpressionAttributeValues = new() { [":done"] = Av.S("DONE") },
        }, Ct));
        DeleteItemResponse deleted = await Db.DeleteItemAsync(new DeleteItemRequest { TableName = "items-cond", Key = Av.Key("order-1", "v"), ReturnValues = ReturnValue.ALL_OLD }, Ct);
        Assert.Equal("NEW", deleted.Attributes["touched"].S);
        Assert.False((await Db.GetItemAsync("items-cond", Av.Key("order-1", "v"), Ct)).IsItemSet);

        static Dictionary<string, AttributeValue> Values(string condition)
        {
            var all = new Dictionary<string, AttributeValue>
            {
                [":new"] = Av.S("NEW"), [":done"] = Av.S("DONE"), [":n"] = Av.S("N"), [":x"] = Av.S("zzz"),
                [":two"] = Av.N(2), [":three"] = Av.N(3), [":four"] = Av.N(4), [":number"] = Av.S("N"),
            };
            return System.Text.RegularExpressions.Regex.Matches(condition + " :new", ":[a-z]+").Select(m => m.Value).Distinct().ToDictionary(k => k, k => all[k]);
        }
    }

    [Fact]
    public async Task Update_expressions_set_remove_add_delete_and_return_values()
    {
        await dynamo.CreateTableAsync("items-update");
        await Db.PutItemAsync("items-update", new()
        {
            ["pk"] = Av.S("u"),
            ["sk"] = Av.S("1"),
            ["count"] = Av.N(10),
            ["list"] = new AttributeValue { L = [Av.S("a")] },
            ["tags"] = new AttributeValue { SS = ["red", "blue"] },
            ["profile"] = new AttributeValue { M = new() { ["name"] = Av.S("Ann"), ["age"] = Av.N(30) } },
            ["gone"] = Av.S("x"),
        }, Ct);

        UpdateItemResponse updated = await Db.UpdateItemAsync(new UpdateItemRequest
        {
            TableName = "items-update",
            Key = Av.Key("u", "1"),
            UpdateExpression = "SET #c = #c - :one, #l = list_append(#l, :more), profile.age = profile.age + :one, fresh = if_not_exists(fresh, :zero), kept = if_not_exists(#c, :zero) REMOVE gone, profile.#n ADD hits :one, colors :green DELETE tags :red",
            ExpressionAttributeNames = new() { ["#c"] = "count", ["#l"] = "list", ["#n"] = "name" },
            ExpressionAttributeValues = new()
            {
                [":one"] = Av.N(1), [":zero"] = Av.N(0), [":more"] = new AttributeValue { L = [Av.S("b"), Av.S("c")] },
                [":green"] = new AttributeValue { SS = ["green"] }, [":red"] = new AttributeValue { SS = ["red"] },
            },
            ReturnValues = ReturnValue.ALL_NEW,
        }, Ct);
        Dictionary<string, AttributeValue> item = updated.Attributes;
        Assert.Equal("9", item["count"].N);
        Assert.Equal(["a", "b", "c"], item["list"].L.Select(v => v.S));
        Assert.Equal("31", item["profile"].M["age"].N);
        Assert.False(item["profile"].M.ContainsKey("name"));
        Assert.Equal("0", item["fresh"].N);
        Assert.Equal("10", item["kept"].N);
        Assert.False(item.ContainsKey("gone"));
        Assert.Equal("1", item["hits"].N);
        Assert.Equal(["green"], item["colors"].SS);
        Assert.Equal(["blue"], item["tags"].SS);

        UpdateItemResponse old = await Db.UpdateItemAsync(new UpdateItemRequest
        {
            TableName = "items-update",
            Key = Av.Key("u", "1"),
            UpdateExpression = "SET profile.age = :age REMOVE #l[0]",
            ExpressionAttributeNames = new() { ["#l"] = "list" },
            ExpressionAttributeValues = new() { [":age"] = Av.N(40) },
            ReturnValues = ReturnValue.UPDATED_OLD,
        }, Ct);
        Assert.Equal("31", old.Attributes["profile"].M["age"].N);
        Assert.Equal(["a"], old.Attributes["list"].L.Select(v => v.S));
        Assert.Equal(2, old.Attributes.Count);

        UpdateItemResponse created = await Db.UpdateItemAsync(new UpdateItemRequest
        {
            TableName = "items-update",
            Key = Av.Key("new", "1"),
            UpdateExpression = "ADD visits :one",
            ExpressionAttributeValues = new() { [":one"] = Av.N(1) },
            ReturnValues = ReturnValue.UPDATED_NEW,
        }, Ct);
        Assert.Equal("1", created.Attributes["visits"].N);

        AmazonDynamoDBException keyUpdate = await Assert.ThrowsAsync<AmazonDynamoDBException>(() => Db.UpdateItemAsync(new UpdateItemRequest
        {
            TableName = "items-update",
            Key = Av.Key("u", "1"),
            UpdateExpression = "SET sk = :v",
            ExpressionAttributeValues = new() { [":v"] = Av.S("2") },
        }, Ct));
        Assert.Contains("Cannot update attribute sk. This attribute is part of the key", keyUpdate.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("SET a = :v,", null, "Invalid UpdateExpression: Syntax error; token: \"<EOF>\"")]
    [InlineData("SET status = :v", null, "Attribute name is a reserved keyword; reserved keyword: status")]
    [InlineData("SET a = :missing", null, "An expression attribute value used in expression is not defined; attribute value: :missing")]
    [InlineData("SET a = :v", ":unused", "Value provided in ExpressionAttributeValues unused in expressions: keys: {:unused}")]
    [InlineData("SET a = :v, a.b = :v", null, "Two document paths overlap with each other")]
    [InlineData("SET a = :v SET b = :v", null, "The \"SET\" section can only be used once in an update expression")]
    [InlineData("SET a = nope(:v)", null, "Invalid function name; function: nope")]
    public async Task Invalid_expressions_are_validation_errors_with_awss_words(string expression, string? extraValue, string expected)
    {
        await EnsureTableAsync("items-invalid");
        var values = new Dictionary<string, AttributeValue> { [":v"] = Av.S("x") };
        if (extraValue is not null)
        {
            values[extraValue] = Av.S("y");
        }

        AmazonDynamoDBException error = await Assert.ThrowsAsync<AmazonDynamoDBException>(() => Db.UpdateItemAsync(new UpdateItemRequest
        {
            TableName = "items-invalid",
            Key = Av.Key("k", "1"),
            UpdateExpression = expression,
            ExpressionAttributeValues = values,
        }, Ct));
        Assert.Equal("ValidationException", error.ErrorCode);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Keys_tables_and_size_are_checked_as_aws_checks_them()
    {
        await dynamo.CreateTableAsync("items-rules");
        await Assert.ThrowsAsync<ResourceNotFoundException>(() => Db.GetItemAsync("no-such-table", Av.Key("a", "1"), Ct));
        await Assert.ThrowsAsync<ResourceNotFoundException>(() => Db.PutItemAsync("no-such-table", Av.Key("a", "1"), Ct));

        AmazonDynamoDBException mismatch = await Assert.ThrowsAsync<AmazonDynamoDBException>(() => Db.GetItemAsync("items-rules", Av.Key("a"), Ct));
        Assert.Equal("The provided key element does not match the schema", mismatch.Message);

        AmazonDynamoDBException missing = await Assert.ThrowsAsync<AmazonDynamoDBException>(() => Db.PutItemAsync("items-rules", new() { ["pk"] = Av.S("a") }, Ct));
        Assert.Equal("One or more parameter values were invalid: Missing the key sk in the item", missing.Message);

        AmazonDynamoDBException wrongType = await Assert.ThrowsAsync<AmazonDynamoDBException>(() => Db.PutItemAsync("items-rules", new() { ["pk"] = Av.S("a"), ["sk"] = Av.N(1) }, Ct));
        Assert.Contains("Type mismatch for key sk expected: S actual: N", wrongType.Message, StringComparison.Ordinal);

        AmazonDynamoDBException emptyKey = await Assert.ThrowsAsync<AmazonDynamoDBException>(() => Db.PutItemAsync("items-rules", new() { ["pk"] = Av.S(string.Empty), ["sk"] = Av.S("1") }, Ct));
        Assert.Contains("cannot contain an empty string value", emptyKey.Message, StringComparison.Ordinal);

        // 400 KB: an item just under fits, one over is refused; the same through an update.
        string almost = new('x', (400 * 1024) - 100);
        await Db.PutItemAsync("items-rules", new() { ["pk"] = Av.S("big"), ["sk"] = Av.S("1"), ["data"] = Av.S(almost) }, Ct);
        AmazonDynamoDBException tooBig = await Assert.ThrowsAsync<AmazonDynamoDBException>(() => Db.PutItemAsync("items-rules", new() { ["pk"] = Av.S("big"), ["sk"] = Av.S("2"), ["data"] = Av.S(almost + new string('y', 200)) }, Ct));
        Assert.Equal("Item size has exceeded the maximum allowed size", tooBig.Message);
        AmazonDynamoDBException growing = await Assert.ThrowsAsync<AmazonDynamoDBException>(() => Db.UpdateItemAsync(new UpdateItemRequest
        {
            TableName = "items-rules",
            Key = Av.Key("big", "1"),
            UpdateExpression = "SET more = :m",
            ExpressionAttributeValues = new() { [":m"] = Av.S(new string('z', 500)) },
        }, Ct));
        Assert.Equal("Item size to update has exceeded the maximum allowed size", growing.Message);
    }

    [Fact]
    public async Task Get_projects_nested_paths()
    {
        await dynamo.CreateTableAsync("items-projection");
        await Db.PutItemAsync("items-projection", new()
        {
            ["pk"] = Av.S("p"),
            ["sk"] = Av.S("1"),
            ["a"] = new AttributeValue { M = new() { ["b"] = Av.S("keep"), ["c"] = Av.S("drop") } },
            ["list"] = new AttributeValue { L = [Av.S("0"), Av.S("1"), Av.S("2")] },
            ["other"] = Av.S("drop"),
        }, Ct);
        GetItemResponse got = await Db.GetItemAsync(new GetItemRequest
        {
            TableName = "items-projection",
            Key = Av.Key("p", "1"),
            ProjectionExpression = "a.b, #l[2], pk",
            ExpressionAttributeNames = new() { ["#l"] = "list" },
        }, Ct);
        Assert.Equal(["a", "list", "pk"], got.Item.Keys.Order());
        Assert.Equal(["b"], got.Item["a"].M.Keys);
        Assert.Equal(["2"], got.Item["list"].L.Select(v => v.S));
    }

    private async Task EnsureTableAsync(string name)
    {
        try
        {
            await dynamo.CreateTableAsync(name);
        }
        catch (ResourceInUseException)
        {
        }
    }
}
