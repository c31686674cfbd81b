using Amazon.DynamoDBv2;
using Amazon.S3;
using Amazon.S3.Model;
using Amazon.SQS;
using Amazon.SQS.Model;
using Kumo.Clients;

namespace Kumo.Testing;

/// <summary>Deletes everything an engine holds — every object, bucket and queue — through the AWS API; the counterpart of <see cref="KumoStateDump"/>.</summary>
/// <remarks>
/// Objects are deleted one request each (not with <c>DeleteObjects</c>, whose required checksum header kumo does not
/// handle), a few at a time. Only the AWS API is used, so it works the same against the container, the kumo binary
/// and the embedded engine. Used by the dashboard's <c>reset</c> command and <c>kumoctl reset</c>.
/// </remarks>
/// <example>
/// <code>
/// using KumoClients clients = KumoClients.Create(endpoint);
/// KumoWipe.Result wiped = await KumoWipe.WipeAsync(clients.S3, clients.Sqs);
/// Console.WriteLine(wiped);   // deleted 2 bucket(s) with 10 object(s), 1 queue(s) and 0 table(s)
/// </code>
/// </example>
public static class KumoWipe
{
    private const int Parallelism = 8;

    /// <summary>What a wipe deleted.</summary>
    /// <param name="Buckets">Buckets deleted.</param>
    /// <param name="Objects">Objects deleted.</param>
    /// <param name="Queues">Queues deleted.</param>
    public sealed record Result(int Buckets, int Objects, int Queues)
    {
        /// <summary>The DynamoDB tables deleted (0 when wiped without a DynamoDB client).</summary>
        public int Tables { get; init; }

        /// <summary>The counts in words, e.g. <c>deleted 2 bucket(s) with 10 object(s), 1 queue(s) and 0 table(s)</c>.</summary>
        /// <returns>The summary.</returns>
        public override string ToString() => $"deleted {Buckets} bucket(s) with {Objects} object(s), {Queues} queue(s) and {Tables} table(s)";
    }

    /// <summary>Deletes every bucket (with its objects), queue and DynamoDB table of one engine.</summary>
    /// <param name="clients">The engine's clients.</param>
    /// <param name="cancellationToken">Cancels the wipe.</param>
    /// <returns>What was deleted; <see cref="Result.Tables"/> counts the tables.</returns>
    /// <example>
    /// <code>
    /// using KumoClients clients = KumoClients.Create(endpoint);
    /// KumoWipe.Result wiped = await KumoWipe.WipeAsync(clients, ct);
    /// </code>
    /// </example>
    public static async Task<Result> WipeAsync(KumoClients clients, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(clients);
        Result wiped = await WipeAsync(clients.S3, clients.Sqs, cancellationToken).ConfigureAwait(false);
        int tables = await DeleteTablesAsync(clients.DynamoDB, cancellationToken).ConfigureAwait(false);
        return wiped with { Tables = tables };
    }

    /// <summary>Deletes every object, bucket and queue.</summary>
    /// <param name="s3">An S3 client for the engine.</param>
    /// <param name="sqs">An SQS client for the engine.</param>
    /// <param name="cancellationToken">Stops the wipe (what was deleted stays deleted).</param>
    /// <returns>What was deleted.</returns>
    public static async Task<Result> WipeAsync(IAmazonS3 s3, IAmazonSQS sqs, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(s3);
        ArgumentNullException.ThrowIfNull(sqs);
        var objects = 0;
        var buckets = (await s3.ListBucketsAsync(new ListBucketsRequest(), cancellationToken).ConfigureAwait(false)).Buckets ?? [];
        foreach (var bucket in buckets)
        {
            string? continuation = null;
            do
            {
                var page = await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket.BucketName, ContinuationToken = continuation }, cancellationToken).ConfigureAwait(false);
                var keys = (page.S3Objects ?? []).Select(o => o.Key).ToArray();
                await Parallel.ForEachAsync(
                    keys,
                    new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken },
                    async (key, token) => await s3.DeleteObjectAsync(bucket.BucketName, key, token).ConfigureAwait(false)).ConfigureAwait(false);
                objects += keys.Length;
                continuation = page.IsTruncated == true ? page.NextContinuationToken : null;
            }
            while (continuation is not null);

            await s3.DeleteBucketAsync(bucket.BucketName, cancellationToken).ConfigureAwait(false);
        }

        var queueUrls = new List<string>();
        string? next = null;
        do
        {
            var page = await sqs.ListQueuesAsync(new ListQueuesRequest { MaxResults = 1000, NextToken = next }, cancellationToken).ConfigureAwait(false);
            queueUrls.AddRange(page.QueueUrls ?? []);
            next = string.IsNullOrEmpty(page.NextToken) ? null : page.NextToken;
        }
        while (next is not null);

        foreach (var url in queueUrls)
        {
            await sqs.DeleteQueueAsync(url, cancellationToken).ConfigureAwait(false);
        }

        return new Result(buckets.Count, objects, queueUrls.Count);
    }

    private static async Task<int> DeleteTablesAsync(IAmazonDynamoDB dynamo, CancellationToken cancellationToken)
    {
        List<string> names = await DynamoTables.ListNamesAsync(dynamo, cancellationToken).ConfigureAwait(false);
        foreach (string name in names)
        {
            await dynamo.DeleteTableAsync(name, cancellationToken).ConfigureAwait(false);
        }

        return names.Count;
    }
}
