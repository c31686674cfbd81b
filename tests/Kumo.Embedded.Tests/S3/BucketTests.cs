using System.Net;
using Amazon.S3;
using Amazon.S3.Model;

namespace Kumo.Embedded.Tests.S3;

public sealed class BucketTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Create_list_head_delete_round_trip()
    {
        await using TestEngine engine = await TestEngine.StartAsync(persistent: false);

        await engine.S3.PutBucketAsync("alpha", Ct);
        await engine.S3.PutBucketAsync("beta", Ct);
        ListBucketsResponse list = await engine.S3.ListBucketsAsync(Ct);
        Assert.Equal(["alpha", "beta"], list.Buckets.Select(b => b.BucketName));

        GetBucketLocationResponse location = await engine.S3.GetBucketLocationAsync("alpha", Ct);
        Assert.True(string.IsNullOrEmpty(location.Location.Value) || location.Location.Value == "us-east-1");

        await engine.S3.DeleteBucketAsync("alpha", Ct);
        list = await engine.S3.ListBucketsAsync(Ct);
        Assert.Equal(["beta"], list.Buckets.Select(b => b.BucketName));
    }

    [Fact]
    public async Task Creating_an_existing_bucket_is_BucketAlreadyOwnedByYou()
    {
        await using TestEngine engine = await TestEngine.StartAsync(persistent: false);
        await engine.S3.PutBucketAsync("dup", Ct);

        BucketAlreadyOwnedByYouException error = await Assert.ThrowsAsync<BucketAlreadyOwnedByYouException>(() => engine.S3.PutBucketAsync("dup", Ct));

        Assert.Equal("BucketAlreadyOwnedByYou", error.ErrorCode);
        Assert.Equal(HttpStatusCode.Conflict, error.StatusCode);
    }

    [Fact]
    public async Task Deleting_a_non_empty_bucket_is_BucketNotEmpty()
    {
        await using TestEngine engine = await TestEngine.StartAsync(persistent: false);
        await engine.S3.PutBucketAsync("full", Ct);
        await engine.S3.PutObjectAsync(new PutObjectRequest { BucketName = "full", Key = "k", ContentBody = "x", UseChunkEncoding = false }, Ct);

        AmazonS3Exception error = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => engine.S3.DeleteBucketAsync("full", Ct));

        Assert.Equal("BucketNotEmpty", error.ErrorCode);
    }

    [Fact]
    public async Task Missing_bucket_is_NoSuchBucket_for_every_operation()
    {
        await using TestEngine engine = await TestEngine.StartAsync(persistent: false);

        AmazonS3Exception list = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => engine.S3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = "nope" }, Ct));
        AmazonS3Exception put = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => engine.S3.PutObjectAsync(new PutObjectRequest { BucketName = "nope", Key = "k", ContentBody = "x", UseChunkEncoding = false }, Ct));
        AmazonS3Exception head = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => engine.S3.GetBucketLocationAsync("nope", Ct));

        Assert.Equal("NoSuchBucket", list.ErrorCode);
        Assert.Equal("NoSuchBucket", put.ErrorCode);
        Assert.Equal(HttpStatusCode.NotFound, head.StatusCode);
    }

    [Theory]
    [InlineData("ab")]
    [InlineData("UpperCase")]
    [InlineData("under_score")]
    [InlineData("-leading")]
    [InlineData("double..dot")]
    [InlineData("192.168.1.1")]
    public async Task Invalid_bucket_names_are_rejected_with_InvalidBucketName(string name)
    {
        await using TestEngine engine = await TestEngine.StartAsync(persistent: false);
        using var http = new HttpClient { BaseAddress = engine.Endpoint };

        using HttpResponseMessage response = await http.PutAsync("/" + Uri.EscapeDataString(name), null, Ct);
        string body = await response.Content.ReadAsStringAsync(Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("<Code>InvalidBucketName</Code>", body, StringComparison.Ordinal);
        Assert.Empty((await engine.S3.ListBucketsAsync(Ct)).Buckets ?? []);
    }
}
