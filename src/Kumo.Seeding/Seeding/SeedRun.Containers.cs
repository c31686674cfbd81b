using System.Text;
using System.Text.Json;
using Amazon.S3;
using Amazon.S3.Model;
using Amazon.SQS.Model;
using Kumo.Contract;

namespace Kumo.Seeding;

/// <summary>Phase 1 of a seed run: buckets and queues exist (dead-letter queues before their sources) with the plan's attributes.</summary>
internal sealed partial class SeedRun
{
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
            if (SeedComparison.IsFifo(actual) != queue.Fifo)
            {
                throw new SeedException($"Queue '{queue.Name}' already exists as a {(SeedComparison.IsFifo(actual) ? "FIFO" : "standard")} queue, but the plan declares it {(queue.Fifo ? "FIFO" : "standard")}. Delete the queue or rename it in the plan.", resource, null);
            }

            var changes = desired.Where(d => d.Key != SqsQueueAttributeRules.FifoQueue && !SeedComparison.AttributeMatches(d.Key, d.Value, actual)).ToDictionary(d => d.Key, d => d.Value, StringComparer.Ordinal);
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
}
