using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using Amazon.S3;
using Amazon.S3.Model;

namespace Kumo.Embedded.Tests.S3;

/// <summary>
/// aws-chunked uploads (what AWSSDK.S3 v4 sends by default) are decoded byte-exact, and counted
/// as kumo-incompatible; strict mode rejects them; kumo-safe settings send none.
/// </summary>
public sealed class ChunkedUploadTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>An S3 client with the SDK's defaults: chunked, signed bodies with a CRC32 trailer.</summary>
    private static AmazonS3Client DefaultClient(Uri endpoint) =>
        new(TestEngine.Credentials, new AmazonS3Config { ServiceURL = endpoint.ToString(), ForcePathStyle = true, AuthenticationRegion = "us-east-1", MaxErrorRetry = 0 });

    [Theory]
    [InlineData(1)]
    [InlineData(8191)]
    [InlineData(200_000)]
    public async Task Sdk_default_uploads_are_decoded_byte_exact_and_counted(int size)
    {
        await using TestEngine engine = await TestEngine.StartAsync(persistent: false);
        await engine.S3.PutBucketAsync("chunked", Ct);
        using AmazonS3Client client = DefaultClient(engine.Endpoint);
        byte[] body = RandomNumberGenerator.GetBytes(size);

        PutObjectResponse put = await client.PutObjectAsync(new PutObjectRequest { BucketName = "chunked", Key = "k", InputStream = new MemoryStream(body) }, Ct);

        using GetObjectResponse got = await engine.S3.GetObjectAsync("chunked", "k", Ct);
        using var stored = new MemoryStream();
        await got.ResponseStream.CopyToAsync(stored, Ct);
        Assert.Equal(body, stored.ToArray());
        Assert.Equal($"\"{Convert.ToHexStringLower(MD5.HashData(body))}\"", put.ETag);
        Assert.True(engine.Engine.Compatibility.ByReason.GetValueOrDefault("aws-chunked") >= 1, "an aws-chunked upload must be counted");
    }

    [Fact]
    public async Task Strict_mode_rejects_chunked_uploads_with_a_clear_error()
    {
        await using TestEngine engine = await TestEngine.StartAsync(o => o with { StrictKumoCompatibility = true }, persistent: false);
        await engine.S3.PutBucketAsync("strict", Ct);
        using AmazonS3Client client = DefaultClient(engine.Endpoint);

        AmazonS3Exception error = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => client.PutObjectAsync(new PutObjectRequest { BucketName = "strict", Key = "k", ContentBody = "data" }, Ct));

        Assert.Equal("KumoIncompatibleRequest", error.ErrorCode);
        Assert.Contains("UseChunkEncoding", error.Message, StringComparison.Ordinal);
        Assert.Empty((await engine.S3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = "strict" }, Ct)).S3Objects ?? []);
    }

    [Fact]
    public async Task Kumo_safe_settings_send_no_incompatible_request_in_strict_mode()
    {
        await using TestEngine engine = await TestEngine.StartAsync(o => o with { StrictKumoCompatibility = true }, persistent: false);
        await engine.S3.PutBucketAsync("safe", Ct);

        await engine.S3.PutObjectAsync(new PutObjectRequest { BucketName = "safe", Key = "k", ContentBody = "data", UseChunkEncoding = false }, Ct);

        Assert.Equal(0, engine.Engine.Compatibility.Total);
    }

    [Fact]
    public async Task Unsigned_chunked_body_with_trailing_checksum_is_decoded_and_both_reasons_counted()
    {
        await using TestEngine engine = await TestEngine.StartAsync(persistent: false);
        await engine.S3.PutBucketAsync("raw", Ct);
        byte[] payload = Encoding.ASCII.GetBytes("hello, chunked world");
        string sha256 = Convert.ToBase64String(SHA256.HashData(payload));
        string wire = $"a\r\n{Encoding.ASCII.GetString(payload, 0, 10)}\r\n{payload.Length - 10:x}\r\n{Encoding.ASCII.GetString(payload, 10, payload.Length - 10)}\r\n0\r\nx-amz-checksum-sha256:{sha256}\r\n\r\n";
        using var http = new HttpClient { BaseAddress = engine.Endpoint };
        using var request = new HttpRequestMessage(HttpMethod.Put, "/raw/trailer.txt") { Content = new ByteArrayContent(Encoding.ASCII.GetBytes(wire)) };
        request.Content.Headers.ContentEncoding.Add("aws-chunked");
        request.Headers.TryAddWithoutValidation("x-amz-content-sha256", "STREAMING-UNSIGNED-PAYLOAD-TRAILER");
        request.Headers.TryAddWithoutValidation("x-amz-trailer", "x-amz-checksum-sha256");
        request.Headers.TryAddWithoutValidation("x-amz-decoded-content-length", payload.Length.ToString());

        using HttpResponseMessage response = await http.SendAsync(request, Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(sha256, response.Headers.GetValues("x-amz-checksum-sha256").Single());
        using GetObjectResponse got = await engine.S3.GetObjectAsync("raw", "trailer.txt", Ct);
        using var reader = new StreamReader(got.ResponseStream);
        Assert.Equal("hello, chunked world", await reader.ReadToEndAsync(Ct));
        Assert.Null(got.Headers.ContentEncoding);
        Assert.Equal(1, engine.Engine.Compatibility.ByReason["aws-chunked"]);
        Assert.Equal(1, engine.Engine.Compatibility.ByReason["checksum-trailer"]);
    }

    [Theory]
    [InlineData("zz\r\nabc\r\n0\r\n\r\n")]
    [InlineData("5\r\nab")]
    [InlineData("3\r\nabcdef\r\n0\r\n\r\n")]
    public async Task Malformed_chunked_bodies_are_IncompleteBody(string wire)
    {
        await using TestEngine engine = await TestEngine.StartAsync(persistent: false);
        await engine.S3.PutBucketAsync("raw", Ct);
        using var http = new HttpClient { BaseAddress = engine.Endpoint };
        using var request = new HttpRequestMessage(HttpMethod.Put, "/raw/bad") { Content = new ByteArrayContent(Encoding.ASCII.GetBytes(wire)) };
        request.Content.Headers.ContentEncoding.Add("aws-chunked");
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("text/plain");

        using HttpResponseMessage response = await http.SendAsync(request, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("<Code>IncompleteBody</Code>", await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Empty((await engine.S3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = "raw" }, Ct)).S3Objects ?? []);
    }
}
