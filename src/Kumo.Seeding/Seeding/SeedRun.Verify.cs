using System.Collections.Concurrent;
using Amazon.S3.Model;
using Kumo.Contract;

namespace Kumo.Seeding;

/// <summary>Phase 3 of a seed run: every object, queue and attribute of the plan is read back and compared.</summary>
internal sealed partial class SeedRun
{
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
                    else if (!SeedComparison.SameBytes(found.ETag, found.Size, digest.Md5Hex, digest.Length))
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
                    if (!SeedComparison.AttributeMatches(name, value, actual))
                    {
                        mismatches.Add((queueOrder, $"queue '{queue.Name}' has {name} = '{actual.GetValueOrDefault(name) ?? "(unset)"}', expected '{value}'"));
                    }
                }

                if (!queue.Fifo && SeedComparison.IsFifo(actual))
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
}
