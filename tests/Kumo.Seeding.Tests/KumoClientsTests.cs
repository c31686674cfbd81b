using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Kumo.Clients;

namespace Kumo.Seeding.Tests;

public sealed class KumoClientsTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Uploads_without_the_chunk_flag_are_still_plain_bodies()
    {
        await using SeedEngine engine = await SeedEngine.StartAsync(Ct);
        using KumoClients clients = KumoClients.Create(engine.Endpoint);
        await clients.S3.PutBucketAsync("plain", Ct);

        // A request that does not set UseChunkEncoding: the pipeline hook must make it plain, or the strict engine rejects it.
        await clients.S3.PutObjectAsync(new PutObjectRequest { BucketName = "plain", Key = "k", ContentBody = "hello" }, Ct);

        Assert.Equal(0, engine.Engine.Compatibility.Total);
        using GetObjectResponse response = await clients.S3.GetObjectAsync("plain", "k", Ct);
        using var reader = new StreamReader(response.ResponseStream);
        Assert.Equal("hello", await reader.ReadToEndAsync(Ct));
    }

    [Fact]
    public async Task Control_a_stock_client_with_the_same_config_sends_chunked_bodies_that_strict_mode_rejects()
    {
        await using SeedEngine engine = await SeedEngine.StartAsync(Ct);
        using KumoClients clients = KumoClients.Create(engine.Endpoint);
        await clients.S3.PutBucketAsync("stock", Ct);
        AmazonS3Config config = KumoClientFactory.CreateS3Config(engine.Endpoint);
        config.MaxErrorRetry = 0;
        using var stock = new AmazonS3Client(KumoClientDefaults.Credentials, config);

        await Assert.ThrowsAnyAsync<AmazonServiceException>(() => stock.PutObjectAsync(new PutObjectRequest { BucketName = "stock", Key = "k", ContentBody = "hello" }, Ct));

        Assert.True(engine.Engine.Compatibility.Total > 0, "the strict engine saw no kumo-incompatible request from the stock client");
    }

    [Fact]
    public void Configs_are_kumo_safe()
    {
        var endpoint = new Uri("http://127.0.0.1:4566/some/path");
        AmazonS3Config s3 = KumoClientFactory.CreateS3Config(endpoint);
        Assert.True(s3.ForcePathStyle);
        Assert.Equal(RequestChecksumCalculation.WHEN_REQUIRED, s3.RequestChecksumCalculation);
        Assert.Equal(ResponseChecksumValidation.WHEN_REQUIRED, s3.ResponseChecksumValidation);
        Assert.Equal("us-east-1", s3.AuthenticationRegion);
        Assert.Equal("http://127.0.0.1:4566/", s3.ServiceURL);
        Assert.True(s3.IgnoreConfiguredEndpointUrls);
        Assert.Equal("http://127.0.0.1:4566/", KumoClientFactory.CreateSqsConfig(endpoint).ServiceURL);
        ImmutableCredentials credentials = KumoClientDefaults.Credentials.GetCredentials();
        Assert.Equal(("test", "test"), (credentials.AccessKey, credentials.SecretKey));
    }

    [Fact]
    public void Non_http_endpoints_are_rejected()
    {
        ArgumentException e = Assert.Throws<ArgumentException>(() => KumoClients.Create(new Uri("file:///tmp/x")));
        Assert.Contains("Fix:", e.Message, StringComparison.Ordinal);
    }
}
