using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Amazon.SQS;
using Amazon.SQS.Model;
using Kumo.Contract;
using Microsoft.Extensions.Logging;

namespace Kumo.Seeding;

/// <summary>One execution of <see cref="KumoSeeder.SeedAsync"/>: the phases and the state they share.</summary>
internal sealed class SeedRun
{
    private const int SendBatchSize = 10;
    private const string MetadataHeaderPrefix = "x-amz-meta-";

    private readonly IAmazonS3 _s3;
    private readonly IAmazonSQS _sqs;
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

    public SeedRun(IAmazonS3 s3, IAmazonSQS sqs, ILogger logger, ResolvedSeedPlan plan, SeedOptions options)
    {
        _s3 = s3;
        _sqs = sqs;
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
        if (_options.Verify)
        {
            await VerifyAsync(cancellationToken).ConfigureAwait(false);
        }

        var report = new SeedReport(_bucketsCreated, _bucketsExisting, _objectsUploaded, _objectsSkipped, _queuesCreated, _queuesExisting, _queuesUpdated, _queuesPurged, _messagesSent, _writes, clock.Elapsed);
        SeedLog.Finished(_logger, clock.ElapsedMilliseconds, report.BucketsCreated, report.BucketsExisting, report.ObjectsUploaded, report.ObjectsSkipped, report.QueuesCreated, report.QueuesExisting, report.MessagesSent, report.WriteRequests);
        return report;
    }

    // ---- phase 1: containers -------------------------------------------------------------------

    private async Task CreateContainersAsync(CancellationToken cancellationToken)
    {
        int total = _plan.Buckets.Count + _plan.Queues.Count;
        StartPhase(SeedPhase.CreateContainers, total, cancellationToken);

        HashSet<string> existing = _plan.Buckets.Count == 0 ? [] : await ListBucketNamesAsync(cancellationToken).ConfigureAwait(false);
        await ForEachAsync(_plan.Buckets, async (bucket, token) =>
        {
            if (existing.Contains(bucket.Name))
            {
                Interlocked.Increment(ref _bucketsExisting);
            }
            else
            {
                try
                {
                    await Call($"CreateBucket '{bucket.Name}'", S3Uri(bucket.Name), write: true, () => _s3.PutBucketAsync(new PutBucketRequest { BucketName = bucket.Name }, token)).ConfigureAwait(false);
                    Interlocked.Increment(ref _bucketsCreated);
                    SeedLog.BucketCreated(_logger, bucket.Name);
                }
                catch (SeedException e) when (e.InnerException is AmazonS3Exception { ErrorCode: "BucketAlreadyOwnedByYou" })
                {
                    Interlocked.Increment(ref _bucketsExisting);
                }
            }

            Advance(SeedPhase.CreateContainers, total, S3Uri(bucket.Name));
        }, cancellationToken).ConfigureAwait(false);

        foreach (IGrouping<int, ResolvedQueue> level in QueueLevels())
        {
            await ForEachAsync(level, async (queue, token) =>
            {
                await EnsureQueueAsync(queue, token).ConfigureAwait(false);
                Advance(SeedPhase.CreateContainers, total, SqsUri(queue.Name));
            }, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Groups queues so that every dead-letter queue is in an earlier group than its sources.</summary>
    private IEnumerable<IGrouping<int, ResolvedQueue>> QueueLevels()
    {
        var byName = _plan.Queues.ToDictionary(q => q.Name, StringComparer.Ordinal);
        var depth = new Dictionary<string, int>(StringComparer.Ordinal);

        int Depth(ResolvedQueue queue)
        {
            if (depth.TryGetValue(queue.Name, out int known))
            {
                return known;
            }

            depth[queue.Name] = 0;
            int value = queue.DeadLetterQueue is { } target && byName.TryGetValue(target, out ResolvedQueue? dlq) ? Depth(dlq) + 1 : 0;
            depth[queue.Name] = value;
            return value;
        }

        return _plan.Queues.GroupBy(Depth).OrderBy(g => g.Key);
    }

    private async Task EnsureQueueAsync(ResolvedQueue queue, CancellationToken cancellationToken)
    {
        Dictionary<string, string> desired = DesiredAttributes(queue);
        string resource = SqsUri(queue.Name);
        string? url = await TryGetQueueUrlAsync(queue.Name, cancellationToken).ConfigureAwait(false);
        Dictionary<string, string> actual;
        if (url is null)
        {
            CreateQueueResponse created = await Call($"CreateQueue '{queue.Name}'", resource, write: true,
                () => _sqs.CreateQueueAsync(new CreateQueueRequest { QueueName = queue.Name, Attributes = desired }, cancellationToken)).ConfigureAwait(false);
            url = created.QueueUrl;
            _createdQueues[queue.Name] = true;
            Interlocked.Increment(ref _queuesCreated);
            SeedLog.QueueCreated(_logger, queue.Name);
            actual = await GetQueueAttributesAsync(queue.Name, url, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            Interlocked.Increment(ref _queuesExisting);
            actual = await GetQueueAttributesAsync(queue.Name, url, cancellationToken).ConfigureAwait(false);
            if (IsFifo(actual) != queue.Fifo)
            {
                throw new SeedException($"Queue '{queue.Name}' already exists as a {(IsFifo(actual) ? "FIFO" : "standard")} queue, but the plan declares it {(queue.Fifo ? "FIFO" : "standard")}. Delete the queue or rename it in the plan.", resource, null);
            }

            var changes = desired.Where(d => d.Key != SqsQueueAttributeRules.FifoQueue && !AttributeMatches(d.Key, d.Value, actual)).ToDictionary(d => d.Key, d => d.Value, StringComparer.Ordinal);
            if (changes.Count > 0)
            {
                await Call($"SetQueueAttributes '{queue.Name}' ({string.Join(", ", changes.Keys)})", resource, write: true,
                    () => _sqs.SetQueueAttributesAsync(new SetQueueAttributesRequest { QueueUrl = url, Attributes = changes }, cancellationToken)).ConfigureAwait(false);
                Interlocked.Increment(ref _queuesUpdated);
                SeedLog.QueueUpdated(_logger, queue.Name, string.Join(", ", changes.Keys));
            }
        }

        _queueUrls[queue.Name] = url;
        _queueArns[queue.Name] = actual.TryGetValue(SqsQueueAttributeRules.QueueArn, out string? arn) && arn.Length > 0
            ? arn
            : $"arn:aws:sqs:{KumoDefaults.Region}:{KumoDefaults.AccountId}:{queue.Name}";
    }

    private Dictionary<string, string> DesiredAttributes(ResolvedQueue queue)
    {
        var desired = new Dictionary<string, string>(queue.Seed.Attributes, StringComparer.Ordinal);
        if (queue.Fifo)
        {
            desired[SqsQueueAttributeRules.FifoQueue] = "true";
        }

        if (queue.DeadLetterQueue is { } target)
        {
            string arn = _queueArns.TryGetValue(target, out string? known)
                ? known
                : throw new InvalidOperationException($"Dead-letter queue '{target}' was not created before '{queue.Name}'.");
            desired[SqsQueueAttributeRules.RedrivePolicy] = RedrivePolicy(arn, queue.MaxReceiveCount ?? 0);
        }

        return desired;
    }

    private static string RedrivePolicy(string deadLetterArn, int maxReceiveCount)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("deadLetterTargetArn", deadLetterArn);
            writer.WriteNumber("maxReceiveCount", maxReceiveCount);
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    // ---- phase 2: populate ---------------------------------------------------------------------

    private async Task PopulateAsync(CancellationToken cancellationToken)
    {
        var messageQueues = _plan.Queues.Where(q => q.Seed.ReplaceMessages || (_createdQueues.ContainsKey(q.Name) && q.Seed.Messages.Count > 0)).ToList();
        int total = _plan.Buckets.Sum(b => b.Objects.Count) + messageQueues.Count;
        StartPhase(SeedPhase.Populate, total, cancellationToken);

        var listings = new ConcurrentDictionary<string, Dictionary<string, S3Object>>(StringComparer.Ordinal);
        await ForEachAsync(_plan.Buckets.Where(b => b.Objects.Count > 0), async (bucket, token) =>
            listings[bucket.Name] = await ListObjectsAsync(bucket.Name, token).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);

        var work = _plan.Buckets.SelectMany(b => b.Objects.Select(o => (Bucket: b.Name, Object: o))).ToList();
        await ForEachAsync(work, async (item, token) =>
        {
            await EnsureObjectAsync(item.Bucket, item.Object, listings[item.Bucket], token).ConfigureAwait(false);
            Advance(SeedPhase.Populate, total, S3Uri(item.Bucket, item.Object.Key));
        }, cancellationToken).ConfigureAwait(false);

        await ForEachAsync(messageQueues, async (queue, token) =>
        {
            await SendMessagesAsync(queue, token).ConfigureAwait(false);
            Advance(SeedPhase.Populate, total, SqsUri(queue.Name));
        }, cancellationToken).ConfigureAwait(false);
    }

    private async Task EnsureObjectAsync(string bucket, ResolvedObject item, Dictionary<string, S3Object> listing, CancellationToken cancellationToken)
    {
        string resource = S3Uri(bucket, item.Key);
        Digest digest = await DigestAsync(item, cancellationToken).ConfigureAwait(false);
        if (listing.TryGetValue(item.Key, out S3Object? existing) && SameBytes(existing.ETag, existing.Size, digest))
        {
            GetObjectMetadataResponse head = await Call($"HeadObject '{item.Key}' in bucket '{bucket}'", resource, write: false,
                () => _s3.GetObjectMetadataAsync(new GetObjectMetadataRequest { BucketName = bucket, Key = item.Key }, cancellationToken)).ConfigureAwait(false);
            if (head.Headers.ContentType == item.ContentType && SameMetadata(head.Metadata, item.Metadata))
            {
                Interlocked.Increment(ref _objectsSkipped);
                return;
            }
        }

        await using Stream body = item.OpenRead();
        var request = new PutObjectRequest
        {
            BucketName = bucket,
            Key = item.Key,
            InputStream = body,
            AutoCloseStream = false,
            ContentType = item.ContentType,
            UseChunkEncoding = false,
        };
        foreach ((string name, string value) in item.Metadata)
        {
            request.Metadata[name] = value;
        }

        await Call($"PutObject '{item.Key}' in bucket '{bucket}'", resource, write: true, () => _s3.PutObjectAsync(request, cancellationToken)).ConfigureAwait(false);
        Interlocked.Increment(ref _objectsUploaded);
        SeedLog.ObjectUploaded(_logger, bucket, item.Key, digest.Length);
    }

    private async Task SendMessagesAsync(ResolvedQueue queue, CancellationToken cancellationToken)
    {
        string url = _queueUrls[queue.Name];
        string resource = SqsUri(queue.Name);
        if (queue.Seed.ReplaceMessages && !_createdQueues.ContainsKey(queue.Name))
        {
            await Call($"PurgeQueue '{queue.Name}'", resource, write: true, () => _sqs.PurgeQueueAsync(new PurgeQueueRequest { QueueUrl = url }, cancellationToken)).ConfigureAwait(false);
            Interlocked.Increment(ref _queuesPurged);
            SeedLog.QueuePurged(_logger, queue.Name);
        }

        IReadOnlyList<MessageSeed> messages = queue.Seed.Messages;
        for (int start = 0; start < messages.Count; start += SendBatchSize)
        {
            var entries = new List<SendMessageBatchRequestEntry>();
            for (int i = start; i < Math.Min(start + SendBatchSize, messages.Count); i++)
            {
                MessageSeed message = messages[i];
                var entry = new SendMessageBatchRequestEntry { Id = i.ToString(CultureInfo.InvariantCulture), MessageBody = message.Body };
                if (message.GroupId is not null)
                {
                    entry.MessageGroupId = message.GroupId;
                }

                if (message.DeduplicationId is not null)
                {
                    entry.MessageDeduplicationId = message.DeduplicationId;
                }

                if (message.Attributes.Count > 0)
                {
                    entry.MessageAttributes = message.Attributes.ToDictionary(a => a.Key, a => new MessageAttributeValue { DataType = a.Value.DataType, StringValue = a.Value.Value }, StringComparer.Ordinal);
                }

                entries.Add(entry);
            }

            SendMessageBatchResponse response = await Call($"SendMessageBatch to '{queue.Name}'", resource, write: true,
                () => _sqs.SendMessageBatchAsync(new SendMessageBatchRequest { QueueUrl = url, Entries = entries }, cancellationToken)).ConfigureAwait(false);
            if (response.Failed is { Count: > 0 } failed)
            {
                BatchResultErrorEntry first = failed[0];
                throw new SeedException($"SendMessageBatch to '{queue.Name}' failed for {failed.Count} message(s); message #{first.Id}: {first.Code}: {first.Message}", resource, null);
            }

            Interlocked.Add(ref _messagesSent, entries.Count);
        }

        SeedLog.MessagesSent(_logger, queue.Name, messages.Count);
    }

    // ---- phase 3: verify -----------------------------------------------------------------------

    private async Task VerifyAsync(CancellationToken cancellationToken)
    {
        int total = _plan.Buckets.Count + _plan.Queues.Count;
        StartPhase(SeedPhase.Verify, total, cancellationToken);
        var mismatches = new ConcurrentBag<(int Order, string Text)>();

        HashSet<string> buckets = _plan.Buckets.Count == 0 ? [] : await ListBucketNamesAsync(cancellationToken).ConfigureAwait(false);
        var order = _plan.Buckets.Select((b, i) => (b.Name, i)).ToDictionary(x => x.Name, x => x.i, StringComparer.Ordinal);
        await ForEachAsync(_plan.Buckets, async (bucket, token) =>
        {
            if (!buckets.Contains(bucket.Name))
            {
                mismatches.Add((order[bucket.Name], $"bucket '{bucket.Name}' is missing"));
            }
            else if (bucket.Objects.Count > 0)
            {
                Dictionary<string, S3Object> listing = await ListObjectsAsync(bucket.Name, token).ConfigureAwait(false);
                foreach (ResolvedObject item in bucket.Objects)
                {
                    Digest digest = await DigestAsync(item, token).ConfigureAwait(false);
                    if (!listing.TryGetValue(item.Key, out S3Object? found))
                    {
                        mismatches.Add((order[bucket.Name], $"object '{item.Key}' is missing from bucket '{bucket.Name}' ({S3Uri(bucket.Name, item.Key)})"));
                    }
                    else if (!SameBytes(found.ETag, found.Size, digest))
                    {
                        mismatches.Add((order[bucket.Name], $"object '{item.Key}' in bucket '{bucket.Name}' has ETag {found.ETag} and size {found.Size}, expected \"{digest.Md5Hex}\" and {digest.Length}"));
                    }
                }
            }

            Advance(SeedPhase.Verify, total, S3Uri(bucket.Name));
        }, cancellationToken).ConfigureAwait(false);

        int queueOrder = _plan.Buckets.Count;
        await ForEachAsync(_plan.Queues, async (queue, token) =>
        {
            string? url = await TryGetQueueUrlAsync(queue.Name, token).ConfigureAwait(false);
            if (url is null)
            {
                mismatches.Add((queueOrder, $"queue '{queue.Name}' is missing"));
            }
            else
            {
                Dictionary<string, string> actual = await GetQueueAttributesAsync(queue.Name, url, token).ConfigureAwait(false);
                foreach ((string name, string value) in DesiredAttributes(queue))
                {
                    if (!AttributeMatches(name, value, actual))
                    {
                        mismatches.Add((queueOrder, $"queue '{queue.Name}' has {name} = '{actual.GetValueOrDefault(name) ?? "(unset)"}', expected '{value}'"));
                    }
                }

                if (!queue.Fifo && IsFifo(actual))
                {
                    mismatches.Add((queueOrder, $"queue '{queue.Name}' is FIFO, expected a standard queue"));
                }
            }

            Advance(SeedPhase.Verify, total, SqsUri(queue.Name));
        }, cancellationToken).ConfigureAwait(false);

        if (!mismatches.IsEmpty)
        {
            throw new SeedVerificationException(mismatches.OrderBy(m => m.Order).ThenBy(m => m.Text, StringComparer.Ordinal).Select(m => m.Text).ToArray());
        }
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
        catch (AmazonSQSException e) when (IsMissingQueue(e))
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

    private static bool IsMissingQueue(AmazonSQSException e) =>
        e is QueueDoesNotExistException
        || e.ErrorCode is "AWS.SimpleQueueService.NonExistentQueue" or "QueueDoesNotExist" or "NonExistentQueue"
        || (e.StatusCode == HttpStatusCode.BadRequest && e.ErrorCode?.Contains("NonExistentQueue", StringComparison.Ordinal) == true);

    private static bool IsFifo(Dictionary<string, string> attributes) =>
        attributes.TryGetValue(SqsQueueAttributeRules.FifoQueue, out string? fifo) && string.Equals(fifo, "true", StringComparison.OrdinalIgnoreCase);

    private static bool AttributeMatches(string name, string desired, Dictionary<string, string> actual)
    {
        if (!actual.TryGetValue(name, out string? value))
        {
            return false;
        }

        if (value == desired)
        {
            return true;
        }

        if (name == SqsQueueAttributeRules.RedrivePolicy)
        {
            return SameRedrivePolicy(desired, value);
        }

        if (bool.TryParse(desired, out bool a) && bool.TryParse(value, out bool b))
        {
            return a == b;
        }

        try
        {
            using var left = JsonDocument.Parse(desired);
            using var right = JsonDocument.Parse(value);
            return left.RootElement.ValueKind is JsonValueKind.Object or JsonValueKind.Array && JsonElement.DeepEquals(left.RootElement, right.RootElement);
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static bool SameRedrivePolicy(string desired, string actual)
    {
        try
        {
            using var left = JsonDocument.Parse(desired);
            using var right = JsonDocument.Parse(actual);
            return Field(left.RootElement, "deadLetterTargetArn") == Field(right.RootElement, "deadLetterTargetArn")
                && Field(left.RootElement, "maxReceiveCount") == Field(right.RootElement, "maxReceiveCount");
        }
        catch (JsonException)
        {
            return false;
        }

        static string? Field(JsonElement element, string name) =>
            element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out JsonElement value)
                ? value.ValueKind == JsonValueKind.String ? value.GetString() : value.GetRawText()
                : null;
    }

    private static bool SameBytes(string? etag, long? size, Digest digest) =>
        etag is not null && string.Equals(etag.Trim('"'), digest.Md5Hex, StringComparison.OrdinalIgnoreCase) && (size is null || size == digest.Length);

    private static bool SameMetadata(MetadataCollection actual, IReadOnlyDictionary<string, string> desired)
    {
        var found = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string key in actual.Keys)
        {
            string name = key.StartsWith(MetadataHeaderPrefix, StringComparison.OrdinalIgnoreCase) ? key[MetadataHeaderPrefix.Length..] : key;
            found[name.ToLowerInvariant()] = actual[key];
        }

        return found.Count == desired.Count && desired.All(d => found.TryGetValue(d.Key, out string? value) && value == d.Value);
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
