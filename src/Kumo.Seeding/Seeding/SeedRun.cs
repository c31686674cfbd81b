using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using Amazon.DynamoDBv2;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Amazon.SQS;
using Amazon.SQS.Model;
using Microsoft.Extensions.Logging;

namespace Kumo.Seeding;

/// <summary>
/// One execution of <see cref="KumoSeeder.SeedAsync"/>: the state the phases share, the order they run in, and the
/// engine calls, progress and error wrapping they all use. Each phase is its own file (<c>SeedRun.Containers.cs</c>,
/// <c>SeedRun.Populate.cs</c>, <c>SeedRun.Verify.cs</c>); the comparisons are <see cref="SeedComparison"/>.
/// </summary>
internal sealed partial class SeedRun
{
    private const int SendBatchSize = 10;

    private readonly IAmazonS3 _s3;
    private readonly IAmazonSQS _sqs;
    private readonly IAmazonDynamoDB? _dynamo;
    private readonly ILogger _logger;
    private readonly ResolvedSeedPlan _plan;
    private readonly SeedOptions _options;
    private readonly ConcurrentDictionary<string, string> _queueUrls = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _queueArns = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, bool> _createdQueues = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<ResolvedObject, Digest> _digests = new();
    private int _bucketsCreated;
    private int _bucketsExisting;
    private int _objectsUploaded;
    private int _objectsSkipped;
    private int _queuesCreated;
    private int _queuesExisting;
    private int _queuesUpdated;
    private int _queuesPurged;
    private int _messagesSent;
    private int _writes;
    private int _done;

    public SeedRun(IAmazonS3 s3, IAmazonSQS sqs, IAmazonDynamoDB? dynamo, ILogger logger, ResolvedSeedPlan plan, SeedOptions options)
    {
        _s3 = s3;
        _sqs = sqs;
        _dynamo = dynamo;
        _logger = logger;
        _plan = plan;
        _options = options;
    }

    public async Task<SeedReport> RunAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var clock = Stopwatch.StartNew();
        SeedLog.Starting(_logger, _plan.Buckets.Count, _plan.Buckets.Sum(b => b.Objects.Count), _plan.Queues.Count, _plan.Context.RunId, _plan.Context.WorkerId, _plan.Plan.FixtureVersion);

        await CreateContainersAsync(cancellationToken).ConfigureAwait(false);
        await PopulateAsync(cancellationToken).ConfigureAwait(false);
        await SeedTablesAsync(cancellationToken).ConfigureAwait(false);
        if (_options.Verify)
        {
            await VerifyAsync(cancellationToken).ConfigureAwait(false);
        }

        var report = new SeedReport(_bucketsCreated, _bucketsExisting, _objectsUploaded, _objectsSkipped, _queuesCreated, _queuesExisting, _queuesUpdated, _queuesPurged, _messagesSent, _writes, clock.Elapsed)
        {
            TablesCreated = _tablesCreated,
            TablesExisting = _tablesExisting,
            ItemsWritten = _itemsWritten,
            ItemsSkipped = _itemsSkipped,
            ItemsDiffering = _itemsDiffering,
        };
        SeedLog.Finished(_logger, clock.ElapsedMilliseconds, report.BucketsCreated, report.BucketsExisting, report.ObjectsUploaded, report.ObjectsSkipped, report.QueuesCreated, report.QueuesExisting, report.MessagesSent, report.WriteRequests);
        return report;
    }

    // ---- helpers -------------------------------------------------------------------------------

    private async Task<HashSet<string>> ListBucketNamesAsync(CancellationToken cancellationToken)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        string? token = null;
        do
        {
            string? continuation = token;
            ListBucketsResponse response = await Call("ListBuckets", "s3://", write: false,
                () => _s3.ListBucketsAsync(new ListBucketsRequest { ContinuationToken = continuation }, cancellationToken)).ConfigureAwait(false);
            foreach (S3Bucket bucket in response.Buckets ?? [])
            {
                names.Add(bucket.BucketName);
            }

            token = string.IsNullOrEmpty(response.ContinuationToken) || response.ContinuationToken == continuation ? null : response.ContinuationToken;
        }
        while (token is not null);

        return names;
    }

    private async Task<Dictionary<string, S3Object>> ListObjectsAsync(string bucket, CancellationToken cancellationToken)
    {
        var objects = new Dictionary<string, S3Object>(StringComparer.Ordinal);
        string? token = null;
        do
        {
            string? continuation = token;
            ListObjectsV2Response response = await Call($"ListObjectsV2 '{bucket}'", S3Uri(bucket), write: false,
                () => _s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket, ContinuationToken = continuation }, cancellationToken)).ConfigureAwait(false);
            foreach (S3Object item in response.S3Objects ?? [])
            {
                objects[item.Key] = item;
            }

            token = response.IsTruncated == true && !string.IsNullOrEmpty(response.NextContinuationToken) ? response.NextContinuationToken : null;
        }
        while (token is not null);

        return objects;
    }

    private async Task<string?> TryGetQueueUrlAsync(string name, CancellationToken cancellationToken)
    {
        try
        {
            GetQueueUrlResponse response = await _sqs.GetQueueUrlAsync(new GetQueueUrlRequest { QueueName = name }, cancellationToken).ConfigureAwait(false);
            return response.QueueUrl;
        }
        catch (AmazonSQSException e) when (SeedComparison.IsMissingQueue(e))
        {
            return null;
        }
        catch (Exception e) when (IsEngineFailure(e))
        {
            throw Wrap($"GetQueueUrl '{name}'", SqsUri(name), e);
        }
    }

    private async Task<Dictionary<string, string>> GetQueueAttributesAsync(string name, string url, CancellationToken cancellationToken)
    {
        GetQueueAttributesResponse response = await Call($"GetQueueAttributes '{name}'", SqsUri(name), write: false,
            () => _sqs.GetQueueAttributesAsync(new GetQueueAttributesRequest { QueueUrl = url, AttributeNames = ["All"] }, cancellationToken)).ConfigureAwait(false);
        return response.Attributes ?? [];
    }

    private async Task<Digest> DigestAsync(ResolvedObject item, CancellationToken cancellationToken)
    {
        if (_digests.TryGetValue(item, out Digest? known))
        {
            return known;
        }

        await using Stream stream = item.OpenRead();
#pragma warning disable CA5351 // MD5 is what S3 reports as the ETag of a single-part upload; it is compared, not trusted.
        byte[] md5 = await MD5.HashDataAsync(stream, cancellationToken).ConfigureAwait(false);
#pragma warning restore CA5351
        var digest = new Digest(Convert.ToHexStringLower(md5), stream.Length);
        _digests[item] = digest;
        return digest;
    }

    private async Task<T> Call<T>(string operation, string resource, bool write, Func<Task<T>> call)
    {
        if (write)
        {
            Interlocked.Increment(ref _writes);
        }

        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (Exception e) when (IsEngineFailure(e))
        {
            throw Wrap(operation, resource, e);
        }
    }

    private static bool IsEngineFailure(Exception e) => e is AmazonServiceException or AmazonClientException or HttpRequestException or IOException;

    private static SeedException Wrap(string operation, string resource, Exception e) => e switch
    {
        AmazonServiceException service => new SeedException(
            $"{operation} failed for {resource}: {service.ErrorCode ?? ((int)service.StatusCode).ToString(CultureInfo.InvariantCulture)}: {service.Message}", resource, e),
        _ => new SeedException($"{operation} failed for {resource}: the engine could not be reached or the connection failed ({e.GetType().Name}: {e.Message}). Is the engine running at the client's endpoint?", resource, e),
    };

    private Task ForEachAsync<T>(IEnumerable<T> items, Func<T, CancellationToken, ValueTask> body, CancellationToken cancellationToken) =>
        Parallel.ForEachAsync(items, new ParallelOptions { MaxDegreeOfParallelism = _options.MaxParallelism, CancellationToken = cancellationToken }, body);

    private void StartPhase(SeedPhase phase, int total, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Volatile.Write(ref _done, 0);
        SeedLog.PhaseStarting(_logger, phase, total);
        _options.Progress?.Report(new SeedProgress(phase, 0, total, null));
    }

    private void Advance(SeedPhase phase, int total, string current)
    {
        int done = Interlocked.Increment(ref _done);
        _options.Progress?.Report(new SeedProgress(phase, done, total, current));
    }

    private static string S3Uri(string bucket, string? key = null) => key is null ? $"s3://{bucket}" : $"s3://{bucket}/{key}";

    private static string SqsUri(string queue) => $"sqs://{queue}";

    private sealed record Digest(string Md5Hex, long Length);
}
