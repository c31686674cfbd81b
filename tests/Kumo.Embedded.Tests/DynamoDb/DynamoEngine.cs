using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;

namespace Kumo.Embedded.Tests.DynamoDb;

/// <summary>One in-process engine per test class with a real AmazonDynamoDBClient pointed at it; tests use their own table names.</summary>
public sealed class DynamoEngine : IAsyncLifetime
{
    private TestEngine? _engine;

    internal TestEngine Engine => _engine ?? throw new InvalidOperationException("The engine is not started.");

    public AmazonDynamoDBClient Client { get; private set; } = null!;

    public static AmazonDynamoDBConfig Config(Uri endpoint) => new()
    {
        ServiceURL = endpoint.ToString(),
        AuthenticationRegion = "us-east-1",
        MaxErrorRetry = 0,
    };

    public async ValueTask InitializeAsync()
    {
        _engine = await TestEngine.StartAsync(persistent: false);
        Client = new AmazonDynamoDBClient(TestEngine.Credentials, Config(_engine.Endpoint));
    }

    public async ValueTask DisposeAsync()
    {
        Client?.Dispose();
        if (_engine is not null)
        {
            await _engine.DisposeAsync();
        }
    }

    /// <summary>Creates an on-demand table with a string partition key and an optional string sort key.</summary>
    public Task CreateTableAsync(string name, string hashKey = "pk", string? rangeKey = "sk", string rangeType = "S") =>
        CreateTableAsync(Client, name, hashKey, rangeKey, rangeType);

    /// <summary>Creates an on-demand table through <paramref name="client"/> (an engine other than the fixture's).</summary>
    public static async Task CreateTableAsync(IAmazonDynamoDB client, string name, string hashKey = "pk", string? rangeKey = "sk", string rangeType = "S")
    {
        var request = new CreateTableRequest
        {
            TableName = name,
            BillingMode = BillingMode.PAY_PER_REQUEST,
            KeySchema = [new KeySchemaElement(hashKey, KeyType.HASH)],
            AttributeDefinitions = [new AttributeDefinition(hashKey, ScalarAttributeType.S)],
        };
        if (rangeKey is not null)
        {
            request.KeySchema.Add(new KeySchemaElement(rangeKey, KeyType.RANGE));
            request.AttributeDefinitions.Add(new AttributeDefinition(rangeKey, new ScalarAttributeType(rangeType)));
        }

        await client.CreateTableAsync(request, TestContext.Current.CancellationToken);
    }
}

/// <summary>Short builders for attribute values.</summary>
internal static class Av
{
    public static AttributeValue S(string value) => new() { S = value };

    public static AttributeValue N(string value) => new() { N = value };

    public static AttributeValue N(long value) => new() { N = value.ToString(System.Globalization.CultureInfo.InvariantCulture) };

    public static Dictionary<string, AttributeValue> Key(string pk, string? sk = null)
    {
        var key = new Dictionary<string, AttributeValue> { ["pk"] = S(pk) };
        if (sk is not null)
        {
            key["sk"] = S(sk);
        }

        return key;
    }
}
