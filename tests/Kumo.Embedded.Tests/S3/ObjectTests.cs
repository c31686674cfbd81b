using System.Net;
using System.Security.Cryptography;
using System.Text;
using Amazon.S3;
using Amazon.S3.Model;

namespace Kumo.Embedded.Tests.S3;

public sealed class ObjectTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<TestEngine> WithBucketAsync(string bucket = "objects")
    {
        TestEngine engine = await TestEngine.StartAsync(persistent: false);
        await engine.S3.PutBucketAsync(bucket, Ct);
        return engine;
    }

    private static PutObjectRequest Put(string key, byte[] body, string bucket = "objects") =>
        new() { BucketName = bucket, Key = key, InputStream = new MemoryStream(body), UseChunkEncoding = false };

    private static async Task<byte[]> ReadAllAsync(GetObjectResponse response)
    {
        using var buffer = new MemoryStream();
        await response.ResponseStream.CopyToAsync(buffer, Ct);
        return buffer.ToArray();
    }

    [Fact]
    public async Task Put_then_get_returns_bytes_metadata_content_type_and_md5_etag()
    {
        await using TestEngine engine = await WithBucketAsync();
        byte[] body = RandomNumberGenerator.GetBytes(10_000);
        PutObjectRequest put = Put("docs/a.bin", body);
        put.ContentType = "application/x-test";
        put.Metadata.Add("owner", "team-a");
        put.Headers.ContentDisposition = "attachment; filename=a.bin";

        PutObjectResponse stored = await engine.S3.PutObjectAsync(put, Ct);
        using GetObjectResponse got = await engine.S3.GetObjectAsync("objects", "docs/a.bin", Ct);

        string md5 = Convert.ToHexStringLower(MD5.HashData(body));
        Assert.Equal($"\"{md5}\"", stored.ETag);
        Assert.Equal(stored.ETag, got.ETag);
        Assert.Equal(body, await ReadAllAsync(got));
        Assert.Equal("application/x-test", got.Headers.ContentType);
        Assert.Equal("team-a", got.Metadata["x-amz-meta-owner"]);
        Assert.Equal("attachment; filename=a.bin", got.Headers.ContentDisposition);
        Assert.Equal(body.Length, got.ContentLength);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_get_of_an_object_overwritten_meanwhile_returns_one_version_whole(bool persistent)
    {
        await using TestEngine engine = await TestEngine.StartAsync(persistent: persistent);
        await engine.S3.PutBucketAsync("flip", Ct);

        // A segment extent and a file of its own; each overwrite releases the other, and 300 of them fill
        // and compact the active segment while the readers read.
        byte[][] versions = [RandomNumberGenerator.GetBytes(60 * 1024), RandomNumberGenerator.GetBytes(100_000)];
        await engine.S3.PutObjectAsync(Put("key", versions[0], "flip"), Ct);
        Task writer = Task.Run(async () =>
        {
            for (int i = 1; i <= 300; i++)
            {
                await engine.S3.PutObjectAsync(Put("key", versions[i % 2], "flip"), Ct);
            }
        }, Ct);
        async Task<int> ReadAsync()
        {
            int reads = 0;
            while (!writer.IsCompleted || reads == 0)
            {
                using GetObjectResponse got = await engine.S3.GetObjectAsync("flip", "key", Ct);
                byte[] body = await ReadAllAsync(got);
                Assert.True(body.AsSpan().SequenceEqual(versions[0]) || body.AsSpan().SequenceEqual(versions[1]), $"read {reads}: {body.Length} bytes that are neither version");
                Assert.Equal($"\"{Convert.ToHexStringLower(MD5.HashData(body))}\"", got.ETag);
                reads++;
            }

            return reads;
        }

        int[] reads = await Task.WhenAll(ReadAsync(), ReadAsync()).WaitAsync(TimeSpan.FromMinutes(2), Ct);
        await writer;

        Assert.All(reads, r => Assert.True(r > 0));
    }

    [Fact]
    public async Task Keys_with_special_characters_round_trip_exactly()
    {
        await using TestEngine engine = await WithBucketAsync();
        string[] keys = ["a b/c+d", "ünïcödé/ключ", "../../escape", "percent%2Fslash", "q?x=1&y", "trailing/"];
        foreach (string key in keys)
        {
            await engine.S3.PutObjectAsync(Put(key, Encoding.UTF8.GetBytes(key)), Ct);
        }

        foreach (string key in keys)
        {
            using GetObjectResponse got = await engine.S3.GetObjectAsync("objects", key, Ct);
            Assert.Equal(key, Encoding.UTF8.GetString(await ReadAllAsync(got)));
        }

        ListObjectsV2Response list = await engine.S3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = "objects" }, Ct);
        Assert.Equal(keys.Order(StringComparer.Ordinal), list.S3Objects.Select(o => o.Key));
    }

    [Theory]
    [InlineData("bytes=0-9", 0, 10)]
    [InlineData("bytes=100-", 100, 900)]
    [InlineData("bytes=-50", 950, 50)]
    [InlineData("bytes=990-5000", 990, 10)]
    public async Task Range_requests_return_the_requested_slice(string range, int offset, int length)
    {
        await using TestEngine engine = await WithBucketAsync();
        byte[] body = RandomNumberGenerator.GetBytes(1000);
        await engine.S3.PutObjectAsync(Put("r", body), Ct);
        using var http = new HttpClient { BaseAddress = engine.Endpoint };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/objects/r");
        request.Headers.TryAddWithoutValidation("Range", range);

        using HttpResponseMessage response = await http.SendAsync(request, Ct);

        Assert.Equal(HttpStatusCode.PartialContent, response.StatusCode);
        Assert.Equal(body.AsSpan(offset, length).ToArray(), await response.Content.ReadAsByteArrayAsync(Ct));
        Assert.Equal($"bytes {offset}-{offset + length - 1}/1000", response.Content.Headers.GetValues("Content-Range").Single());
    }

    [Fact]
    public async Task Range_through_the_sdk_and_unsatisfiable_range()
    {
        await using TestEngine engine = await WithBucketAsync();
        await engine.S3.PutObjectAsync(Put("r", Encoding.ASCII.GetBytes("0123456789")), Ct);

        using GetObjectResponse slice = await engine.S3.GetObjectAsync(new GetObjectRequest { BucketName = "objects", Key = "r", ByteRange = new ByteRange(2, 4) }, Ct);
        AmazonS3Exception error = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => engine.S3.GetObjectAsync(new GetObjectRequest { BucketName = "objects", Key = "r", ByteRange = new ByteRange(50, 60) }, Ct));

        Assert.Equal("234", Encoding.ASCII.GetString(await ReadAllAsync(slice)));
        Assert.Equal("InvalidRange", error.ErrorCode);
        Assert.Equal(HttpStatusCode.RequestedRangeNotSatisfiable, error.StatusCode);
    }

    [Fact]
    public async Task Conditional_gets_follow_s3_rules()
    {
        await using TestEngine engine = await WithBucketAsync();
        PutObjectResponse put = await engine.S3.PutObjectAsync(Put("c", [1, 2, 3]), Ct);
        using var http = new HttpClient { BaseAddress = engine.Endpoint };

        async Task<HttpStatusCode> GetWith(string header, string value)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/objects/c");
            request.Headers.TryAddWithoutValidation(header, value);
            using HttpResponseMessage response = await http.SendAsync(request, Ct);
            return response.StatusCode;
        }

        string past = DateTimeOffset.UtcNow.AddDays(-1).ToString("R");
        string future = DateTimeOffset.UtcNow.AddDays(1).ToString("R");
        Assert.Equal(HttpStatusCode.OK, await GetWith("If-Match", put.ETag));
        Assert.Equal(HttpStatusCode.PreconditionFailed, await GetWith("If-Match", "\"0000\""));
        Assert.Equal(HttpStatusCode.NotModified, await GetWith("If-None-Match", put.ETag));
        Assert.Equal(HttpStatusCode.OK, await GetWith("If-None-Match", "\"0000\""));
        Assert.Equal(HttpStatusCode.NotModified, await GetWith("If-Modified-Since", future));
        Assert.Equal(HttpStatusCode.OK, await GetWith("If-Modified-Since", past));
        Assert.Equal(HttpStatusCode.PreconditionFailed, await GetWith("If-Unmodified-Since", past));
        Assert.Equal(HttpStatusCode.OK, await GetWith("If-Unmodified-Since", future));

        AmazonS3Exception sdk = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => engine.S3.GetObjectAsync(new GetObjectRequest { BucketName = "objects", Key = "c", EtagToMatch = "\"0000\"" }, Ct));
        Assert.Equal(HttpStatusCode.PreconditionFailed, sdk.StatusCode);
    }

    [Fact]
    public async Task Conditional_put_if_none_match_star_refuses_to_overwrite()
    {
        await using TestEngine engine = await WithBucketAsync();
        await engine.S3.PutObjectAsync(Put("once", [1]), Ct);
        PutObjectRequest again = Put("once", [2]);
        again.IfNoneMatch = "*";

        AmazonS3Exception error = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => engine.S3.PutObjectAsync(again, Ct));

        Assert.Equal(HttpStatusCode.PreconditionFailed, error.StatusCode);
        using GetObjectResponse got = await engine.S3.GetObjectAsync("objects", "once", Ct);
        Assert.Equal([1], await ReadAllAsync(got));
    }

    [Fact]
    public async Task Head_reports_metadata_and_missing_key_is_404()
    {
        await using TestEngine engine = await WithBucketAsync();
        PutObjectRequest put = Put("h", new byte[42]);
        put.Metadata.Add("k", "v");
        await engine.S3.PutObjectAsync(put, Ct);

        GetObjectMetadataResponse head = await engine.S3.GetObjectMetadataAsync("objects", "h", Ct);
        AmazonS3Exception missing = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => engine.S3.GetObjectMetadataAsync("objects", "absent", Ct));
        AmazonS3Exception getMissing = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => engine.S3.GetObjectAsync("objects", "absent", Ct));

        Assert.Equal(42, head.ContentLength);
        Assert.Equal("v", head.Metadata["x-amz-meta-k"]);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("NoSuchKey", getMissing.ErrorCode);
    }

    [Fact]
    public async Task Delete_and_batch_delete()
    {
        await using TestEngine engine = await WithBucketAsync();
        foreach (string key in new[] { "a", "b", "c", "d" })
        {
            await engine.S3.PutObjectAsync(Put(key, [0]), Ct);
        }

        await engine.S3.DeleteObjectAsync("objects", "a", Ct);
        await engine.S3.DeleteObjectAsync("objects", "never-existed", Ct);
        DeleteObjectsResponse batch = await engine.S3.DeleteObjectsAsync(new DeleteObjectsRequest
        {
            BucketName = "objects",
            Objects = [new KeyVersion { Key = "b" }, new KeyVersion { Key = "c" }, new KeyVersion { Key = "zzz" }],
        }, Ct);

        Assert.Equal(["b", "c", "zzz"], batch.DeletedObjects.Select(d => d.Key).Order());
        ListObjectsV2Response list = await engine.S3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = "objects" }, Ct);
        Assert.Equal(["d"], list.S3Objects.Select(o => o.Key));
    }

    [Fact]
    public async Task Copy_keeps_or_replaces_metadata_by_directive()
    {
        await using TestEngine engine = await WithBucketAsync();
        await engine.S3.PutBucketAsync("other", Ct);
        PutObjectRequest put = Put("src", Encoding.UTF8.GetBytes("payload"));
        put.ContentType = "text/plain";
        put.Metadata.Add("color", "blue");
        PutObjectResponse original = await engine.S3.PutObjectAsync(put, Ct);

        CopyObjectResponse copied = await engine.S3.CopyObjectAsync(new CopyObjectRequest { SourceBucket = "objects", SourceKey = "src", DestinationBucket = "other", DestinationKey = "dst" }, Ct);
        var replace = new CopyObjectRequest { SourceBucket = "objects", SourceKey = "src", DestinationBucket = "objects", DestinationKey = "src", MetadataDirective = S3MetadataDirective.REPLACE, ContentType = "application/json" };
        replace.Metadata.Add("color", "red");
        await engine.S3.CopyObjectAsync(replace, Ct);

        using GetObjectResponse dst = await engine.S3.GetObjectAsync("other", "dst", Ct);
        using GetObjectResponse src = await engine.S3.GetObjectAsync("objects", "src", Ct);
        Assert.Equal(original.ETag, copied.ETag);
        Assert.Equal("payload", Encoding.UTF8.GetString(await ReadAllAsync(dst)));
        Assert.Equal("blue", dst.Metadata["x-amz-meta-color"]);
        Assert.Equal("text/plain", dst.Headers.ContentType);
        Assert.Equal("red", src.Metadata["x-amz-meta-color"]);
        Assert.Equal("application/json", src.Headers.ContentType);
        Assert.Equal("payload", Encoding.UTF8.GetString(await ReadAllAsync(src)));
    }

    [Fact]
    public async Task Copy_onto_itself_without_replace_is_rejected()
    {
        await using TestEngine engine = await WithBucketAsync();
        await engine.S3.PutObjectAsync(Put("self", [1]), Ct);

        AmazonS3Exception error = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => engine.S3.CopyObjectAsync("objects", "self", "objects", "self", Ct));

        Assert.Equal("InvalidRequest", error.ErrorCode);
    }

    [Fact]
    public async Task Content_md5_mismatch_is_BadDigest_and_nothing_is_stored()
    {
        await using TestEngine engine = await WithBucketAsync();
        PutObjectRequest put = Put("digest", [1, 2, 3]);
        put.MD5Digest = Convert.ToBase64String(MD5.HashData([9, 9, 9]));

        AmazonS3Exception error = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => engine.S3.PutObjectAsync(put, Ct));

        Assert.Equal("BadDigest", error.ErrorCode);
        ListObjectsV2Response list = await engine.S3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = "objects" }, Ct);
        Assert.Empty(list.S3Objects ?? []);
    }

    [Theory]
    [InlineData(3)] // held in memory until published
    [InlineData(100_000)] // streamed to a file: the checksum is computed from it
    public async Task A_sha256_checksum_is_checked_against_the_bytes_received(int length)
    {
        await using TestEngine engine = await WithBucketAsync();
        byte[] body = RandomNumberGenerator.GetBytes(length);
        PutObjectRequest wrong = Put("wrong", body);
        wrong.ChecksumSHA256 = Convert.ToBase64String(SHA256.HashData([9, 9, 9]));
        PutObjectRequest right = Put("right", body);
        right.ChecksumSHA256 = Convert.ToBase64String(SHA256.HashData(body));

        AmazonS3Exception error = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => engine.S3.PutObjectAsync(wrong, Ct));
        await engine.S3.PutObjectAsync(right, Ct);

        Assert.Equal("BadDigest", error.ErrorCode);
        ListObjectsV2Response list = await engine.S3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = "objects" }, Ct);
        Assert.Equal(["right"], (list.S3Objects ?? []).Select(o => o.Key));
        using GetObjectResponse got = await engine.S3.GetObjectAsync("objects", "right", Ct);
        Assert.Equal(body, await ReadAllAsync(got));
    }

    [Fact]
    public async Task Virtual_host_style_addresses_bucket_from_host_header()
    {
        await using TestEngine engine = await WithBucketAsync("vhost");
        using var http = new HttpClient { BaseAddress = engine.Endpoint };
        using var put = new HttpRequestMessage(HttpMethod.Put, "/dir/file.txt") { Content = new StringContent("virtual") };
        put.Headers.Host = $"vhost.localhost:{engine.Endpoint.Port}";

        using HttpResponseMessage response = await http.SendAsync(put, Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using GetObjectResponse got = await engine.S3.GetObjectAsync("vhost", "dir/file.txt", Ct);
        Assert.Equal("virtual", Encoding.UTF8.GetString(await ReadAllAsync(got)));
    }

    [Fact]
    public async Task Presigned_get_and_put_are_accepted_and_expired_urls_are_refused()
    {
        await using TestEngine engine = await WithBucketAsync();
        using var http = new HttpClient();
        string putUrl = await engine.S3.GetPreSignedURLAsync(new GetPreSignedUrlRequest { BucketName = "objects", Key = "signed", Verb = HttpVerb.PUT, Expires = DateTime.UtcNow.AddMinutes(5), Protocol = Amazon.S3.Protocol.HTTP });
        string getUrl = await engine.S3.GetPreSignedURLAsync(new GetPreSignedUrlRequest { BucketName = "objects", Key = "signed", Verb = HttpVerb.GET, Expires = DateTime.UtcNow.AddMinutes(5), Protocol = Amazon.S3.Protocol.HTTP });
        string expiredUrl = await engine.S3.GetPreSignedURLAsync(new GetPreSignedUrlRequest { BucketName = "objects", Key = "signed", Verb = HttpVerb.GET, Expires = DateTime.UtcNow.AddSeconds(-30), Protocol = Amazon.S3.Protocol.HTTP });

        Assert.StartsWith(engine.Endpoint.ToString(), putUrl, StringComparison.Ordinal);
        using HttpResponseMessage put = await http.PutAsync(putUrl, new StringContent("via presigned"), Ct);
        using HttpResponseMessage get = await http.GetAsync(getUrl, Ct);
        using HttpResponseMessage expired = await http.GetAsync(expiredUrl, Ct);

        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        Assert.Equal("via presigned", await get.Content.ReadAsStringAsync(Ct));
        Assert.Equal(HttpStatusCode.Forbidden, expired.StatusCode);
        Assert.Contains("Request has expired", await expired.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Response_header_overrides_apply_to_get()
    {
        await using TestEngine engine = await WithBucketAsync();
        await engine.S3.PutObjectAsync(Put("o", [1]), Ct);

        using GetObjectResponse got = await engine.S3.GetObjectAsync(new GetObjectRequest
        {
            BucketName = "objects",
            Key = "o",
            ResponseHeaderOverrides = new ResponseHeaderOverrides { ContentType = "image/png", ContentDisposition = "inline" },
        }, Ct);

        Assert.Equal("image/png", got.Headers.ContentType);
        Assert.Equal("inline", got.Headers.ContentDisposition);
    }
}
