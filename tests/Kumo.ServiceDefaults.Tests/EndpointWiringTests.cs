using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Amazon.SQS;
using Kumo.Embedded.Tests;
using Kumo.ServiceDefaults.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Kumo.ServiceDefaults.Tests;

/// <summary>Every client built by the one call targets the configured endpoint, whichever contract source set it.</summary>
public sealed class EndpointWiringTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Connection_string_routes_S3_and_SQS_requests_to_the_engine()
    {
        await using TestEngine engine = await TestEngine.StartAsync(o => o with { StrictKumoCompatibility = true }, persistent: false);
        using IHost host = WiredHost.Build(WiredHost.ConnectionString(engine.Endpoint));
        string bucket = Names.Unique("wire");
        string queue = Names.Unique("wire");

        await host.Services.GetRequiredService<IAmazonS3>().PutBucketAsync(bucket, Ct);
        await host.Services.GetRequiredService<IAmazonSQS>().CreateQueueAsync(queue, Ct);

        ListBucketsResponse buckets = await engine.S3.ListBucketsAsync(Ct);
        Assert.Contains(bucket, (buckets.Buckets ?? []).Select(b => b.BucketName));
        Assert.EndsWith("/" + queue, (await engine.Sqs.GetQueueUrlAsync(queue, Ct)).QueueUrl, StringComparison.Ordinal);
        KumoAwsSettings settings = host.Services.GetRequiredService<KumoAwsSettings>();
        Assert.Equal("ConnectionStrings:kumo", settings.S3ServiceUrlSource);
        Assert.Equal("ConnectionStrings:kumo", settings.SqsServiceUrlSource);
        Assert.Equal(engine.Endpoint, settings.S3ServiceUrl);
        Assert.Equal(0, engine.Engine.Compatibility.Total);
    }

    [Theory]
    [InlineData("ConnectionStrings:kumo", false)]
    [InlineData("ConnectionStrings:kumo", true)]
    [InlineData("AWS_ENDPOINT_URL", false)]
    [InlineData("AWS:ServiceURL", false)]
    [InlineData("KumoAwsOptions.ServiceUrl", false)]
    public async Task Each_contract_source_reaches_the_engine(string source, bool endpointKeyValueForm)
    {
        await using TestEngine engine = await TestEngine.StartAsync(persistent: false);
        var configuration = new Dictionary<string, string?>();
        Action<KumoAwsOptions>? configure = null;
        if (source == "KumoAwsOptions.ServiceUrl")
        {
            configure = o => o.ServiceUrl = engine.Endpoint;
        }
        else
        {
            configuration[source] = endpointKeyValueForm ? $"Endpoint={engine.Endpoint};Region=us-east-1" : engine.Endpoint.ToString();
        }

        using IHost host = WiredHost.Build(configuration, configure: configure);
        string bucket = Names.Unique("src");
        string queue = Names.Unique("src");

        await host.Services.GetRequiredService<IAmazonS3>().PutBucketAsync(bucket, Ct);
        await host.Services.GetRequiredService<IAmazonSQS>().CreateQueueAsync(queue, Ct);

        Assert.Contains(bucket, ((await engine.S3.ListBucketsAsync(Ct)).Buckets ?? []).Select(b => b.BucketName));
        Assert.EndsWith("/" + queue, (await engine.Sqs.GetQueueUrlAsync(queue, Ct)).QueueUrl, StringComparison.Ordinal);
        Assert.Equal(source, host.Services.GetRequiredService<KumoAwsSettings>().S3ServiceUrlSource);
    }

    [Fact]
    public async Task Service_specific_variables_send_each_service_to_its_own_engine()
    {
        await using TestEngine s3Engine = await TestEngine.StartAsync(persistent: false);
        await using TestEngine sqsEngine = await TestEngine.StartAsync(persistent: false);
        using IHost host = WiredHost.Build(new Dictionary<string, string?>
        {
            ["AWS_ENDPOINT_URL_S3"] = s3Engine.Endpoint.ToString(),
            ["AWS_ENDPOINT_URL_SQS"] = sqsEngine.Endpoint.ToString(),
            ["AWS_ENDPOINT_URL_DYNAMODB"] = sqsEngine.Endpoint.ToString(),
            ["AWS_ENDPOINT_URL"] = "http://127.0.0.1:9/", // lower precedence than the service-specific ones
        });
        string bucket = Names.Unique("split");
        string queue = Names.Unique("split");

        await host.Services.GetRequiredService<IAmazonS3>().PutBucketAsync(bucket, Ct);
        await host.Services.GetRequiredService<IAmazonSQS>().CreateQueueAsync(queue, Ct);

        Assert.Contains(bucket, ((await s3Engine.S3.ListBucketsAsync(Ct)).Buckets ?? []).Select(b => b.BucketName));
        Assert.DoesNotContain(bucket, ((await sqsEngine.S3.ListBucketsAsync(Ct)).Buckets ?? []).Select(b => b.BucketName));
        Assert.Contains(queue, ((await sqsEngine.Sqs.ListQueuesAsync(queue, Ct)).QueueUrls ?? []).Select(u => u[(u.LastIndexOf('/') + 1)..]));
        Assert.Empty((await s3Engine.Sqs.ListQueuesAsync(queue, Ct)).QueueUrls ?? []);
        KumoAwsSettings settings = host.Services.GetRequiredService<KumoAwsSettings>();
        Assert.Equal("AWS_ENDPOINT_URL_S3", settings.S3ServiceUrlSource);
        Assert.Equal("AWS_ENDPOINT_URL_SQS", settings.SqsServiceUrlSource);
    }

    [Fact]
    public async Task Connection_string_wins_over_the_AWS_variables_and_section()
    {
        await using TestEngine engine = await TestEngine.StartAsync(persistent: false);
        using IHost host = WiredHost.Build(new Dictionary<string, string?>
        {
            ["ConnectionStrings:kumo"] = engine.Endpoint.ToString(),
            ["AWS_ENDPOINT_URL_S3"] = "http://127.0.0.1:9/",
            ["AWS_ENDPOINT_URL"] = "http://127.0.0.1:9/",
            ["AWS:ServiceURL"] = "http://127.0.0.1:9/",
        });

        string bucket = Names.Unique("wins");
        await host.Services.GetRequiredService<IAmazonS3>().PutBucketAsync(bucket, Ct);

        Assert.Contains(bucket, ((await engine.S3.ListBucketsAsync(Ct)).Buckets ?? []).Select(b => b.BucketName));
    }

    [Fact]
    public async Task Named_connection_registers_keyed_clients_and_replaces_earlier_unkeyed_ones()
    {
        await using TestEngine engine = await TestEngine.StartAsync(persistent: false);
        HostApplicationBuilder builder = WiredHost.Builder(WiredHost.ConnectionString(engine.Endpoint, "orders-kumo"));
        using var earlier = new AmazonS3Client(new BasicAWSCredentials("real-looking", "key"), Amazon.RegionEndpoint.EUWest1);
        builder.Services.AddSingleton<IAmazonS3>(earlier);

        builder.AddKumoAwsClients("orders-kumo");
        using IHost host = builder.Build();

        IAmazonS3 keyed = host.Services.GetRequiredKeyedService<IAmazonS3>("orders-kumo");
        IAmazonS3 unkeyed = host.Services.GetRequiredService<IAmazonS3>();
        Assert.Same(keyed, unkeyed);
        Assert.NotSame(earlier, unkeyed);
        Assert.Single(host.Services.GetServices<IAmazonS3>());
        Assert.Equal(engine.Endpoint.ToString(), unkeyed.Config.ServiceURL);
        Assert.Equal("orders-kumo", host.Services.GetRequiredKeyedService<KumoAwsSettings>("orders-kumo").ConnectionName);
        await unkeyed.PutBucketAsync(Names.Unique("keyed"), Ct);
    }

    [Fact]
    public void Clients_are_path_style_with_checksums_only_when_required_and_region_us_east_1_by_default()
    {
        using IHost host = WiredHost.Build(new Dictionary<string, string?> { ["ConnectionStrings:kumo"] = "http://localhost:4566" });

        var s3 = (AmazonS3Config)host.Services.GetRequiredService<IAmazonS3>().Config;
        var sqs = (AmazonSQSConfig)host.Services.GetRequiredService<IAmazonSQS>().Config;

        Assert.True(s3.ForcePathStyle);
        Assert.Equal(RequestChecksumCalculation.WHEN_REQUIRED, s3.RequestChecksumCalculation);
        Assert.Equal(ResponseChecksumValidation.WHEN_REQUIRED, s3.ResponseChecksumValidation);
        Assert.Equal("us-east-1", s3.AuthenticationRegion);
        Assert.Equal("us-east-1", sqs.AuthenticationRegion);
        Assert.Equal("http://localhost:4566/", s3.ServiceURL);
        Assert.Equal("http://localhost:4566/", sqs.ServiceURL);
    }

    [Theory]
    [InlineData("AWS_REGION", "eu-west-3")]
    [InlineData("AWS_DEFAULT_REGION", "ap-south-1")]
    [InlineData("AWS:Region", "ca-central-1")]
    [InlineData("Kumo:Region", "us-west-2")]
    public void Region_comes_from_the_contract(string key, string region)
    {
        using IHost host = WiredHost.Build(new Dictionary<string, string?> { ["ConnectionStrings:kumo"] = "http://localhost:4566", [key] = region });

        Assert.Equal(region, host.Services.GetRequiredService<IAmazonS3>().Config.AuthenticationRegion);
        Assert.Equal(region, host.Services.GetRequiredService<IAmazonSQS>().Config.AuthenticationRegion);
        Assert.Equal(region, host.Services.GetRequiredService<KumoAwsSettings>().Region);
    }

    [Fact]
    public void A_user_hook_cannot_undo_the_kumo_settings()
    {
        using IHost host = WiredHost.Build(WiredHost.ConnectionString(new Uri("http://localhost:4566")), configure: o =>
        {
            o.ConfigureS3 = c =>
            {
                c.ForcePathStyle = false;
                c.RequestChecksumCalculation = RequestChecksumCalculation.WHEN_SUPPORTED;
                c.Timeout = TimeSpan.FromSeconds(7);
            };
            o.ConfigureSqs = c => c.ServiceURL = "https://sqs.us-east-1.amazonaws.com";
        });

        var s3 = (AmazonS3Config)host.Services.GetRequiredService<IAmazonS3>().Config;
        Assert.True(s3.ForcePathStyle);
        Assert.Equal(RequestChecksumCalculation.WHEN_REQUIRED, s3.RequestChecksumCalculation);
        Assert.Equal(TimeSpan.FromSeconds(7), s3.Timeout);
        Assert.Equal("http://localhost:4566/", host.Services.GetRequiredService<IAmazonSQS>().Config.ServiceURL);
    }
}
