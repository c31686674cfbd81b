using System.Security.Cryptography;
using Amazon.S3;
using Amazon.S3.Model;
using Amazon.S3.Transfer;

namespace Kumo.Embedded.Tests.S3;

public sealed class MultipartTests
{
    private const int FiveMiB = 5 * 1024 * 1024;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Upload_list_complete_gives_the_concatenated_body_and_multipart_etag()
    {
        await using TestEngine engine = await TestEngine.StartAsync(persistent: false);
        await engine.S3.PutBucketAsync("mpu", Ct);
        byte[] part1 = RandomNumberGenerator.GetBytes(FiveMiB);
        byte[] part2 = RandomNumberGenerator.GetBytes(1234);
        InitiateMultipartUploadResponse init = await engine.S3.InitiateMultipartUploadAsync(new InitiateMultipartUploadRequest { BucketName = "mpu", Key = "big.bin", ContentType = "application/x-big" }, Ct);

        UploadPartResponse r1 = await engine.S3.UploadPartAsync(new UploadPartRequest { BucketName = "mpu", Key = "big.bin", UploadId = init.UploadId, PartNumber = 1, InputStream = new MemoryStream(part1), UseChunkEncoding = false }, Ct);
        UploadPartResponse r2 = await engine.S3.UploadPartAsync(new UploadPartRequest { BucketName = "mpu", Key = "big.bin", UploadId = init.UploadId, PartNumber = 2, InputStream = new MemoryStream(part2), UseChunkEncoding = false }, Ct);
        ListPartsResponse parts = await engine.S3.ListPartsAsync(new ListPartsRequest { BucketName = "mpu", Key = "big.bin", UploadId = init.UploadId }, Ct);
        CompleteMultipartUploadResponse done = await engine.S3.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest
        {
            BucketName = "mpu",
            Key = "big.bin",
            UploadId = init.UploadId,
            PartETags = [new PartETag(1, r1.ETag), new PartETag(2, r2.ETag)],
        }, Ct);

        Assert.Equal([1, 2], parts.Parts.Select(p => p.PartNumber ?? 0));
        Assert.Equal([(long)FiveMiB, 1234L], parts.Parts.Select(p => p.Size ?? 0));
        byte[] expectedEtag = MD5.HashData([.. MD5.HashData(part1), .. MD5.HashData(part2)]);
        Assert.Equal($"\"{Convert.ToHexStringLower(expectedEtag)}-2\"", done.ETag);

        using GetObjectResponse got = await engine.S3.GetObjectAsync("mpu", "big.bin", Ct);
        using var body = new MemoryStream();
        await got.ResponseStream.CopyToAsync(body, Ct);
        Assert.Equal([.. part1, .. part2], body.ToArray());
        Assert.Equal("application/x-big", got.Headers.ContentType);
    }

    [Theory]
    [InlineData(KumoDurability.Flush)]
    [InlineData(KumoDurability.Sync)]
    public async Task The_same_parts_completed_twice_are_one_body_that_outlives_a_delete_and_a_restart(KumoDurability durability)
    {
        string dataDir = TestEngine.NewDataDir();
        byte[] part1 = RandomNumberGenerator.GetBytes(FiveMiB);
        byte[] part2 = RandomNumberGenerator.GetBytes(100_003);
        byte[] whole = [.. part1, .. part2];
        await using (TestEngine engine = await TestEngine.StartAsync(o => o with { DataDir = dataDir, Durability = durability }))
        {
            await engine.S3.PutBucketAsync("mpu", Ct);
            string first = await UploadAsync(engine.S3, "first", part1, part2);
            string second = await UploadAsync(engine.S3, "second", part1, part2);
            Assert.Equal(first, second);

            string[] bodies = Directory.GetFiles(dataDir, "*", SearchOption.AllDirectories)
                .Where(f => Path.GetFileName(Path.GetDirectoryName(f)) == Kumo.Embedded.S3.BlobStore.DirectoryName)
                .Where(f => new FileInfo(f).Length == whole.Length).ToArray();
            Assert.Single(bodies);

            await engine.S3.DeleteObjectAsync("mpu", "first", Ct);
            Assert.Equal(whole, await ReadAsync(engine.S3, "second"));
        }

        await using TestEngine restarted = await TestEngine.StartAsync(o => o with { DataDir = dataDir, Durability = durability });
        Assert.Equal(whole, await ReadAsync(restarted.S3, "second"));
        await Assert.ThrowsAsync<NoSuchKeyException>(() => ReadAsync(restarted.S3, "first"));
    }

    [Fact]
    public async Task Parts_out_of_order_uploaded_again_left_out_or_refused_still_make_exactly_the_listed_bytes()
    {
        await using TestEngine engine = await TestEngine.StartAsync(persistent: false);
        await engine.S3.PutBucketAsync("mpu", Ct);
        byte[][] parts = [.. Enumerable.Range(0, 4).Select(_ => RandomNumberGenerator.GetBytes(FiveMiB))];
        byte[] replacement = RandomNumberGenerator.GetBytes(FiveMiB);
        byte[] shortLast = RandomNumberGenerator.GetBytes(70_000);

        // The last part first (its length becomes the part size, so the longer parts go to files of their own).
        string lastFirst = await engine.S3.InitiateMultipartUploadAsync("mpu", "last-first", Ct).ContinueWith(t => t.Result.UploadId, Ct);
        string e3 = await PartAsync(engine.S3, "last-first", lastFirst, 3, parts[3][..(FiveMiB - 1)]);
        string e1 = await PartAsync(engine.S3, "last-first", lastFirst, 1, parts[0]);
        string e2 = await PartAsync(engine.S3, "last-first", lastFirst, 2, parts[1]);
        await CompleteAsync(engine.S3, "last-first", lastFirst, e1, e2, e3);

        // Part 2 uploaded again with other bytes (its first upload fills its region in the assembly).
        string again = await engine.S3.InitiateMultipartUploadAsync("mpu", "again", Ct).ContinueWith(t => t.Result.UploadId, Ct);
        string a1 = await PartAsync(engine.S3, "again", again, 1, parts[0]);
        await PartAsync(engine.S3, "again", again, 2, parts[1]);
        string a2 = await PartAsync(engine.S3, "again", again, 2, replacement);
        await CompleteAsync(engine.S3, "again", again, a1, a2);

        // A part 3 uploaded and left out, and a part 4 refused for a wrong Content-MD5.
        string leftOut = await engine.S3.InitiateMultipartUploadAsync("mpu", "left-out", Ct).ContinueWith(t => t.Result.UploadId, Ct);
        string l1 = await PartAsync(engine.S3, "left-out", leftOut, 1, parts[0]);
        string l2 = await PartAsync(engine.S3, "left-out", leftOut, 2, parts[1]);
        await PartAsync(engine.S3, "left-out", leftOut, 3, parts[2]);
        AmazonS3Exception badDigest = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => engine.S3.UploadPartAsync(new UploadPartRequest
        {
            BucketName = "mpu", Key = "left-out", UploadId = leftOut, PartNumber = 4, InputStream = new MemoryStream(parts[3]), UseChunkEncoding = false,
            MD5Digest = Convert.ToBase64String(MD5.HashData(parts[0])),
        }, Ct));
        await CompleteAsync(engine.S3, "left-out", leftOut, l1, l2);

        // Parts 1..3 in order, the last one short: the assembly itself (and the same again, whose body is stored already).
        string[] inOrder = ["in-order", "in-order-twice"];
        foreach (string key in inOrder)
        {
            string upload = await engine.S3.InitiateMultipartUploadAsync("mpu", key, Ct).ContinueWith(t => t.Result.UploadId, Ct);
            await CompleteAsync(engine.S3, key, upload, await PartAsync(engine.S3, key, upload, 1, parts[0]), await PartAsync(engine.S3, key, upload, 2, parts[1]), await PartAsync(engine.S3, key, upload, 3, shortLast));
        }

        byte[] lastFirstBody = await ReadAsync(engine.S3, "last-first");
        byte[] againBody = await ReadAsync(engine.S3, "again");
        byte[] leftOutBody = await ReadAsync(engine.S3, "left-out");
        byte[] inOrderBody = await ReadAsync(engine.S3, "in-order");
        byte[] twiceBody = await ReadAsync(engine.S3, "in-order-twice");
        ListMultipartUploadsResponse open = await engine.S3.ListMultipartUploadsAsync("mpu", Ct);

        Assert.Equal("BadDigest", badDigest.ErrorCode);
        Assert.Equal([.. parts[0], .. parts[1], .. parts[3][..(FiveMiB - 1)]], lastFirstBody);
        Assert.Equal([.. parts[0], .. replacement], againBody);
        Assert.Equal([.. parts[0], .. parts[1]], leftOutBody);
        Assert.Equal([.. parts[0], .. parts[1], .. shortLast], inOrderBody);
        Assert.Equal(inOrderBody, twiceBody);
        Assert.Empty(open.MultipartUploads ?? []);
    }

    private static async Task<string> PartAsync(IAmazonS3 s3, string key, string uploadId, int number, byte[] body) =>
        (await s3.UploadPartAsync(new UploadPartRequest { BucketName = "mpu", Key = key, UploadId = uploadId, PartNumber = number, InputStream = new MemoryStream(body), UseChunkEncoding = false }, Ct)).ETag;

    private static Task<CompleteMultipartUploadResponse> CompleteAsync(IAmazonS3 s3, string key, string uploadId, params string[] etags) =>
        s3.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest
        {
            BucketName = "mpu", Key = key, UploadId = uploadId, PartETags = [.. etags.Select((etag, i) => new PartETag(i + 1, etag))],
        }, Ct);

    private static async Task<string> UploadAsync(IAmazonS3 s3, string key, params byte[][] parts)
    {
        InitiateMultipartUploadResponse init = await s3.InitiateMultipartUploadAsync("mpu", key, Ct);
        var etags = new List<PartETag>();
        for (int i = 0; i < parts.Length; i++)
        {
            UploadPartResponse part = await s3.UploadPartAsync(new UploadPartRequest { BucketName = "mpu", Key = key, UploadId = init.UploadId, PartNumber = i + 1, InputStream = new MemoryStream(parts[i]), UseChunkEncoding = false }, Ct);
            etags.Add(new PartETag(i + 1, part.ETag));
        }

        CompleteMultipartUploadResponse done = await s3.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest { BucketName = "mpu", Key = key, UploadId = init.UploadId, PartETags = etags }, Ct);
        return done.ETag;
    }

    private static async Task<byte[]> ReadAsync(IAmazonS3 s3, string key)
    {
        using GetObjectResponse got = await s3.GetObjectAsync("mpu", key, Ct);
        using var body = new MemoryStream();
        await got.ResponseStream.CopyToAsync(body, Ct);
        return body.ToArray();
    }

    [Fact]
    public async Task Small_non_final_part_is_EntityTooSmall_and_abort_forgets_the_upload()
    {
        await using TestEngine engine = await TestEngine.StartAsync(persistent: false);
        await engine.S3.PutBucketAsync("mpu", Ct);
        InitiateMultipartUploadResponse init = await engine.S3.InitiateMultipartUploadAsync("mpu", "k", Ct);
        UploadPartResponse r1 = await engine.S3.UploadPartAsync(new UploadPartRequest { BucketName = "mpu", Key = "k", UploadId = init.UploadId, PartNumber = 1, InputStream = new MemoryStream(new byte[10]), UseChunkEncoding = false }, Ct);
        UploadPartResponse r2 = await engine.S3.UploadPartAsync(new UploadPartRequest { BucketName = "mpu", Key = "k", UploadId = init.UploadId, PartNumber = 2, InputStream = new MemoryStream(new byte[10]), UseChunkEncoding = false }, Ct);

        AmazonS3Exception tooSmall = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => engine.S3.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest
        {
            BucketName = "mpu", Key = "k", UploadId = init.UploadId, PartETags = [new PartETag(1, r1.ETag), new PartETag(2, r2.ETag)],
        }, Ct));
        AmazonS3Exception wrongEtag = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => engine.S3.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest
        {
            BucketName = "mpu", Key = "k", UploadId = init.UploadId, PartETags = [new PartETag(1, "\"deadbeef\"")],
        }, Ct));
        await engine.S3.AbortMultipartUploadAsync("mpu", "k", init.UploadId, Ct);
        AmazonS3Exception gone = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => engine.S3.ListPartsAsync(new ListPartsRequest { BucketName = "mpu", Key = "k", UploadId = init.UploadId }, Ct));

        Assert.Equal("EntityTooSmall", tooSmall.ErrorCode);
        Assert.Equal("InvalidPart", wrongEtag.ErrorCode);
        Assert.Equal("NoSuchUpload", gone.ErrorCode);
        Assert.Empty((await engine.S3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = "mpu" }, Ct)).S3Objects ?? []);
    }

    [Fact]
    public async Task Transfer_utility_upload_and_download_round_trip()
    {
        await using TestEngine engine = await TestEngine.StartAsync(persistent: false);
        await engine.S3.PutBucketAsync("mpu", Ct);
        byte[] body = RandomNumberGenerator.GetBytes((2 * FiveMiB) + 777);
        using var transfer = new TransferUtility(engine.S3, new TransferUtilityConfig { MinSizeBeforePartUpload = FiveMiB });

        await transfer.UploadAsync(new TransferUtilityUploadRequest { BucketName = "mpu", Key = "t", InputStream = new MemoryStream(body), PartSize = FiveMiB }, Ct);
        using GetObjectResponse got = await engine.S3.GetObjectAsync("mpu", "t", Ct);
        using var copy = new MemoryStream();
        await got.ResponseStream.CopyToAsync(copy, Ct);

        Assert.Equal(body, copy.ToArray());
        Assert.EndsWith("-3\"", got.ETag, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Upload_part_copy_copies_a_range()
    {
        await using TestEngine engine = await TestEngine.StartAsync(persistent: false);
        await engine.S3.PutBucketAsync("mpu", Ct);
        byte[] source = RandomNumberGenerator.GetBytes(1000);
        await engine.S3.PutObjectAsync(new PutObjectRequest { BucketName = "mpu", Key = "src", InputStream = new MemoryStream(source), UseChunkEncoding = false }, Ct);
        InitiateMultipartUploadResponse init = await engine.S3.InitiateMultipartUploadAsync("mpu", "dst", Ct);

        CopyPartResponse part = await engine.S3.CopyPartAsync(new CopyPartRequest
        {
            SourceBucket = "mpu", SourceKey = "src", DestinationBucket = "mpu", DestinationKey = "dst", UploadId = init.UploadId, PartNumber = 1, FirstByte = 100, LastByte = 199,
        }, Ct);
        await engine.S3.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest { BucketName = "mpu", Key = "dst", UploadId = init.UploadId, PartETags = [new PartETag(1, part.ETag)] }, Ct);

        using GetObjectResponse got = await engine.S3.GetObjectAsync("mpu", "dst", Ct);
        using var copy = new MemoryStream();
        await got.ResponseStream.CopyToAsync(copy, Ct);
        Assert.Equal(source.AsSpan(100, 100).ToArray(), copy.ToArray());
    }
}
