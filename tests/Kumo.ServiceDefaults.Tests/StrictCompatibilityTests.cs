using System.Security.Cryptography;
using System.Text;
using Amazon.S3;
using Amazon.S3.Model;
using Amazon.S3.Transfer;
using Amazon.SQS;
using Amazon.SQS.Model;
using Kumo.Embedded.Tests;
using Kumo.ServiceDefaults.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Kumo.ServiceDefaults.Tests;

/// <summary>
/// The wired clients only send what real kumo can handle: proven against an engine in strict kumo mode, which
/// rejects aws-chunked bodies and checksum trailers with a 400 and counts them.
/// </summary>
public sealed class StrictCompatibilityTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(0)]
    [InlineData(11)]
    [InlineData(64 * 1024)]
    [InlineData(1024 * 1024)]
    [InlineData((5 * 1024 * 1024) + 7)]
    public async Task PutObject_of_any_size_is_stored_byte_exact_by_a_strict_engine(int size)
    {
        await using TestEngine engine = await StartStrictAsync();
        using IHost host = WiredHost.Build(WiredHost.ConnectionString(engine.Endpoint));
        IAmazonS3 s3 = host.Services.GetRequiredService<IAmazonS3>();
        string bucket = Names.Unique("strict");
        await s3.PutBucketAsync(bucket, Ct);
        byte[] body = RandomNumberGenerator.GetBytes(size);

        PutObjectResponse put = await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "blob.bin", InputStream = new MemoryStream(body) }, Ct);

        Assert.Equal(body, await ReadAsync(engine.S3, bucket, "blob.bin"));
        Assert.Equal($"\"{Convert.ToHexStringLower(MD5.HashData(body))}\"", put.ETag);
        AssertNoIncompatibleRequests(engine);
    }

    [Fact]
    public async Task PutObject_from_text_and_from_a_file_is_accepted_by_a_strict_engine()
    {
        await using TestEngine engine = await StartStrictAsync();
        using IHost host = WiredHost.Build(WiredHost.ConnectionString(engine.Endpoint));
        IAmazonS3 s3 = host.Services.GetRequiredService<IAmazonS3>();
        string bucket = Names.Unique("strict");
        await s3.PutBucketAsync(bucket, Ct);
        string file = Path.Combine(Path.GetTempPath(), $"kumo-wiring-{Guid.NewGuid():N}.bin");
        byte[] fileBody = RandomNumberGenerator.GetBytes(300_000);
        await File.WriteAllBytesAsync(file, fileBody, Ct);
        try
        {
            await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "text.txt", ContentBody = "héllo kumo" }, Ct);
            await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "file.bin", FilePath = file }, Ct);
        }
        finally
        {
            File.Delete(file);
        }

        Assert.Equal(Encoding.UTF8.GetBytes("héllo kumo"), await ReadAsync(engine.S3, bucket, "text.txt"));
        Assert.Equal(fileBody, await ReadAsync(engine.S3, bucket, "file.bin"));
        AssertNoIncompatibleRequests(engine);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task PutObject_from_a_non_seekable_stream_is_accepted_by_a_strict_engine(bool lengthKnown)
    {
        // Without the wiring's buffering, the SDK sends such a stream aws-chunked even with UseChunkEncoding = false.
        await using TestEngine engine = await StartStrictAsync();
        using IHost host = WiredHost.Build(WiredHost.ConnectionString(engine.Endpoint));
        IAmazonS3 s3 = host.Services.GetRequiredService<IAmazonS3>();
        string bucket = Names.Unique("strict");
        await s3.PutBucketAsync(bucket, Ct);
        byte[] body = RandomNumberGenerator.GetBytes(200_000);
        var source = new ForwardOnlyStream(body);
        var request = new PutObjectRequest { BucketName = bucket, Key = "piped.bin", InputStream = source };
        if (lengthKnown)
        {
            request.Headers.ContentLength = body.Length;
        }

        await s3.PutObjectAsync(request, Ct);

        Assert.Equal(body, await ReadAsync(engine.S3, bucket, "piped.bin"));
        Assert.True(source.Disposed, "AutoCloseStream (the default) must still close the caller's stream");
        AssertNoIncompatibleRequests(engine);
    }

    [Fact]
    public async Task UploadPart_from_a_non_seekable_stream_reads_only_its_part()
    {
        await using TestEngine engine = await StartStrictAsync();
        using IHost host = WiredHost.Build(WiredHost.ConnectionString(engine.Endpoint));
        IAmazonS3 s3 = host.Services.GetRequiredService<IAmazonS3>();
        string bucket = Names.Unique("parts");
        await s3.PutBucketAsync(bucket, Ct);
        const int partSize = 5 * 1024 * 1024;
        byte[] body = RandomNumberGenerator.GetBytes(partSize + 1000);
        var source = new ForwardOnlyStream(body);
        string uploadId = (await s3.InitiateMultipartUploadAsync(bucket, "parts.bin", Ct)).UploadId;

        UploadPartResponse first = await s3.UploadPartAsync(new UploadPartRequest { BucketName = bucket, Key = "parts.bin", UploadId = uploadId, PartNumber = 1, PartSize = partSize, InputStream = source }, Ct);
        UploadPartResponse second = await s3.UploadPartAsync(new UploadPartRequest { BucketName = bucket, Key = "parts.bin", UploadId = uploadId, PartNumber = 2, PartSize = partSize, InputStream = source, IsLastPart = true }, Ct);
        await s3.CompleteMultipartUploadAsync(
            new CompleteMultipartUploadRequest { BucketName = bucket, Key = "parts.bin", UploadId = uploadId, PartETags = [new PartETag(1, first.ETag), new PartETag(2, second.ETag)] },
            Ct);

        Assert.Equal(body, await ReadAsync(engine.S3, bucket, "parts.bin"));
        AssertNoIncompatibleRequests(engine);
    }

    [Fact]
    public async Task Multipart_upload_through_TransferUtility_is_accepted_by_a_strict_engine()
    {
        await using TestEngine engine = await StartStrictAsync();
        using IHost host = WiredHost.Build(WiredHost.ConnectionString(engine.Endpoint));
        IAmazonS3 s3 = host.Services.GetRequiredService<IAmazonS3>();
        string bucket = Names.Unique("multi");
        await s3.PutBucketAsync(bucket, Ct);
        byte[] body = RandomNumberGenerator.GetBytes((12 * 1024 * 1024) + 123);
        using var transfer = new TransferUtility(s3, new TransferUtilityConfig { MinSizeBeforePartUpload = 5 * 1024 * 1024 });

        await transfer.UploadAsync(
            new TransferUtilityUploadRequest { BucketName = bucket, Key = "big.bin", InputStream = new MemoryStream(body), PartSize = 5 * 1024 * 1024 },
            Ct);

        GetObjectMetadataResponse metadata = await engine.S3.GetObjectMetadataAsync(bucket, "big.bin", Ct);
        Assert.EndsWith("-3\"", metadata.ETag, StringComparison.Ordinal); // three parts: it really was a multipart upload
        Assert.Equal(body, await ReadAsync(engine.S3, bucket, "big.bin"));
        AssertNoIncompatibleRequests(engine);
    }

    [Fact]
    public async Task SQS_calls_through_the_wired_client_are_accepted_by_a_strict_engine()
    {
        await using TestEngine engine = await StartStrictAsync();
        using IHost host = WiredHost.Build(WiredHost.ConnectionString(engine.Endpoint));
        IAmazonSQS sqs = host.Services.GetRequiredService<IAmazonSQS>();
        string queue = Names.Unique("strict");

        string url = (await sqs.CreateQueueAsync(queue, Ct)).QueueUrl;
        await sqs.SendMessageAsync(new SendMessageRequest(url, "hello") { MessageAttributes = new() { ["kind"] = new MessageAttributeValue { DataType = "String", StringValue = "greeting" } } }, Ct);
        await sqs.SendMessageBatchAsync(url, [new SendMessageBatchRequestEntry("a", "one"), new SendMessageBatchRequestEntry("b", "two")], Ct);
        var received = new List<Message>();
        for (int i = 0; i < 5 && received.Count < 3; i++)
        {
            ReceiveMessageResponse batch = await sqs.ReceiveMessageAsync(new ReceiveMessageRequest(url) { MaxNumberOfMessages = 10, WaitTimeSeconds = 1, MessageAttributeNames = ["All"] }, Ct);
            received.AddRange(batch.Messages ?? []);
        }

        foreach (Message message in received)
        {
            await sqs.DeleteMessageAsync(url, message.ReceiptHandle, Ct);
        }

        Assert.Equal(["hello", "one", "two"], received.Select(m => m.Body).Order(StringComparer.Ordinal));
        Assert.Equal("greeting", received.Single(m => m.Body == "hello").MessageAttributes["kind"].StringValue);
        GetQueueAttributesResponse attributes = await engine.Sqs.GetQueueAttributesAsync(url, ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"], Ct);
        Assert.Equal(0, attributes.ApproximateNumberOfMessages + attributes.ApproximateNumberOfMessagesNotVisible);
        AssertNoIncompatibleRequests(engine);
    }

    [Fact]
    public async Task Control_an_SDK_default_client_in_the_same_process_trips_the_strict_engine()
    {
        await using TestEngine engine = await StartStrictAsync();
        // A wired host exists in the process: its pipeline hook must not leak into other clients.
        using IHost host = WiredHost.Build(WiredHost.ConnectionString(engine.Endpoint));
        string bucket = Names.Unique("control");
        await host.Services.GetRequiredService<IAmazonS3>().PutBucketAsync(bucket, Ct);
        using var sdkDefault = new AmazonS3Client(TestEngine.Credentials, new AmazonS3Config { ServiceURL = engine.Endpoint.ToString(), ForcePathStyle = true, MaxErrorRetry = 0 });

        AmazonS3Exception error = await Assert.ThrowsAsync<AmazonS3Exception>(
            () => sdkDefault.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "k", ContentBody = "data" }, Ct));

        Assert.Equal("KumoIncompatibleRequest", error.ErrorCode);
        Assert.True(engine.Engine.Compatibility.Total >= 1, "the strict engine must count the rejected aws-chunked upload");
    }

    [Fact]
    public async Task Control_checksum_settings_alone_do_not_make_uploads_kumo_safe()
    {
        await using TestEngine engine = await StartStrictAsync();
        string bucket = Names.Unique("control");
        await engine.S3.PutBucketAsync(bucket, Ct);
        // Path-style and WHEN_REQUIRED, but no UseChunkEncoding = false: still aws-chunked (see DESIGN.md).
        using var checksumsOnly = new AmazonS3Client(TestEngine.Credentials, TestEngine.S3Config(engine.Endpoint));

        AmazonS3Exception error = await Assert.ThrowsAsync<AmazonS3Exception>(
            () => checksumsOnly.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "k", ContentBody = "data" }, Ct));

        Assert.Equal("KumoIncompatibleRequest", error.ErrorCode);
        Assert.True(engine.Engine.Compatibility.ByReason.GetValueOrDefault("aws-chunked") >= 1, "expected an aws-chunked rejection");
    }

    private static Task<TestEngine> StartStrictAsync() => TestEngine.StartAsync(o => o with { StrictKumoCompatibility = true }, persistent: false);

    private static void AssertNoIncompatibleRequests(TestEngine engine) =>
        Assert.True(
            engine.Engine.Compatibility.Total == 0,
            $"expected no kumo-incompatible requests, saw: {string.Join(", ", engine.Engine.Compatibility.ByReason.Select(kv => $"{kv.Key}={kv.Value}"))}");

    private static async Task<byte[]> ReadAsync(IAmazonS3 s3, string bucket, string key)
    {
        using GetObjectResponse response = await s3.GetObjectAsync(bucket, key, Ct);
        using var buffer = new MemoryStream();
        await response.ResponseStream.CopyToAsync(buffer, Ct);
        return buffer.ToArray();
    }

    /// <summary>A stream that can only be read forward, like a network or pipe stream.</summary>
    private sealed class ForwardOnlyStream(byte[] data) : Stream
    {
        private readonly MemoryStream _inner = new(data);

        public bool Disposed { get; private set; }

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => _inner.Read(buffer, offset, count);

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            Disposed = true;
            base.Dispose(disposing);
        }
    }
}
