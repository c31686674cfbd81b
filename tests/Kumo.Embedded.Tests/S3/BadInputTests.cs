using System.Net;
using System.Text;
using Amazon.S3;
using Amazon.S3.Model;

namespace Kumo.Embedded.Tests.S3;

/// <summary>Bad input gets an AWS-shaped 4xx, the engine keeps serving, and nothing lands outside the data dir.</summary>
public sealed class BadInputTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task AssertStillHealthyAsync(TestEngine engine)
    {
        using var http = new HttpClient { BaseAddress = engine.Endpoint };
        using HttpResponseMessage health = await http.GetAsync("/health", Ct);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }

    private static async Task<(HttpStatusCode Status, string Body)> SendAsync(TestEngine engine, HttpMethod method, string path, HttpContent? content = null)
    {
        using var http = new HttpClient { BaseAddress = engine.Endpoint };
        using var request = new HttpRequestMessage(method, path) { Content = content };
        using HttpResponseMessage response = await http.SendAsync(request, Ct);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(Ct));
    }

    [Theory]
    [InlineData("<Delete><Object><Key>a</Key></Object>")]
    [InlineData("not xml at all")]
    [InlineData("<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><Delete><Object><Key>&e;</Key></Object></Delete>")]
    [InlineData("<Delete></Delete>")]
    public async Task Malformed_xml_is_MalformedXML(string xml)
    {
        await using TestEngine engine = await TestEngine.StartAsync(persistent: false);
        await engine.S3.PutBucketAsync("bkt", Ct);

        (HttpStatusCode status, string body) = await SendAsync(engine, HttpMethod.Post, "/bkt?delete", new StringContent(xml, Encoding.UTF8, "application/xml"));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("<Code>MalformedXML</Code>", body, StringComparison.Ordinal);
        Assert.DoesNotContain("root:", body, StringComparison.Ordinal);
        await AssertStillHealthyAsync(engine);
    }

    [Fact]
    public async Task Oversized_object_is_EntityTooLarge_and_not_stored()
    {
        await using TestEngine engine = await TestEngine.StartAsync(o => o with { MaxObjectSize = 1024 });
        await engine.S3.PutBucketAsync("bkt", Ct);

        AmazonS3Exception declared = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => engine.S3.PutObjectAsync(new PutObjectRequest { BucketName = "bkt", Key = "big", InputStream = new MemoryStream(new byte[2048]), UseChunkEncoding = false }, Ct));

        Assert.Equal("EntityTooLarge", declared.ErrorCode);
        Assert.Empty((await engine.S3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = "bkt" }, Ct)).S3Objects ?? []);
        Assert.Empty(Directory.GetFiles(Path.Combine(engine.DataDir, "s3-objects")));
        await AssertStillHealthyAsync(engine);
    }

    [Fact]
    public async Task Oversized_control_body_is_refused()
    {
        await using TestEngine engine = await TestEngine.StartAsync(o => o with { MaxControlBodySize = 1024 }, persistent: false);
        await engine.S3.PutBucketAsync("bkt", Ct);
        string xml = "<Delete>" + string.Concat(Enumerable.Repeat("<Object><Key>aaaaaaaaaaaaaaaa</Key></Object>", 100)) + "</Delete>";

        (HttpStatusCode status, string body) = await SendAsync(engine, HttpMethod.Post, "/bkt?delete", new StringContent(xml));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("<Code>MaxMessageLengthExceeded</Code>", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Key_longer_than_1024_bytes_is_KeyTooLongError()
    {
        await using TestEngine engine = await TestEngine.StartAsync(persistent: false);
        await engine.S3.PutBucketAsync("bkt", Ct);

        (HttpStatusCode status, string body) = await SendAsync(engine, HttpMethod.Put, "/bkt/" + new string('k', 1025), new StringContent("x"));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("<Code>KeyTooLongError</Code>", body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(HttpMethod_.Get, "/bkt?acl")]
    [InlineData(HttpMethod_.Put, "/bkt/k?tagging")]
    [InlineData(HttpMethod_.Get, "/bkt?versions")]
    public async Task Unsupported_subresources_are_NotImplemented(HttpMethod_ method, string path)
    {
        await using TestEngine engine = await TestEngine.StartAsync(persistent: false);
        await engine.S3.PutBucketAsync("bkt", Ct);

        (HttpStatusCode status, string body) = await SendAsync(engine, new HttpMethod(method.ToString().ToUpperInvariant()), path);

        Assert.Equal(HttpStatusCode.NotImplemented, status);
        Assert.Contains("<Code>NotImplemented</Code>", body, StringComparison.Ordinal);
        Assert.Contains("is not implemented by kumo-embedded", body, StringComparison.Ordinal);
    }

    public enum HttpMethod_
    {
        Get,
        Put,
    }

    [Fact]
    public async Task Method_not_allowed_on_the_service_root()
    {
        await using TestEngine engine = await TestEngine.StartAsync(persistent: false);

        (HttpStatusCode status, string body) = await SendAsync(engine, HttpMethod.Delete, "/");

        Assert.Equal(HttpStatusCode.MethodNotAllowed, status);
        Assert.Contains("<Code>MethodNotAllowed</Code>", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Traversal_keys_never_create_files_outside_the_data_dir()
    {
        string parent = TestEngine.NewDataDir();
        string dataDir = Path.Combine(parent, "data");
        await using (KumoEngine engine = await KumoEngine.StartAsync(new KumoEngineOptions { Port = 0, DataDir = dataDir }, Microsoft.Extensions.Logging.Abstractions.NullLoggerProvider.Instance, Ct))
        {
            using var s3 = new AmazonS3Client(TestEngine.Credentials, TestEngine.S3Config(engine.Endpoint));
            await s3.PutBucketAsync("bkt", Ct);
            string[] keys = ["../../outside.txt", "..\\..\\outside.txt", "/etc/passwd", "s3-objects/../../x", "%2e%2e/%2e%2e/y"];
            foreach (string key in keys)
            {
                await s3.PutObjectAsync(new PutObjectRequest { BucketName = "bkt", Key = key, ContentBody = key, UseChunkEncoding = false }, Ct);
            }

            using var http = new HttpClient { BaseAddress = engine.Endpoint };
            using HttpResponseMessage raw = await http.PutAsync("/bkt/..%2F..%2Fraw.txt", new StringContent("raw"), Ct);
            Assert.Equal(HttpStatusCode.OK, raw.StatusCode);
            ListObjectsV2Response list = await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = "bkt" }, Ct);
            Assert.Equal(keys.Length + 1, list.KeyCount);
        }

        Assert.Equal(["data"], Directory.GetFileSystemEntries(parent).Select(Path.GetFileName));
        string[] files = [.. Directory.GetFiles(dataDir, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(dataDir, f))];
        Assert.All(files, f => Assert.Matches(@"^(s3\.json|sqs\.json|s3-objects/[0-9a-f]{64}|s3-segments/segment-[0-9]+)$", f));
        Directory.Delete(parent, recursive: true);
    }

    [Fact]
    public async Task Suffix_range_of_zero_bytes_is_not_satisfiable()
    {
        await using TestEngine engine = await TestEngine.StartAsync(persistent: false);
        await engine.S3.PutBucketAsync("bkt", Ct);
        await engine.S3.PutObjectAsync(new PutObjectRequest { BucketName = "bkt", Key = "k", ContentBody = "0123456789", UseChunkEncoding = false }, Ct);

        RawResponse zero = await RawHttp.SendAsync(engine.Endpoint, "GET", "/bkt/k", ["Range: bytes=-0"]);
        RawResponse three = await RawHttp.SendAsync(engine.Endpoint, "GET", "/bkt/k", ["Range: bytes=-3"]);

        Assert.Equal(416, zero.Status);
        Assert.Contains("<Code>InvalidRange</Code>", zero.Body, StringComparison.Ordinal);
        Assert.Equal(206, three.Status);
        Assert.Equal("789", three.Body);
    }

    [Fact]
    public async Task User_metadata_over_2_KB_is_MetadataTooLarge_and_2_KB_is_accepted()
    {
        await using TestEngine engine = await TestEngine.StartAsync(persistent: false);
        await engine.S3.PutBucketAsync("bkt", Ct);

        RawResponse over = await RawHttp.SendAsync(engine.Endpoint, "PUT", "/bkt/big", [$"x-amz-meta-big: {new string('m', 3000)}"], "x"u8.ToArray());
        RawResponse limit = await RawHttp.SendAsync(engine.Endpoint, "PUT", "/bkt/fits", [$"x-amz-meta-k: {new string('m', 2047)}"], "x"u8.ToArray());

        Assert.Equal(400, over.Status);
        Assert.Contains("<Code>MetadataTooLarge</Code>", over.Body, StringComparison.Ordinal);
        Assert.Equal(200, limit.Status);
    }

    [Fact]
    public async Task A_decoded_content_length_that_is_not_a_number_is_refused()
    {
        await using TestEngine engine = await TestEngine.StartAsync(persistent: false);
        await engine.S3.PutBucketAsync("bkt", Ct);

        RawResponse response = await RawHttp.SendAsync(engine.Endpoint, "PUT", "/bkt/k", ["Content-Encoding: aws-chunked", "x-amz-decoded-content-length: abc"], "0\r\n\r\n"u8.ToArray());

        Assert.Equal(400, response.Status);
        Assert.Contains("x-amz-decoded-content-length", response.Body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("9223372036854775807")]
    [InlineData("10000000000000")]
    [InlineData("604801")]
    public async Task Presigned_expiry_beyond_a_week_is_an_authorization_error(string expires)
    {
        await using TestEngine engine = await TestEngine.StartAsync(persistent: false);
        await engine.S3.PutBucketAsync("bkt", Ct);

        RawResponse response = await RawHttp.SendAsync(engine.Endpoint, "GET", $"/bkt/k?X-Amz-Date=20240101T000000Z&X-Amz-Expires={expires}");

        Assert.Equal(400, response.Status);
        Assert.Contains("<Code>AuthorizationQueryParametersError</Code>", response.Body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("GET", "/nobucket?acl")]
    [InlineData("GET", "/nobucket?tagging")]
    [InlineData("GET", "/nobucket?policy")]
    [InlineData("GET", "/nobucket?versions")]
    [InlineData("PUT", "/nobucket?tagging")]
    [InlineData("PUT", "/nobucket?versioning")]
    [InlineData("GET", "/nobucket/k?attributes")]
    [InlineData("GET", "/nobucket/k?tagging")]
    public async Task Any_operation_on_a_missing_bucket_is_NoSuchBucket(string method, string path)
    {
        await using TestEngine engine = await TestEngine.StartAsync(persistent: false);

        RawResponse response = await RawHttp.SendAsync(engine.Endpoint, method, path);

        Assert.Equal(404, response.Status);
        Assert.Contains("<Code>NoSuchBucket</Code>", response.Body, StringComparison.Ordinal);
    }
}
