using System.Net.Http.Json;
using System.Text.Json;
using Amazon.S3;
using Amazon.S3.Model;
using Amazon.SQS;
using Amazon.SQS.Model;
using Kumo.Testing;
using OrderService.Orders;

namespace OrderService.Tests.Infrastructure;

/// <summary>
/// Drives the order service from outside, the way its users and operators see it: its HTTP API, and the bucket and
/// queues it works on through S3 and SQS clients. Waits are bounded polls (<see cref="Eventually"/>).
/// </summary>
/// <remarks>
/// One driver for every way the service runs: in-process against the embedded engine (<see cref="OrderServiceHost"/>)
/// and as a project of the AppHost under Aspire (the AppHost tests link this file).
/// </remarks>
public class OrderServiceDriver
{
    /// <summary>Creates a driver over clients the caller owns (the HTTP client is disposed by <see cref="DisposeHttp"/>).</summary>
    public OrderServiceDriver(HttpClient http, IAmazonS3 s3, IAmazonSQS sqs, string bucket, string queue, string deadLetterQueue)
    {
        Http = http;
        S3 = s3;
        Sqs = sqs;
        Bucket = bucket;
        Queue = queue;
        DeadLetterQueue = deadLetterQueue;
    }

    /// <summary>The service's JSON settings (web defaults, source-generated contracts).</summary>
    public static JsonSerializerOptions Json { get; } = new(JsonSerializerDefaults.Web) { TypeInfoResolver = OrderJsonContext.Default };

    public HttpClient Http { get; }

    public IAmazonS3 S3 { get; }

    public IAmazonSQS Sqs { get; }

    public string Bucket { get; }

    public string Queue { get; }

    public string DeadLetterQueue { get; }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A valid order: two lines, 27.97 EUR.</summary>
    public static OrderRequest SampleOrder(string customer = "Ada") =>
        new(customer, [new OrderLine("book", 2, 12.50m), new OrderLine("pen", 3, 0.99m)]);

    /// <summary>Posts an order and expects 202 Accepted.</summary>
    public async Task<OrderAccepted> PostAsync(OrderRequest order)
    {
        using HttpResponseMessage response = await Http.PostAsJsonAsync("/orders", order, Json, Ct);
        Assert.Equal(System.Net.HttpStatusCode.Accepted, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<OrderAccepted>(Json, Ct))!;
    }

    /// <summary><c>GET /orders/{id}</c>, or null on 404.</summary>
    public async Task<OrderStatus?> GetStatusAsync(string id, CancellationToken cancellationToken)
    {
        using HttpResponseMessage response = await Http.GetAsync(new Uri($"/orders/{id}", UriKind.Relative), cancellationToken);
        if (response.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return null;
        }

        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<OrderStatus>(Json, cancellationToken);
    }

    /// <summary>Polls <c>GET /orders/{id}</c> until the order has the status (and version, if given).</summary>
    public Task<OrderStatus> WaitForStatusAsync(string id, string status, int? version = null, double seconds = 20) =>
        Eventually.UntilAsync(
            async ct => (await GetStatusAsync(id, ct))!,
            s => s is not null && s.Status == status && (version is null || s.Version == version),
            TimeSpan.FromSeconds(seconds),
            TimeSpan.FromMilliseconds(100),
            $"order {id} to be {status}{(version is null ? "" : $" at version {version}")}",
            Ct);

    /// <summary>The URL of a queue by name.</summary>
    public async Task<string> QueueUrlAsync(string name) => (await Sqs.GetQueueUrlAsync(name, Ct)).QueueUrl;

    /// <summary>Visible plus in-flight messages of a queue.</summary>
    public async Task<int> DepthAsync(string queueName, CancellationToken cancellationToken)
    {
        string url = (await Sqs.GetQueueUrlAsync(queueName, cancellationToken)).QueueUrl;
        GetQueueAttributesResponse attributes = await Sqs.GetQueueAttributesAsync(url, ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"], cancellationToken);
        return attributes.ApproximateNumberOfMessages + attributes.ApproximateNumberOfMessagesNotVisible;
    }

    /// <summary>Polls until a queue holds no visible or in-flight message.</summary>
    public Task<int> WaitForEmptyQueueAsync(string queueName) =>
        Eventually.UntilAsync(ct => DepthAsync(queueName, ct), depth => depth == 0, TimeSpan.FromSeconds(20), TimeSpan.FromMilliseconds(100), $"queue {queueName} to be drained", Ct);

    /// <summary>
    /// Polls the dead-letter queue until it delivers a message (matching <paramref name="match"/>, if given), which then
    /// stays in flight for 30 s; other messages received on the way are made visible again at once.
    /// </summary>
    public async Task<Message> ReceiveDeadLetterAsync(Func<Message, bool>? match = null, double seconds = 20)
    {
        string url = await QueueUrlAsync(DeadLetterQueue);
        return await Eventually.UntilAsync(
            ct => ReceiveMatchingAsync(url, match, ct),
            m => m is not null,
            TimeSpan.FromSeconds(seconds),
            TimeSpan.FromMilliseconds(100),
            $"a message on dead-letter queue {DeadLetterQueue}",
            Ct) ?? throw new InvalidOperationException("unreachable");
    }

    /// <summary>Reads a JSON document of the bucket through the reference S3 client, or null when absent.</summary>
    public async Task<T?> ReadJsonAsync<T>(string key)
        where T : class
    {
        try
        {
            using GetObjectResponse response = await S3.GetObjectAsync(Bucket, key, Ct);
            return await JsonSerializer.DeserializeAsync<T>(response.ResponseStream, Json, Ct);
        }
        catch (AmazonS3Exception ex) when (ex.ErrorCode == "NoSuchKey")
        {
            return null;
        }
    }

    /// <summary>Polls the bucket until a JSON document exists and matches <paramref name="match"/>.</summary>
    public Task<T> WaitForJsonAsync<T>(string key, Func<T, bool> match, double seconds = 20)
        where T : class =>
        Eventually.UntilAsync(
            async _ => (await ReadJsonAsync<T>(key))!,
            d => d is not null && match(d),
            TimeSpan.FromSeconds(seconds),
            TimeSpan.FromMilliseconds(50),
            $"s3://{Bucket}/{key} to match",
            Ct);

    /// <summary>Every key of the bucket.</summary>
    public async Task<IReadOnlyList<string>> KeysAsync() =>
        [.. ((await S3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = Bucket }, Ct)).S3Objects ?? []).Select(o => o.Key)];

    /// <summary>The queue message for <paramref name="version"/> of an order, as the service's API would enqueue it.</summary>
    public static string MessageFor(string orderId, int version = 1) => $$"""{"orderId":"{{orderId}}","version":{{version}}}""";

    /// <summary>An order document cut off mid-write: the worker cannot parse it, which is a transient failure.</summary>
    public static string HalfWrittenOrder(string orderId) => $$"""{"id":"{{orderId}}","version":1,"customer":"Ada","lines":[""";

    /// <summary>The complete version-1 document of <see cref="SampleOrder"/> (27.97 EUR).</summary>
    public static string CompleteOrder(string orderId)
    {
        var now = DateTimeOffset.UtcNow;
        return JsonSerializer.Serialize(new OrderDocument(orderId, 1, "Ada", OrderEndpoints.DefaultCurrency, SampleOrder().Lines!, now, now), Json);
    }

    /// <summary>Writes a document into the service's bucket directly, as another writer would.</summary>
    public async Task PutDocumentAsync(string key, string json) =>
        await S3.PutObjectAsync(new PutObjectRequest { BucketName = Bucket, Key = key, ContentBody = json, ContentType = "application/json" }, Ct);

    /// <summary>Sends a message body to the order queue directly, as another producer would.</summary>
    public async Task SendToQueueAsync(string body) =>
        await Sqs.SendMessageAsync(await QueueUrlAsync(Queue), body, Ct);

    /// <summary>Deletes a message received from the dead-letter queue.</summary>
    public async Task DeleteDeadLetterAsync(Message message) =>
        await Sqs.DeleteMessageAsync(await QueueUrlAsync(DeadLetterQueue), message.ReceiptHandle, Ct);

    /// <summary>Disposes the HTTP client.</summary>
    protected void DisposeHttp() => Http.Dispose();

    private async Task<Message?> ReceiveMatchingAsync(string url, Func<Message, bool>? match, CancellationToken cancellationToken)
    {
        var request = new ReceiveMessageRequest(url) { MaxNumberOfMessages = 10, VisibilityTimeout = 30, MessageAttributeNames = ["All"] };
        List<Message> messages = (await Sqs.ReceiveMessageAsync(request, cancellationToken)).Messages ?? [];
        Message? found = messages.FirstOrDefault(m => match?.Invoke(m) ?? true);
        foreach (Message other in messages.Where(m => !ReferenceEquals(m, found)))
        {
            await Sqs.ChangeMessageVisibilityAsync(url, other.ReceiptHandle, 0, cancellationToken);
        }

        return found;
    }
}
