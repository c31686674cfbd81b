using System.Globalization;
using System.Text.Json;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.DocumentModel;
using Amazon.DynamoDBv2.Model;
using Amazon.S3;
using Amazon.S3.Model;
using Amazon.SQS;
using Amazon.SQS.Model;
using Kumo.Clients;
using Kumo.Storage;

namespace Kumo.Testing;

/// <summary>
/// A picture of what an engine holds — buckets with keys, sizes and ETags; queues with attributes
/// and approximate message counts — for failure reports.
/// </summary>
/// <remarks>
/// <para>
/// <see cref="CaptureAsync(KumoClients, CancellationToken)"/> only reads (ListBuckets, ListObjectsV2, ListQueues, ListTables, DescribeTable, Scan,
/// GetQueueAttributes); it never receives messages, so it does not disturb visibility. It is meant
/// for failure paths: errors (e.g. an engine that is down) are recorded in <see cref="Errors"/>
/// instead of thrown. At most <see cref="MaxObjectsPerBucket"/> keys are listed per bucket.
/// </para>
/// <para>
/// The JSON form (<see cref="ToJson"/>, <see cref="WriteAsync"/>) uses source-generated
/// serialization and is stable: buckets, keys and queues sorted ordinally.
/// </para>
/// </remarks>
/// <example>
/// <code>
/// KumoStateDump dump = await KumoStateDump.CaptureAsync(s3, sqs);
/// await dump.WriteAsync("TestResults/state.json");
/// </code>
/// </example>
public sealed class KumoStateDump
{
    /// <summary>The most keys listed per bucket.</summary>
    public const int MaxObjectsPerBucket = 1000;

    /// <summary>The most items listed per table (all are counted), so a dump stays small.</summary>
    public const int MaxItemsPerTable = 100;

    /// <summary>When the dump was taken (UTC).</summary>
    public required DateTimeOffset CapturedAt { get; init; }

    /// <summary>The buckets, sorted by name.</summary>
    public required IReadOnlyList<BucketState> Buckets { get; init; }

    /// <summary>The queues, sorted by name.</summary>
    public required IReadOnlyList<QueueState> Queues { get; init; }

    /// <summary>The DynamoDB tables, ordered by name (empty in dumps taken without a DynamoDB client).</summary>
    public IReadOnlyList<TableState> Tables { get; init; } = [];

    /// <summary>Problems met while capturing (the dump is then partial).</summary>
    public required IReadOnlyList<string> Errors { get; init; }

    /// <summary>Reads the engine's buckets and queues.</summary>
    /// <param name="s3">An S3 client pointed at the engine.</param>
    /// <param name="sqs">An SQS client pointed at the engine.</param>
    /// <param name="cancellationToken">Cancels the capture.</param>
    /// <returns>The dump; partial (with <see cref="Errors"/>) when a request failed.</returns>
    public static async Task<KumoStateDump> CaptureAsync(IAmazonS3 s3, IAmazonSQS sqs, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(s3);
        ArgumentNullException.ThrowIfNull(sqs);
        var errors = new List<string>();
        DateTimeOffset capturedAt = DateTimeOffset.UtcNow;
        List<BucketState> buckets = await CaptureBucketsAsync(s3, errors, cancellationToken).ConfigureAwait(false);
        List<QueueState> queues = await CaptureQueuesAsync(sqs, errors, cancellationToken).ConfigureAwait(false);
        return new KumoStateDump { CapturedAt = capturedAt, Buckets = buckets, Queues = queues, Errors = errors };
    }

    /// <summary>Captures the state of every bucket, queue and DynamoDB table of one engine (items bounded per table).</summary>
    /// <param name="clients">The engine's clients.</param>
    /// <param name="cancellationToken">Cancels the capture.</param>
    /// <returns>The dump; failures are recorded in <see cref="Errors"/>, not thrown.</returns>
    /// <example>
    /// <code>
    /// using KumoClients clients = KumoClients.Create(endpoint);
    /// KumoStateDump dump = await KumoStateDump.CaptureAsync(clients, ct);
    /// </code>
    /// </example>
    public static async Task<KumoStateDump> CaptureAsync(KumoClients clients, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(clients);
        KumoStateDump dump = await CaptureAsync(clients.S3, clients.Sqs, cancellationToken).ConfigureAwait(false);
        var errors = new List<string>(dump.Errors);
        List<TableState> tables = await CaptureTablesAsync(clients.DynamoDB, errors, cancellationToken).ConfigureAwait(false);
        return new KumoStateDump { CapturedAt = dump.CapturedAt, Buckets = dump.Buckets, Queues = dump.Queues, Tables = tables, Errors = errors };
    }

    /// <summary>Parses a dump written by <see cref="ToJson"/>.</summary>
    /// <param name="json">The JSON.</param>
    /// <returns>The dump.</returns>
    public static KumoStateDump FromJson(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        return JsonSerializer.Deserialize(json, StateDumpJsonContext.Default.KumoStateDump) ?? throw new JsonException("The state dump is null.");
    }

    /// <summary>The dump as indented JSON.</summary>
    /// <returns>The JSON text.</returns>
    public string ToJson() => JsonSerializer.Serialize(this, StateDumpJsonContext.Default.KumoStateDump);

    /// <summary>Writes the dump as JSON to <paramref name="path"/>, atomically.</summary>
    /// <param name="path">The file to create or replace; its directory must exist.</param>
    /// <param name="cancellationToken">Cancels the write; the file is then untouched.</param>
    /// <returns>A task that completes when the file is durable.</returns>
    public Task WriteAsync(string path, CancellationToken cancellationToken = default) =>
        AtomicFile.WriteAsync(path, (stream, token) => JsonSerializer.SerializeAsync(stream, this, StateDumpJsonContext.Default.KumoStateDump, token), cancellationToken);

    private static async Task<List<BucketState>> CaptureBucketsAsync(IAmazonS3 s3, List<string> errors, CancellationToken cancellationToken)
    {
        var result = new List<BucketState>();
        List<string> names;
        try
        {
            ListBucketsResponse response = await s3.ListBucketsAsync(new ListBucketsRequest(), cancellationToken).ConfigureAwait(false);
            names = (response.Buckets ?? []).Select(b => b.BucketName).Order(StringComparer.Ordinal).ToList();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            errors.Add($"ListBuckets failed: {e.GetType().Name}: {e.Message}");
            return result;
        }

        foreach (string name in names)
        {
            var objects = new List<ObjectState>();
            bool truncated = false;
            try
            {
                string? token = null;
                do
                {
                    ListObjectsV2Response page = await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = name, ContinuationToken = token }, cancellationToken).ConfigureAwait(false);
                    foreach (S3Object item in page.S3Objects ?? [])
                    {
                        if (objects.Count == MaxObjectsPerBucket)
                        {
                            truncated = true;
                            break;
                        }

                        objects.Add(new ObjectState(item.Key, item.Size ?? 0, item.ETag?.Trim('"') ?? string.Empty, item.LastModified is { } modified ? new DateTimeOffset(modified.ToUniversalTime(), TimeSpan.Zero) : null));
                    }

                    token = !truncated && page.IsTruncated == true ? page.NextContinuationToken : null;
                }
                while (!string.IsNullOrEmpty(token));
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                errors.Add($"ListObjectsV2 of bucket '{name}' failed: {e.GetType().Name}: {e.Message}");
            }

            objects.Sort(static (a, b) => string.CompareOrdinal(a.Key, b.Key));
            result.Add(new BucketState(name, objects, truncated));
        }

        return result;
    }

    private static async Task<List<QueueState>> CaptureQueuesAsync(IAmazonSQS sqs, List<string> errors, CancellationToken cancellationToken)
    {
        var urls = new List<string>();
        try
        {
            string? token = null;
            do
            {
                ListQueuesResponse page = await sqs.ListQueuesAsync(new ListQueuesRequest { MaxResults = 1000, NextToken = token }, cancellationToken).ConfigureAwait(false);
                urls.AddRange(page.QueueUrls ?? []);
                token = page.NextToken;
            }
            while (!string.IsNullOrEmpty(token));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            errors.Add($"ListQueues failed: {e.GetType().Name}: {e.Message}");
            return [];
        }

        var result = new List<QueueState>();
        foreach (string url in urls)
        {
            string name = url.TrimEnd('/')[(url.TrimEnd('/').LastIndexOf('/') + 1)..];
            var attributes = new SortedDictionary<string, string>(StringComparer.Ordinal);
            try
            {
                GetQueueAttributesResponse response = await sqs.GetQueueAttributesAsync(new GetQueueAttributesRequest { QueueUrl = url, AttributeNames = ["All"] }, cancellationToken).ConfigureAwait(false);
                foreach ((string key, string value) in response.Attributes ?? [])
                {
                    attributes[key] = value;
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                errors.Add($"GetQueueAttributes of queue '{name}' failed: {e.GetType().Name}: {e.Message}");
            }

            result.Add(new QueueState(name, url, attributes, Count(attributes, "ApproximateNumberOfMessages"), Count(attributes, "ApproximateNumberOfMessagesNotVisible"), Count(attributes, "ApproximateNumberOfMessagesDelayed")));
        }

        result.Sort(static (a, b) => string.CompareOrdinal(a.Name, b.Name));
        return result;
    }

    private static async Task<List<TableState>> CaptureTablesAsync(IAmazonDynamoDB dynamo, List<string> errors, CancellationToken cancellationToken)
    {
        List<string> names;
        try
        {
            names = await DynamoTables.ListNamesAsync(dynamo, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            errors.Add($"ListTables failed: {e.GetType().Name}: {e.Message}");
            return [];
        }

        var result = new List<TableState>();
        foreach (string name in names.Order(StringComparer.Ordinal))
        {
            var keys = new List<string>();
            var items = new List<string>();
            long count = 0;
            try
            {
                TableDescription table = (await dynamo.DescribeTableAsync(name, cancellationToken).ConfigureAwait(false)).Table;
                keys.AddRange((table.KeySchema ?? []).Select(k => $"{k.AttributeName} {k.KeyType?.Value}"));
                Dictionary<string, AttributeValue>? start = null;
                do
                {
                    ScanResponse page = await dynamo.ScanAsync(new ScanRequest { TableName = name, ExclusiveStartKey = start }, cancellationToken).ConfigureAwait(false);
                    count += page.Count ?? 0;
                    foreach (Dictionary<string, AttributeValue> item in page.Items ?? [])
                    {
                        if (items.Count < MaxItemsPerTable)
                        {
                            items.Add(Document.FromAttributeMap(item).ToJson());
                        }
                    }

                    start = page.LastEvaluatedKey is { Count: > 0 } last ? last : null;
                }
                while (start is not null);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                errors.Add($"Describing or scanning table '{name}' failed: {e.GetType().Name}: {e.Message}");
            }

            result.Add(new TableState(name, keys, count, items, count > items.Count));
        }

        return result;
    }

    private static long? Count(IReadOnlyDictionary<string, string> attributes, string name) =>
        attributes.TryGetValue(name, out string? value) && long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out long count) ? count : null;
}
