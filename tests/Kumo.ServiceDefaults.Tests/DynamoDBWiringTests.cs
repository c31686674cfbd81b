using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.DataModel;
using Amazon.DynamoDBv2.Model;
using Amazon.Runtime;
using Amazon.S3;
using Kumo.Embedded.Tests;
using Kumo.ServiceDefaults.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Kumo.ServiceDefaults.Tests;

/// <summary>
/// <c>AddKumoAwsClients</c> wires DynamoDB like S3 and SQS: its own endpoint variable, the same fail-closed rules, and
/// an <see cref="IDynamoDBContext"/> over the registered client.
/// </summary>
public sealed class DynamoDBWiringTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AWS_ENDPOINT_URL_DYNAMODB_sends_DynamoDB_to_its_own_engine_and_the_context_reads_what_the_client_wrote()
    {
        await using TestEngine dynamoEngine = await TestEngine.StartAsync(o => o with { StrictKumoCompatibility = true }, persistent: false);
        await using TestEngine otherEngine = await TestEngine.StartAsync(persistent: false);
        using IHost host = WiredHost.Build(new Dictionary<string, string?>
        {
            ["AWS_ENDPOINT_URL"] = otherEngine.Endpoint.ToString(),
            ["AWS_ENDPOINT_URL_DYNAMODB"] = dynamoEngine.Endpoint.ToString(),
        });
        IAmazonDynamoDB dynamo = host.Services.GetRequiredService<IAmazonDynamoDB>();
        string table = Names.Unique("orders");

        await dynamo.CreateTableAsync(
            new CreateTableRequest
            {
                TableName = table,
                KeySchema = [new KeySchemaElement("Id", KeyType.HASH)],
                AttributeDefinitions = [new AttributeDefinition("Id", ScalarAttributeType.S)],
                BillingMode = BillingMode.PAY_PER_REQUEST,
            },
            Ct);
        await dynamo.PutItemAsync(table, new Dictionary<string, AttributeValue> { ["Id"] = new("o-1"), ["Status"] = new("Paid") }, Ct);
        IDynamoDBContext context = host.Services.GetRequiredService<IDynamoDBContext>();
        var config = new LoadConfig { OverrideTableName = table, ConsistentRead = true };
        WiredOrder? loaded = await context.LoadAsync<WiredOrder>("o-1", config, Ct);
        await context.SaveAsync(new WiredOrder { Id = "o-2", Status = "Shipped" }, new SaveConfig { OverrideTableName = table }, Ct);

        Assert.Equal("Paid", loaded?.Status);
        GetItemResponse saved = await dynamo.GetItemAsync(table, new Dictionary<string, AttributeValue> { ["Id"] = new("o-2") }, consistentRead: true, Ct);
        Assert.Equal("Shipped", saved.Item["Status"].S);
        Assert.Contains(table, (await TablesOf(dynamoEngine)).TableNames);
        Assert.DoesNotContain(table, (await TablesOf(otherEngine)).TableNames);
        KumoAwsSettings settings = host.Services.GetRequiredService<KumoAwsSettings>();
        Assert.Equal("AWS_ENDPOINT_URL_DYNAMODB", settings.DynamoDBServiceUrlSource);
        Assert.Equal(dynamoEngine.Endpoint, settings.DynamoDBServiceUrl);
        Assert.Equal("AWS_ENDPOINT_URL", settings.S3ServiceUrlSource);
        Assert.Equal(0, dynamoEngine.Engine.Compatibility.Total);
    }

    [Fact]
    public void A_named_connection_registers_keyed_DynamoDB_clients_and_replaces_earlier_unkeyed_ones()
    {
        HostApplicationBuilder builder = WiredHost.Builder(WiredHost.ConnectionString(new Uri("http://localhost:4566"), "orders-kumo"));
        using var earlier = new AmazonDynamoDBClient(new BasicAWSCredentials("real-looking", "key"), Amazon.RegionEndpoint.EUWest1);
        builder.Services.AddSingleton<IAmazonDynamoDB>(earlier);

        builder.AddKumoAwsClients("orders-kumo");
        using IHost host = builder.Build();

        IAmazonDynamoDB unkeyed = host.Services.GetRequiredService<IAmazonDynamoDB>();
        Assert.Same(host.Services.GetRequiredKeyedService<IAmazonDynamoDB>("orders-kumo"), unkeyed);
        Assert.Same(host.Services.GetRequiredKeyedService<IDynamoDBContext>("orders-kumo"), host.Services.GetRequiredService<IDynamoDBContext>());
        Assert.Single(host.Services.GetServices<IAmazonDynamoDB>());
        Assert.Equal("http://localhost:4566/", unkeyed.Config.ServiceURL);
        Assert.Equal("us-east-1", unkeyed.Config.AuthenticationRegion);
    }

    [Fact]
    public void A_user_hook_cannot_move_DynamoDB_off_kumo()
    {
        using IHost host = WiredHost.Build(WiredHost.ConnectionString(new Uri("http://localhost:4566")), configure: o => o.ConfigureDynamoDB = c =>
        {
            c.ServiceURL = "https://dynamodb.us-east-1.amazonaws.com";
            c.Timeout = TimeSpan.FromSeconds(9);
        });

        IClientConfig config = host.Services.GetRequiredService<IAmazonDynamoDB>().Config;

        Assert.Equal("http://localhost:4566/", config.ServiceURL);
        Assert.Equal(TimeSpan.FromSeconds(9), config.Timeout);
    }

    [Fact]
    public void A_real_DynamoDB_endpoint_is_refused_even_with_the_opt_in()
    {
        HostApplicationBuilder builder = WiredHost.Builder(new Dictionary<string, string?>
        {
            ["AWS_ENDPOINT_URL"] = "http://localhost:4566",
            ["AWS_ENDPOINT_URL_DYNAMODB"] = "https://dynamodb.us-east-1.amazonaws.com",
            ["Kumo:AllowNonLoopbackEndpoint"] = "true",
        });

        KumoWiringException error = Assert.Throws<KumoWiringException>(() => builder.AddKumoAwsClients());

        Assert.Contains("real AWS endpoint", error.Message, StringComparison.Ordinal);
        Assert.Contains("AWS_ENDPOINT_URL_DYNAMODB", error.Settings);
    }

    [Fact]
    public void Only_the_S3_and_SQS_variables_is_a_startup_error_naming_the_DynamoDB_one()
    {
        HostApplicationBuilder builder = WiredHost.Builder(new Dictionary<string, string?>
        {
            ["AWS_ENDPOINT_URL_S3"] = "http://localhost:4566",
            ["AWS_ENDPOINT_URL_SQS"] = "http://localhost:4566",
        });

        KumoWiringException error = Assert.Throws<KumoWiringException>(() => builder.AddKumoAwsClients());

        Assert.Contains("no endpoint for DynamoDB,", error.Message, StringComparison.Ordinal);
        Assert.Contains("AWS_ENDPOINT_URL_DYNAMODB", error.Settings);
        Assert.DoesNotContain("AWS_ENDPOINT_URL_S3", error.Settings);
        Assert.DoesNotContain(builder.Services, d => d.ServiceType == typeof(IAmazonDynamoDB) || d.ServiceType == typeof(IAmazonS3));
    }

    private static async Task<ListTablesResponse> TablesOf(TestEngine engine)
    {
        using var client = new AmazonDynamoDBClient(TestEngine.Credentials, new AmazonDynamoDBConfig { ServiceURL = engine.Endpoint.ToString(), AuthenticationRegion = "us-east-1" });
        return await client.ListTablesAsync(new ListTablesRequest(), Ct);
    }

    /// <summary>An order as the object persistence model maps it (the table name is given per call).</summary>
    public sealed class WiredOrder
    {
        /// <summary>The hash key.</summary>
        [DynamoDBHashKey]
        public string Id { get; set; } = "";

        /// <summary>The order's status.</summary>
        public string Status { get; set; } = "";
    }
}
