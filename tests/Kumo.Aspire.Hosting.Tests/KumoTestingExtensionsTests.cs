using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Amazon.SQS;
using Aspire.Hosting;
using Kumo.Aspire.Hosting.Testing;
using Kumo.Aspire.Hosting.Tests.Utils;
using Kumo.Testing;

namespace Kumo.Aspire.Hosting.Tests;

/// <summary>The testing helpers against a real engine over loopback HTTP (the endpoint allocation stands in for DCP).</summary>
public class KumoTestingExtensionsTests
{
    [Fact]
    public async Task CreateKumoS3ClientTalksToTheResourceEndpointWithKumoSafeSettings()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var engine = await InProcessKumo.StartAsync();
        var builder = DistributedApplication.CreateBuilder();
        builder.AddKumo("kumo").AllocateHttp(engine.Port);
        using var app = builder.Build();

        using var s3 = app.CreateKumoS3Client("kumo");

        var config = Assert.IsType<AmazonS3Config>(s3.Config);
        Assert.Equal($"http://localhost:{engine.Port}/", config.ServiceURL);
        Assert.True(config.ForcePathStyle);
        Assert.Equal("us-east-1", config.AuthenticationRegion);
        Assert.Equal(RequestChecksumCalculation.WHEN_REQUIRED, config.RequestChecksumCalculation);
        Assert.Equal(ResponseChecksumValidation.WHEN_REQUIRED, config.ResponseChecksumValidation);

        await s3.PutBucketAsync(new PutBucketRequest { BucketName = "orders" }, ct);
        var buckets = await s3.ListBucketsAsync(new ListBucketsRequest(), ct);

        Assert.Contains(buckets.Buckets, b => b.BucketName == "orders");
        Assert.Equal(0, engine.Engine.Compatibility.Total);
    }

    [Fact]
    public async Task CreateKumoSqsClientSendsAndReceivesThroughTheResourceEndpoint()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var engine = await InProcessKumo.StartAsync();
        var builder = DistributedApplication.CreateBuilder();
        builder.AddKumoEmbedded("queues", enginePath: typeof(global::Kumo.Embedded.KumoEngine).Assembly.Location).AllocateHttp(engine.Port);
        using var app = builder.Build();

        using var sqs = app.CreateKumoSqsClient("queues");

        Assert.Equal($"http://localhost:{engine.Port}/", sqs.Config.ServiceURL);
        var queueUrl = (await sqs.CreateQueueAsync("order-events", ct)).QueueUrl;
        await sqs.SendMessageAsync(queueUrl, "order 42 placed", ct);
        var received = await sqs.ReceiveMessageAsync(new Amazon.SQS.Model.ReceiveMessageRequest { QueueUrl = queueUrl, WaitTimeSeconds = 1 }, ct);

        Assert.Equal("order 42 placed", Assert.Single(received.Messages).Body);
    }

    [Fact]
    public async Task CreateKumoDynamoDBClientWritesConditionallyThroughTheResourceEndpoint()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var engine = await InProcessKumo.StartAsync(o => o with { StrictKumoCompatibility = true });
        var builder = DistributedApplication.CreateBuilder();
        builder.AddKumo("tables").AllocateHttp(engine.Port);
        using var app = builder.Build();

        using var dynamo = app.CreateKumoDynamoDBClient("tables");

        Assert.Equal($"http://localhost:{engine.Port}/", dynamo.Config.ServiceURL);
        Assert.Equal("us-east-1", dynamo.Config.AuthenticationRegion);
        await dynamo.CreateTableAsync(
            new CreateTableRequest
            {
                TableName = "order-status",
                KeySchema = [new KeySchemaElement("OrderId", KeyType.HASH)],
                AttributeDefinitions = [new AttributeDefinition("OrderId", ScalarAttributeType.S)],
                BillingMode = BillingMode.PAY_PER_REQUEST,
            },
            ct);
        var first = new PutItemRequest
        {
            TableName = "order-status",
            Item = new() { ["OrderId"] = new AttributeValue("42") },
            ConditionExpression = "attribute_not_exists(OrderId)",
        };
        await dynamo.PutItemAsync(first, ct);

        await Assert.ThrowsAsync<ConditionalCheckFailedException>(() => dynamo.PutItemAsync(first, ct));
        Assert.Equal(0, engine.Engine.Compatibility.Total);
    }

    [Fact]
    public async Task CreateKumoS3ClientUploadsPlainBodiesSoAStrictEngineAcceptsThem()
    {
        var ct = TestContext.Current.CancellationToken;
        // Strict mode rejects what real kumo would mishandle (aws-chunked bodies, checksum trailers) with a 400.
        await using var engine = await InProcessKumo.StartAsync(o => o with { StrictKumoCompatibility = true });
        var builder = DistributedApplication.CreateBuilder();
        builder.AddKumo("kumo").AllocateHttp(engine.Port);
        using var app = builder.Build();
        using var s3 = app.CreateKumoS3Client("kumo");
        await s3.PutBucketAsync(new PutBucketRequest { BucketName = "uploads" }, ct);

        // No UseChunkEncoding = false here: the client's pipeline sets it.
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = "uploads", Key = "a.txt", ContentBody = "plain body" }, ct);
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = "uploads", Key = "b.bin", InputStream = new MemoryStream(new byte[70_000]) }, ct);

        using var read = await s3.GetObjectAsync("uploads", "a.txt", ct);
        Assert.Equal("plain body", await new StreamReader(read.ResponseStream).ReadToEndAsync(ct));
        Assert.Equal(70_000, (await s3.GetObjectMetadataAsync("uploads", "b.bin", ct)).ContentLength);
        Assert.Equal(0, engine.Engine.Compatibility.Total);

        // The control: a plain SDK client sends aws-chunked, which the strict engine refuses. Without it this test could not fail.
        using var plain = new AmazonS3Client(new BasicAWSCredentials("test", "test"), new AmazonS3Config
        {
            ServiceURL = $"http://localhost:{engine.Port}/",
            ForcePathStyle = true,
            AuthenticationRegion = "us-east-1",
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
        });
        await Assert.ThrowsAsync<AmazonS3Exception>(() => plain.PutObjectAsync(new PutObjectRequest { BucketName = "uploads", Key = "c.txt", ContentBody = "chunked" }, ct));
        Assert.True(engine.Engine.Compatibility.Total > 0);
    }

    [Fact]
    public async Task ParallelAppsWithTheirOwnWorkerSeedSeparateNamesIntoOneEngine()
    {
        var ct = TestContext.Current.CancellationToken;
        using var directory = new TestDirectory();
        var manifest = SeedFixtures.WriteOrders(directory);
        await using var engine = await InProcessKumo.StartAsync();

        async Task<(DistributedApplication App, KumoRunContext Context)> StartAppAsync(string worker)
        {
            var builder = DistributedApplication.CreateBuilder();
            var kumo = builder.AddKumo("kumo").WithSeed(manifest).AllocateHttp(engine.Port);
            builder.WithKumoRunContext(new KumoRunContext("parallel", worker));
            var app = builder.Build();
            await SimulatedDcp.StartAsync(builder, app, kumo.Resource);
            return (app, app.GetKumoRunContext("kumo"));
        }

        var started = await Task.WhenAll(StartAppAsync("checkout"), StartAppAsync("billing"));
        try
        {
            await Task.WhenAll(started.Select(s => s.App.WaitForKumoSeededAsync("kumo", ct)));

            using var s3 = started[0].App.CreateKumoS3Client("kumo");
            var buckets = (await s3.ListBucketsAsync(ct)).Buckets.Select(b => b.BucketName).Order(StringComparer.Ordinal);
            Assert.Equal(["orders-parallel-billing", "orders-parallel-checkout"], buckets);
            Assert.Equal(["checkout", "billing"], started.Select(s => s.Context.WorkerId));
            // Resources a test creates itself get the same namespace through the core's ResourceNames.
            Assert.Equal("uploads-parallel-checkout", ResourceNames.Namespaced("uploads", started[0].Context));
        }
        finally
        {
            foreach (var (app, _) in started)
            {
                app.Dispose();
            }
        }
    }

    [Fact]
    public async Task WriteKumoFailureArtifactsSavesTheLogStateDumpAndSeedManifest()
    {
        var ct = TestContext.Current.CancellationToken;
        using var directory = new TestDirectory();
        var manifest = SeedFixtures.WriteOrders(directory);
        await using var engine = await InProcessKumo.StartAsync();
        var builder = DistributedApplication.CreateBuilder();
        var kumo = builder.AddKumo("kumo").WithSeed(manifest).WithRunContext(new KumoRunContext("art", "w2")).AllocateHttp(engine.Port);
        using var app = builder.Build();
        await SimulatedDcp.StartAsync(builder, app, kumo.Resource);

        var saved = await app.WriteKumoFailureArtifactsAsync("kumo", "Orders tests/rejects duplicates", new InvalidOperationException("expected 1 order, found 2"), directory.Combine("results"), ct);

        Assert.Equal(directory.Combine("results", "kumo", "art", "w2", "Orders_tests_rejects_duplicates"), saved.Directory);
        Assert.Empty(saved.Problems);
        Assert.Equal(await File.ReadAllTextAsync(manifest, ct), await File.ReadAllTextAsync(Path.Combine(saved.Directory, "seed-manifest.json"), ct));
        var log = await File.ReadAllTextAsync(Path.Combine(saved.Directory, "engine.log"), ct);
        Assert.Contains("kumo: seeding seed manifest", log, StringComparison.Ordinal);
        var dump = KumoStateDump.FromJson(await File.ReadAllTextAsync(Path.Combine(saved.Directory, "state.json"), ct));
        Assert.Equal(["orders-art-w2"], dump.Buckets.Select(b => b.Name));
        Assert.Contains("expected 1 order, found 2", await File.ReadAllTextAsync(Path.Combine(saved.Directory, "failure.txt"), ct), StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(saved.Directory, "snapshot-manifest.json")));
    }

    [Fact]
    public async Task FailureArtifactsOfAnEngineThatIsDownStillSaveWhatCanBeRead()
    {
        var ct = TestContext.Current.CancellationToken;
        using var directory = new TestDirectory();
        var builder = DistributedApplication.CreateBuilder();
        // Allocated, but nothing listens there any more.
        int port;
        await using (var gone = await InProcessKumo.StartAsync())
        {
            port = gone.Port;
        }

        builder.AddKumo("kumo").AllocateHttp(port);
        using var app = builder.Build();

        var saved = await app.WriteKumoFailureArtifactsAsync("kumo", "down", rootDirectory: directory.Path, cancellationToken: ct);

        var dump = KumoStateDump.FromJson(await File.ReadAllTextAsync(Path.Combine(saved.Directory, "state.json"), ct));
        Assert.NotEmpty(dump.Errors);
        Assert.True(File.Exists(Path.Combine(saved.Directory, "engine.log")));
        Assert.False(File.Exists(Path.Combine(saved.Directory, "failure.txt")));
    }

    [Fact]
    public void GetKumoEndpointBeforeStartExplainsWhatToDo()
    {
        var builder = DistributedApplication.CreateBuilder();
        builder.AddKumo("kumo");
        using var app = builder.Build();

        var ex = Assert.Throws<InvalidOperationException>(() => app.GetKumoEndpoint("kumo"));

        Assert.Contains("not allocated", ex.Message, StringComparison.Ordinal);
        Assert.Contains("StartAsync", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void HelpersNameTheKumoResourcesWhenTheNameIsWrong()
    {
        var builder = DistributedApplication.CreateBuilder();
        builder.AddKumo("kumo");
        builder.AddContainer("web", "nginx");
        using var app = builder.Build();

        var unknown = Assert.Throws<ArgumentException>("resourceName", () => app.CreateKumoS3Client("kumo2"));
        Assert.Contains("no resource named 'kumo2'", unknown.Message, StringComparison.Ordinal);
        Assert.Contains("'kumo'", unknown.Message, StringComparison.Ordinal);

        var notKumo = Assert.Throws<ArgumentException>("resourceName", () => app.CreateKumoSqsClient("web"));
        Assert.Contains("not a kumo resource", notKumo.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HelpersValidateTheirArguments()
    {
        DistributedApplication nullApp = null!;
        Assert.Throws<ArgumentNullException>("app", () => nullApp.GetKumoEndpoint("kumo"));
        Assert.Throws<ArgumentNullException>("app", () => nullApp.CreateKumoS3Client("kumo"));
        Assert.Throws<ArgumentNullException>("app", () => nullApp.CreateKumoDynamoDBClient("kumo"));

        using var app = DistributedApplication.CreateBuilder().Build();
        Assert.Throws<ArgumentNullException>("resourceName", () => app.CreateKumoSqsClient(null!));
        Assert.Throws<ArgumentException>("resourceName", () => app.GetKumoEndpoint(""));
        Assert.Throws<ArgumentException>("resourceName", () => app.GetKumoRunContext(""));
        await Assert.ThrowsAsync<ArgumentException>("testName", () => app.WriteKumoFailureArtifactsAsync("kumo", " ", cancellationToken: TestContext.Current.CancellationToken));
    }
}
