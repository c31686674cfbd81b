using System.Net.Http.Json;
using System.Text.Json;
using Amazon.S3;
using Amazon.S3.Model;
using Amazon.SQS;
using Amazon.SQS.Model;
using Kumo.Embedded.Tests;
using Kumo.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OrderService.Orders;
using OrderService.Processing;

namespace OrderService.Tests.Infrastructure;

/// <summary>
/// The order service running in-process on Kestrel (127.0.0.1, free port) against the shared engine, with its
/// own bucket and queues (unique names), deterministic ids and a fixed clock. Tests talk to it only through
/// HTTP, and check S3 and SQS through the engine's reference clients.
/// </summary>
internal sealed class OrderServiceHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private OrderServiceHost(WebApplication app, TestEngine engine, Uri address, string bucket, string queue, string deadLetterQueue, SequentialOrderIds ids, FixedClock clock)
    {
        _app = app;
        Engine = engine;
        Http = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(30) };
        Bucket = bucket;
        Queue = queue;
        DeadLetterQueue = deadLetterQueue;
        Ids = ids;
        Clock = clock;
    }

    public static JsonSerializerOptions Json { get; } = new(JsonSerializerDefaults.Web) { TypeInfoResolver = OrderJsonContext.Default };

    public TestEngine Engine { get; }

    public HttpClient Http { get; }

    public string Bucket { get; }

    public string Queue { get; }

    public string DeadLetterQueue { get; }

    public SequentialOrderIds Ids { get; }

    public FixedClock Clock { get; }

    public IAmazonS3 S3 => Engine.S3;

    public IAmazonSQS Sqs => Engine.Sqs;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Starts the service with test settings: 1 s long polling, 3 attempts, 1 s then 2 s backoff.</summary>
    public static async Task<OrderServiceHost> StartAsync(TestEngine engine, string name, IOrderProcessingHook? hook = null, Action<Dictionary<string, string?>>? settings = null)
    {
        string suffix = Guid.NewGuid().ToString("N")[..10];
        string bucket = $"orders-{name}-{suffix}";
        string queue = $"orders-{name}-{suffix}";
        string deadLetterQueue = $"orders-{name}-{suffix}-dlq";
        var ids = new SequentialOrderIds($"ord-{name}");
        var clock = new FixedClock(FixedClock.Default);
        var configuration = new Dictionary<string, string?>
        {
            ["ConnectionStrings:kumo"] = engine.Endpoint.ToString(),
            ["Orders:Bucket"] = bucket,
            ["Orders:Queue"] = queue,
            ["Orders:DeadLetterQueue"] = deadLetterQueue,
            ["Orders:CreateResources"] = "true",
            ["Orders:WaitTimeSeconds"] = "1",
            ["Orders:VisibilityTimeoutSeconds"] = "10",
            ["Orders:MaxAttempts"] = "3",
            ["Orders:RetryBaseDelaySeconds"] = "1",
            ["Orders:RetryMaxDelaySeconds"] = "2",
            ["Orders:PollErrorDelaySeconds"] = "1",
        };
        settings?.Invoke(configuration);

        WebApplication app = OrderServiceApp.Build(["--environment", "Development"], builder =>
        {
            builder.Configuration.AddInMemoryCollection(configuration);
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.Logging.ClearProviders();
            builder.Services.AddSingleton<IOrderIdGenerator>(ids);
            builder.Services.AddSingleton<TimeProvider>(clock);
            if (hook is not null)
            {
                builder.Services.AddSingleton(hook);
            }
        });

        try
        {
            await app.StartAsync(Ct);
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }

        var address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single());
        return new OrderServiceHost(app, engine, address, bucket, queue, deadLetterQueue, ids, clock);
    }

    public static OrderRequest SampleOrder(string customer = "Ada") =>
        new(customer, [new OrderLine("book", 2, 12.50m), new OrderLine("pen", 3, 0.99m)]);

    public async Task<OrderAccepted> PostAsync(OrderRequest order)
    {
        using HttpResponseMessage response = await Http.PostAsJsonAsync("/orders", order, Json, Ct);
        Assert.Equal(System.Net.HttpStatusCode.Accepted, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<OrderAccepted>(Json, Ct))!;
    }

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

    public async Task<string> QueueUrlAsync(string name) => (await Sqs.GetQueueUrlAsync(name, Ct)).QueueUrl;

    /// <summary>Visible plus in-flight messages of a queue.</summary>
    public async Task<int> DepthAsync(string queueName, CancellationToken cancellationToken)
    {
        string url = (await Sqs.GetQueueUrlAsync(queueName, cancellationToken)).QueueUrl;
        GetQueueAttributesResponse attributes = await Sqs.GetQueueAttributesAsync(url, ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"], cancellationToken);
        return attributes.ApproximateNumberOfMessages + attributes.ApproximateNumberOfMessagesNotVisible;
    }

    public Task<int> WaitForEmptyQueueAsync(string queueName) =>
        Eventually.UntilAsync(ct => DepthAsync(queueName, ct), depth => depth == 0, TimeSpan.FromSeconds(20), TimeSpan.FromMilliseconds(100), $"queue {queueName} to be drained", Ct);

    /// <summary>Polls the dead-letter queue until it delivers a message (which stays in flight for 30 s).</summary>
    public async Task<Message> ReceiveDeadLetterAsync(double seconds = 20)
    {
        string url = await QueueUrlAsync(DeadLetterQueue);
        return await Eventually.UntilAsync(
            async ct => (await Sqs.ReceiveMessageAsync(new ReceiveMessageRequest(url) { MaxNumberOfMessages = 1, VisibilityTimeout = 30, MessageAttributeNames = ["All"] }, ct)).Messages?.FirstOrDefault(),
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

    public async Task<IReadOnlyList<string>> KeysAsync() =>
        [.. ((await S3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = Bucket }, Ct)).S3Objects ?? []).Select(o => o.Key)];

    public void AssertKumoSafe() =>
        Assert.True(Engine.Engine.Compatibility.Total == 0, $"the service sent kumo-incompatible requests: {string.Join(", ", Engine.Engine.Compatibility.ByReason)}");

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        try
        {
            await _app.StopAsync(CancellationToken.None);
        }
        finally
        {
            await _app.DisposeAsync();
        }
    }
}
