using System.Collections.Concurrent;
using System.Globalization;
using Amazon.S3.Model;
using Amazon.SQS.Model;

namespace Kumo.Seeding;

/// <summary>Phase 2 of a seed run: objects are uploaded unless the same bytes are there; queues are purged and their messages sent.</summary>
internal sealed partial class SeedRun
{
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
        if (listing.TryGetValue(item.Key, out S3Object? existing) && SeedComparison.SameBytes(existing.ETag, existing.Size, digest.Md5Hex, digest.Length))
        {
            GetObjectMetadataResponse head = await Call($"HeadObject '{item.Key}' in bucket '{bucket}'", resource, write: false,
                () => _s3.GetObjectMetadataAsync(new GetObjectMetadataRequest { BucketName = bucket, Key = item.Key }, cancellationToken)).ConfigureAwait(false);
            if (head.Headers.ContentType == item.ContentType && SeedComparison.SameMetadata(head.Metadata, item.Metadata))
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
}
