using Amazon.DynamoDBv2;
using Kumo.Clients;
using Kumo.Seeding;
using Kumo.Embedded.Tests;
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
/// HTTP, and check S3 and SQS through kumo-safe clients of their own (<see cref="OrderServiceDriver"/>).
/// </summary>
internal sealed class OrderServiceHost : OrderServiceDriver, IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly KumoClients _clients;

    private OrderServiceHost(WebApplication app, TestEngine engine, KumoClients clients, Uri address, string bucket, string queue, string deadLetterQueue, string statusTable, SequentialOrderIds ids, FixedClock clock)
        : base(new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(30) }, clients.S3, clients.Sqs, bucket, queue, deadLetterQueue)
    {
        _app = app;
        _clients = clients;
        Engine = engine;
        Ids = ids;
        Clock = clock;
        StatusTable = statusTable;
    }

    /// <summary>The service's DynamoDB status table (unique per host).</summary>
    public string StatusTable { get; }

    /// <summary>A kumo-safe DynamoDB client of the test's own (not the service's).</summary>
    public IAmazonDynamoDB Dynamo => _clients.DynamoDB;

    /// <summary>The application's services (e.g. its <c>OrderStatusTable</c>).</summary>
    public IServiceProvider Services => _app.Services;

    public TestEngine Engine { get; }

    public SequentialOrderIds Ids { get; }

    public FixedClock Clock { get; }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Starts the service with test settings: 1 s long polling, 3 attempts, 1 s then 2 s backoff.</summary>
    public static async Task<OrderServiceHost> StartAsync(TestEngine engine, string name, IOrderProcessingHook? hook = null, Action<Dictionary<string, string?>>? settings = null)
    {
        string suffix = Guid.NewGuid().ToString("N")[..10];
        string bucket = $"orders-{name}-{suffix}";
        string queue = $"orders-{name}-{suffix}";
        string deadLetterQueue = $"orders-{name}-{suffix}-dlq";
        string statusTable = $"order-status-{name}-{suffix}";
        var ids = new SequentialOrderIds($"ord-{name}");
        var clock = new FixedClock(FixedClock.Default);
        var configuration = new Dictionary<string, string?>
        {
            ["ConnectionStrings:kumo"] = engine.Endpoint.ToString(),
            ["Orders:Bucket"] = bucket,
            ["Orders:Queue"] = queue,
            ["Orders:DeadLetterQueue"] = deadLetterQueue,
            ["Orders:StatusTable"] = statusTable,
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
        // The driver writes too (documents, raw messages): kumo-safe clients, so the engine's compatibility count is the service's alone.
        return new OrderServiceHost(app, engine, KumoClients.Create(engine.Endpoint), address, bucket, queue, deadLetterQueue, statusTable, ids, clock);
    }

    public void AssertKumoSafe() =>
        Assert.True(Engine.Engine.Compatibility.Total == 0, $"the service sent kumo-incompatible requests: {string.Join(", ", Engine.Engine.Compatibility.ByReason)}");

    public async ValueTask DisposeAsync()
    {
        DisposeHttp();
        _clients.Dispose();
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
