using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Kumo.Embedded.Tests.Hostile;

namespace Kumo.Embedded.Tests.DynamoDb;

/// <summary>
/// Raw AWS JSON 1.0 requests the SDK would never send: each gets an AWS-shaped 4xx (<c>__type</c>,
/// <c>message</c>, <c>x-amz-crc32</c>), never a 5xx, and the engine keeps serving.
/// </summary>
public sealed class DynamoBadInputTests(DynamoEngine dynamo) : IClassFixture<DynamoEngine>
{
    private const string Table = "bad-input";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("GetItem", "{\"TableName\":", "SerializationException")]
    [InlineData("GetItem", "[1,2]", "SerializationException")]
    [InlineData("GetItem", "{\"TableName\":5}", "SerializationException")]
    [InlineData("GetItem", "{\"TableName\":\"bad-input\",\"Key\":{\"pk\":{\"S\":1},\"sk\":{\"S\":\"1\"}}}", "SerializationException")]
    [InlineData("GetItem", "{\"TableName\":\"bad-input\",\"Key\":{\"pk\":{},\"sk\":{\"S\":\"1\"}}}", "ValidationException")]
    [InlineData("GetItem", "{\"TableName\":\"bad-input\",\"Key\":{\"pk\":{\"S\":\"a\",\"N\":\"1\"},\"sk\":{\"S\":\"1\"}}}", "ValidationException")]
    [InlineData("GetItem", "{\"TableName\":\"no-such-table\",\"Key\":{\"pk\":{\"S\":\"a\"}}}", "ResourceNotFoundException")]
    [InlineData("PutItem", "{\"TableName\":\"bad-input\",\"Item\":{\"pk\":{\"S\":\"a\"},\"sk\":{\"S\":\"1\"},\"n\":{\"N\":\"abc\"}}}", "ValidationException")]
    [InlineData("PutItem", "{\"TableName\":\"bad-input\",\"Item\":{\"pk\":{\"S\":\"a\"},\"sk\":{\"S\":\"1\"},\"n\":{\"NS\":[]}}}", "ValidationException")]
    [InlineData("PutItem", "{\"TableName\":\"bad-input\",\"Item\":{\"pk\":{\"S\":\"a\"},\"sk\":{\"S\":\"1\"},\"n\":{\"SS\":[\"x\",\"x\"]}}}", "ValidationException")]
    [InlineData("PutItem", "{\"TableName\":\"bad-input\",\"Item\":{\"pk\":{\"S\":\"a\"},\"sk\":{\"S\":\"1\"},\"b\":{\"B\":\"not base64!\"}}}", "SerializationException")]
    [InlineData("PutItem", "{\"TableName\":\"bad-input\",\"Item\":{\"pk\":{\"S\":\"a\"},\"sk\":{\"S\":\"1\"},\"n\":{\"N\":\"1e999\"}}}", "ValidationException")]
    [InlineData("PutItem", "{\"TableName\":\"bad-input\",\"Item\":{\"pk\":{\"S\":\"a\"},\"sk\":{\"S\":\"1\"}},\"ConditionExpression\":\"a = = b\"}", "ValidationException")]
    [InlineData("PutItem", "{\"TableName\":\"bad-input\",\"Item\":{\"pk\":{\"S\":\"a\"},\"sk\":{\"S\":\"1\"}},\"ConditionExpression\":\"((((a\"}", "ValidationException")]
    [InlineData("PutItem", "{\"TableName\":\"bad-input\",\"Item\":{\"pk\":{\"S\":\"a\"},\"sk\":{\"S\":\"1\"}},\"ConditionExpression\":\"a = :v\",\"ExpressionAttributeValues\":{\"v\":{\"S\":\"x\"}}}", "ValidationException")]
    [InlineData("PutItem", "{\"TableName\":\"bad-input\",\"Item\":{\"pk\":{\"S\":\"a\"},\"sk\":{\"S\":\"1\"}},\"ConditionExpression\":\"a[99999999999] = :v\",\"ExpressionAttributeValues\":{\":v\":{\"S\":\"x\"}}}", "ValidationException")]
    [InlineData("Query", "{\"TableName\":\"bad-input\",\"KeyConditionExpression\":\"pk = :a OR pk = :b\",\"ExpressionAttributeValues\":{\":a\":{\"S\":\"x\"},\":b\":{\"S\":\"y\"}}}", "ValidationException")]
    [InlineData("Query", "{\"TableName\":\"bad-input\",\"KeyConditionExpression\":\"pk = :a AND sk BETWEEN :c AND :b\",\"ExpressionAttributeValues\":{\":a\":{\"S\":\"x\"},\":b\":{\"S\":\"a\"},\":c\":{\"S\":\"z\"}}}", "ValidationException")]
    [InlineData("Query", "{\"TableName\":\"bad-input\",\"KeyConditionExpression\":\"pk = :a\",\"ExpressionAttributeValues\":{\":a\":{\"S\":\"x\"}},\"Limit\":0}", "ValidationException")]
    [InlineData("Scan", "{\"TableName\":\"bad-input\",\"Segment\":1}", "ValidationException")]
    [InlineData("CreateTable", "{\"TableName\":\"bad-input\",\"KeySchema\":[{\"AttributeName\":\"pk\",\"KeyType\":\"HASH\"}],\"AttributeDefinitions\":[{\"AttributeName\":\"pk\",\"AttributeType\":\"S\"}],\"BillingMode\":\"PAY_PER_REQUEST\"}", "ResourceInUseException")]
    [InlineData("CreateTable", "{\"TableName\":\"x!y\",\"KeySchema\":[{\"AttributeName\":\"pk\",\"KeyType\":\"RANGE\"}]}", "ValidationException")]
    [InlineData("DropEverything", "{}", "UnknownOperationException")]
    [InlineData("GetItem", "{\"TableName\":\"bad-input\",\"Key\":{\"pk\":{\"S\":\"a\"},\"sk\":{\"S\":\"1\"}},\"ExpressionAttributeValues\":{}}", "ValidationException")]
    [InlineData("TransactWriteItems", "{\"TransactItems\":[]}", "ValidationException")]
    [InlineData("BatchGetItem", "{\"RequestItems\":{\"bad-input\":{\"Keys\":[{\"pk\":{\"S\":\"a\"},\"sk\":{\"S\":\"1\"}},{\"pk\":{\"S\":\"a\"},\"sk\":{\"S\":\"1\"}}]}}}", "ValidationException")]
    public async Task Bad_requests_get_the_aws_error(string operation, string body, string expectedCode)
    {
        await EnsureTableAsync();
        (HttpStatusCode status, string code, string message) = await SendAsync(operation, Encoding.UTF8.GetBytes(body));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(expectedCode, code);
        Assert.False(string.IsNullOrWhiteSpace(message));
    }

    [Fact]
    public async Task An_item_over_400_KB_and_nesting_over_32_levels_are_refused_and_the_engine_keeps_serving()
    {
        await EnsureTableAsync();
        string big = $"{{\"TableName\":\"{Table}\",\"Item\":{{\"pk\":{{\"S\":\"big\"}},\"sk\":{{\"S\":\"1\"}},\"data\":{{\"S\":\"{new string('x', 401 * 1024)}\"}}}}}}";
        (HttpStatusCode status, string code, string message) = await SendAsync("PutItem", Encoding.UTF8.GetBytes(big));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("ValidationException", code);
        Assert.Equal("Item size has exceeded the maximum allowed size", message);

        string nested = "{\"S\":\"leaf\"}";
        for (int i = 0; i < 40; i++)
        {
            nested = $"{{\"M\":{{\"a\":{nested}}}}}";
        }

        (status, code, message) = await SendAsync("PutItem", Encoding.UTF8.GetBytes($"{{\"TableName\":\"{Table}\",\"Item\":{{\"pk\":{{\"S\":\"deep\"}},\"sk\":{{\"S\":\"1\"}},\"m\":{nested}}}}}"));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("ValidationException", code);
        Assert.Equal("Nesting Levels have exceeded supported limits", message);

        (status, _, _) = await SendAsync("ListTables", "{}"u8.ToArray());
        Assert.Equal(HttpStatusCode.OK, status);
    }

    [Fact]
    public async Task Hostile_dynamodb_requests_never_get_a_5xx()
    {
        await EnsureTableAsync();
        List<HostileRequest> requests = [.. HostileRequests()];
        List<string> failures = await HostileSweep.SendAsync(dynamo.Engine.Endpoint, requests);

        Assert.True(requests.Count > 200, $"only {requests.Count} requests generated");
        Assert.Empty(failures);
    }

    [Fact]
    public async Task Hostile_requests_with_a_data_dir_write_nothing_outside_it_and_the_tables_reload()
    {
        string parent = TestEngine.NewDataDir();
        string dataDir = Path.Combine(parent, "data");
        string[] pathLikeNames = ["../../outside", "..", "/etc/passwd", "a/../../b", "..\\..\\c", "%2e%2e%2fd"];
        List<string> failures;
        List<string> tablesBefore;
        await using (TestEngine engine = await TestEngine.StartAsync(o => o with { DataDir = dataDir }))
        {
            using var client = new Amazon.DynamoDBv2.AmazonDynamoDBClient(TestEngine.Credentials, DynamoEngine.Config(engine.Endpoint));
            await DynamoEngine.CreateTableAsync(client, Table);
            List<HostileRequest> traversal = [.. pathLikeNames.Select(name => HostileRequest.WithBody(
                $"CreateTable {name}", "POST", "/",
                $"{{\"TableName\":{JsonSerializer.Serialize(name)},\"KeySchema\":[{{\"AttributeName\":\"pk\",\"KeyType\":\"HASH\"}}],\"AttributeDefinitions\":[{{\"AttributeName\":\"pk\",\"AttributeType\":\"S\"}}],\"BillingMode\":\"PAY_PER_REQUEST\"}}",
                "X-Amz-Target: DynamoDB_20120810.CreateTable", "Content-Type: application/x-amz-json-1.0"))];
            failures = await HostileSweep.SendAsync(engine.Endpoint, traversal.Concat(HostileRequests()), traversal.Contains);

            // The sweep's own DeleteTable/CreateTable requests may legitimately change the tables; record what is there.
            await DynamoEngine.CreateTableAsync(client, "after-sweep", rangeKey: null);
            await client.PutItemAsync("after-sweep", new() { ["pk"] = new("kept"), ["n"] = new() { N = "12345678901234567890123456789012345678" } }, Ct);
            tablesBefore = (await client.ListTablesAsync(new Amazon.DynamoDBv2.Model.ListTablesRequest(), Ct)).TableNames;
        }

        Assert.Empty(failures);
        Assert.Contains("after-sweep", tablesBefore);
        Assert.DoesNotContain(tablesBefore, t => pathLikeNames.Contains(t));
        Assert.Equal(["data"], Directory.GetFileSystemEntries(parent).Select(Path.GetFileName));
        string[] files = [.. Directory.GetFiles(dataDir, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(dataDir, f).Replace('\\', '/'))];
        Assert.NotEmpty(files);
        Assert.All(files, f => Assert.DoesNotContain("..", f, StringComparison.Ordinal));
        Assert.All(files, f => Assert.DoesNotContain("outside", f, StringComparison.Ordinal));

        // The state the sweep left reloads as it was.
        await using (TestEngine restarted = await TestEngine.StartAsync(o => o with { DataDir = dataDir }))
        {
            using var client = new Amazon.DynamoDBv2.AmazonDynamoDBClient(TestEngine.Credentials, DynamoEngine.Config(restarted.Endpoint));
            List<string> tables = (await client.ListTablesAsync(new Amazon.DynamoDBv2.Model.ListTablesRequest(), Ct)).TableNames;
            Assert.Equal(tablesBefore, tables);
            var kept = await client.GetItemAsync("after-sweep", new() { ["pk"] = new("kept") }, Ct);
            Assert.Equal("12345678901234567890123456789012345678", kept.Item["n"].N);
        }

        Directory.Delete(parent, recursive: true);
    }

    private static IEnumerable<HostileRequest> HostileRequests()
    {
        HostileRequest Json(string description, string operation, string json) =>
            HostileRequest.WithBody(description, "POST", "/", json, $"X-Amz-Target: DynamoDB_20120810.{operation}", "Content-Type: application/x-amz-json-1.0");
        string[] operations = ["CreateTable", "DescribeTable", "UpdateTable", "DeleteTable", "ListTables", "PutItem", "GetItem", "UpdateItem", "DeleteItem", "Query", "Scan", "BatchGetItem", "BatchWriteItem", "TransactGetItems", "TransactWriteItems", "UpdateTimeToLive", "DescribeTimeToLive", "TagResource", "UntagResource", "ListTagsOfResource"];
        string[] bodies =
        [
            "", "{}", "null", "[]", "\"x\"", "{\"TableName\":null}", "{\"TableName\":[]}", "{\"TableName\":{}}",
            $"{{\"TableName\":\"{Table}\",\"Key\":[],\"Item\":[]}}",
            $"{{\"TableName\":\"{Table}\",\"Key\":{{\"pk\":{{\"L\":[{{\"M\":{{}}}}]}}}},\"Item\":{{\"pk\":{{\"NULL\":false}}}}}}",
            $"{{\"TableName\":\"{Table}\",\"KeySchema\":[{{}}],\"AttributeDefinitions\":[null],\"ProvisionedThroughput\":{{\"ReadCapacityUnits\":-1}}}}",
            $"{{\"TableName\":\"{Table}\",\"Limit\":99999999999,\"Segment\":-1,\"TotalSegments\":0,\"ExclusiveStartKey\":{{\"pk\":{{\"N\":\"1\"}}}}}}",
            $"{{\"TableName\":\"{Table}\",\"ExpressionAttributeNames\":{{\"#a\":5}},\"ExpressionAttributeValues\":{{\":v\":5}}}}",
            "{\"RequestItems\":{\"bad-input\":5},\"TransactItems\":[{},5,{\"Put\":5}]}",
            "{\"RequestItems\":{\"bad-input\":[{\"PutRequest\":{}},{\"DeleteRequest\":{\"Key\":5}}]}}",
            "{\"ResourceArn\":\"arn:aws:dynamodb:us-east-1:000000000000:table/\",\"Tags\":[{}],\"TagKeys\":[5]}",
            $"{{\"TableName\":\"{Table}\",\"TimeToLiveSpecification\":{{\"AttributeName\":\"\",\"Enabled\":\"yes\"}}}}",
            $"{{\"TableName\":\"{Table}\",\"GlobalSecondaryIndexUpdates\":[{{}},{{\"Create\":{{}}}},{{\"Delete\":{{\"IndexName\":\"nope\"}}}}]}}",
            $"{{\"TableName\":\"{Table}\",\"Key\":{{\"pk\":{{\"S\":\"a\"}},\"sk\":{{\"S\":\"1\"}}}},\"UpdateExpression\":\"SET a[0].b[1] = :v\",\"ExpressionAttributeValues\":{{\":v\":{{\"N\":\"1\"}}}}}}",
            $"{{\"TableName\":\"{Table}\",\"Key\":{{\"pk\":{{\"S\":\"a\"}},\"sk\":{{\"S\":\"1\"}}}},\"UpdateExpression\":\"ADD n :v DELETE s :v REMOVE x[3]\",\"ExpressionAttributeValues\":{{\":v\":{{\"NS\":[\"1\"]}}}}}}",
            $"{{\"TableName\":\"{Table}\",\"Key\":{{\"pk\":{{\"S\":\"a\"}},\"sk\":{{\"S\":\"1\"}}}},\"AttributeUpdates\":{{\"x\":{{\"Action\":\"ADD\",\"Value\":{{\"S\":\"x\"}}}}}},\"Expected\":{{\"x\":{{\"ComparisonOperator\":\"BETWEEN\",\"AttributeValueList\":[]}}}}}}",
            $"{{\"TableName\":\"{Table}\",\"KeyConditions\":{{\"pk\":{{\"ComparisonOperator\":\"IN\"}}}},\"QueryFilter\":{{\"x\":5}}}}",
        ];
        string[] expressions = ["", " ", "(", ")", "a =", "= a", "a = :v AND", "NOT", "size()", "size(a) > size(b)", "a IN ()", "a BETWEEN :v", "#", ":", "a.b.c[", "a[-1]", "attribute_type(a, :v)", "contains(:v, a)", "begins_with(a)", "SET", "REMOVE", "ADD a", "DELETE a :v", "SET a = if_not_exists(a)", "SET a = list_append(:v)", "a = :v OR OR b = :v", new string('(', 500) + "a = :v" + new string(')', 500), "a = \u0000", "\u00e9 = :v",
            new string('(', 2000) + "a = :v" + new string(')', 2000), string.Concat(Enumerable.Repeat("NOT ", 1000)) + "a = :v",
            "SET a = " + string.Concat(Enumerable.Repeat("if_not_exists(a, ", 300)) + ":v" + new string(')', 300),
            string.Join(" AND ", Enumerable.Repeat("a = :v", 500)), string.Join(".", Enumerable.Repeat("a", 2000)) + " = :v"];
        foreach (string operation in operations)
        {
            foreach (string body in bodies)
            {
                yield return Json($"{operation} {body}", operation, body);
            }
        }

        foreach (string expression in expressions)
        {
            string e = JsonSerializer.Serialize(expression);
            foreach (string member in new[] { "ConditionExpression", "UpdateExpression", "KeyConditionExpression", "FilterExpression", "ProjectionExpression" })
            {
                string operation = member switch
                {
                    "UpdateExpression" => "UpdateItem",
                    "KeyConditionExpression" => "Query",
                    "FilterExpression" => "Scan",
                    "ProjectionExpression" => "GetItem",
                    _ => "PutItem",
                };
                yield return Json($"{member} {expression}", operation, $"{{\"TableName\":\"{Table}\",\"Key\":{{\"pk\":{{\"S\":\"a\"}},\"sk\":{{\"S\":\"1\"}}}},\"Item\":{{\"pk\":{{\"S\":\"a\"}},\"sk\":{{\"S\":\"1\"}}}},\"{member}\":{e},\"ExpressionAttributeValues\":{{\":v\":{{\"S\":\"x\"}}}}}}");
            }
        }

        foreach (string number in new[] { "1e126", "-1e126", "1e-131", "0.", ".5", "+1", "1e", "--1", "NaN", "Infinity", "1_000", " 1", new string('9', 39), "1" + new string('0', 200) })
        {
            yield return Json($"number {number}", "PutItem", $"{{\"TableName\":\"{Table}\",\"Item\":{{\"pk\":{{\"S\":\"n\"}},\"sk\":{{\"S\":\"1\"}},\"n\":{{\"N\":\"{number}\"}}}}}}");
        }

        yield return HostileRequest.WithBody("no target", "POST", "/", "{}", "X-Amz-Target: DynamoDB_20120810.", "Content-Type: application/x-amz-json-1.0");
        yield return HostileRequest.WithBytes("invalid UTF-8", "POST", "/", [.. "{\"TableName\":\"a"u8, 0xFF, .. "\"}"u8], "X-Amz-Target: DynamoDB_20120810.DescribeTable", "Content-Type: application/x-amz-json-1.0");
        yield return Json("lone surrogate", "DescribeTable", "{\"TableName\":\"a\\ud800\"}");
    }

    private async Task<(HttpStatusCode Status, string Code, string Message)> SendAsync(string operation, byte[] body)
    {
        using var http = new HttpClient { BaseAddress = dynamo.Engine.Endpoint, Timeout = TimeSpan.FromSeconds(30) };
        using var request = new HttpRequestMessage(HttpMethod.Post, "/") { Content = new ByteArrayContent(body) };
        request.Content.Headers.TryAddWithoutValidation("Content-Type", "application/x-amz-json-1.0");
        request.Headers.TryAddWithoutValidation("X-Amz-Target", "DynamoDB_20120810." + operation);
        using HttpResponseMessage response = await http.SendAsync(request, Ct);
        byte[] bytes = await response.Content.ReadAsByteArrayAsync(Ct);
        Assert.Equal("application/x-amz-json-1.0", response.Content.Headers.ContentType?.MediaType);
        uint crc = uint.Parse(response.Headers.GetValues("x-amz-crc32").Single(), CultureInfo.InvariantCulture);
        Assert.Equal(Kumo.Embedded.Persistence.JournalFrame.Crc32(bytes), crc);
        using JsonDocument json = JsonDocument.Parse(bytes);
        if (response.StatusCode == HttpStatusCode.OK)
        {
            return (response.StatusCode, string.Empty, string.Empty);
        }

        string type = json.RootElement.GetProperty("__type").GetString()!;
        return (response.StatusCode, type[(type.IndexOf('#', StringComparison.Ordinal) + 1)..], json.RootElement.GetProperty("message").GetString()!);
    }

    private async Task EnsureTableAsync()
    {
        try
        {
            await dynamo.CreateTableAsync(Table);
        }
        catch (Amazon.DynamoDBv2.Model.ResourceInUseException)
        {
        }
    }
}
