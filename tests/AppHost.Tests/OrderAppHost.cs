using Amazon.DynamoDBv2;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Kumo.Aspire.Hosting.Testing;
using Kumo.Aspire.Hosting.Tests.Functional;
using Microsoft.Extensions.DependencyInjection;
using OrderService.Tests.Infrastructure;

namespace AppHost.Tests;

/// <summary>
/// The sample AppHost (src/AppHost) started once per test class through <see cref="DistributedApplicationTestingBuilder"/>,
/// with the kumo engine the derived fixture names; the service's settings are shortened for tests (3 attempts,
/// 3 s then 6 s backoff, 1 s long polls).
/// </summary>
/// <remarks>
/// When DCP (or, for the container, a container runtime) is missing, nothing is started and every test of the class
/// skips with <see cref="SkipReason"/>. A start that fails writes failure artifacts (seed manifest, kumo's log, state
/// dump) before it fails the tests.
/// </remarks>
public abstract class OrderAppHost : IAsyncLifetime
{
    /// <summary>The kumo resource, the service resource, and the names the AppHost seeds and passes to the service.</summary>
    public const string Kumo = "kumo";
    public const string Service = "orders";
    public const string Bucket = "orders";
    public const string Queue = "orders";
    public const string DeadLetterQueue = "orders-dlq";
    public const string StatusTable = "order-status";

    /// <summary>The service's Orders:MaxAttempts in these tests.</summary>
    public const int MaxAttempts = 3;

    /// <summary>The service's first retry delay in these tests; long enough for a test to react to a logged failure.</summary>
    public const int RetryBaseDelaySeconds = 3;

    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(4);

    private DistributedApplication? _app;
    private OrderServiceDriver? _orders;
    private IAmazonDynamoDB? _dynamo;

    /// <summary>The AppHost's <c>Kumo:Engine</c>: <c>container</c> or <c>embedded</c>.</summary>
    public abstract string Engine { get; }

    /// <summary>True when the engine runs as a container.</summary>
    protected abstract bool NeedsContainerRuntime { get; }

    /// <summary>Why the application was not started on this machine, or null when it runs.</summary>
    public string? SkipReason { get; private set; }

    /// <summary>The running application.</summary>
    public DistributedApplication App => _app ?? throw new InvalidOperationException($"The AppHost is not running: {SkipReason ?? "it failed to start"}.");

    /// <summary>Drives the order service (HTTP) and checks its bucket and queues through kumo-safe clients.</summary>
    public OrderServiceDriver Orders => _orders ?? throw new InvalidOperationException($"The AppHost is not running: {SkipReason ?? "it failed to start"}.");

    /// <summary>A kumo-safe DynamoDB client for the service's status table.</summary>
    public IAmazonDynamoDB Dynamo => _dynamo ?? throw new InvalidOperationException($"The AppHost is not running: {SkipReason ?? "it failed to start"}.");

    /// <summary>Skips the calling test, printing <see cref="SkipReason"/>, when the application could not be started here.</summary>
    public void SkipIfUnavailable() => FunctionalPrerequisites.SkipIf(SkipReason);

    /// <inheritdoc/>
    public async ValueTask InitializeAsync()
    {
        SkipReason = KumoTestPrerequisites.FindProblem(typeof(global::Projects.AppHost).Assembly, NeedsContainerRuntime);
        if (SkipReason is not null)
        {
            return;
        }

        using var timeout = new CancellationTokenSource(StartTimeout);
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<global::Projects.AppHost>([$"Kumo:Engine={Engine}"], timeout.Token);
        builder.WithKumoWorker(Engine);
        builder.CreateResourceBuilder<ProjectResource>(Service)
               .WithEnvironment("Orders__MaxAttempts", MaxAttempts.ToString(System.Globalization.CultureInfo.InvariantCulture))
               .WithEnvironment("Orders__RetryBaseDelaySeconds", RetryBaseDelaySeconds.ToString(System.Globalization.CultureInfo.InvariantCulture))
               .WithEnvironment("Orders__RetryMaxDelaySeconds", (2 * RetryBaseDelaySeconds).ToString(System.Globalization.CultureInfo.InvariantCulture))
               .WithEnvironment("Orders__WaitTimeSeconds", "1")
               .WithEnvironment("Orders__PollErrorDelaySeconds", "1");

        _app = await builder.BuildAsync(timeout.Token);
        try
        {
            await _app.StartAsync(timeout.Token);
            await _app.WaitForKumoSeededAsync(Kumo, timeout.Token);
            await _app.ResourceNotifications.WaitForResourceHealthyAsync(Service, timeout.Token);
        }
        catch (Exception ex)
        {
            var saved = await _app.WriteKumoFailureArtifactsAsync(Kumo, $"{GetType().Name}.start", ex, cancellationToken: CancellationToken.None);
            throw new InvalidOperationException($"The AppHost (Kumo:Engine={Engine}) did not start: {ex.Message} Failure artifacts: {saved.Directory}", ex);
        }

        _dynamo = _app.CreateKumoDynamoDBClient(Kumo);
        _orders = new OrderServiceDriver(_app.CreateHttpClient(Service), _app.CreateKumoS3Client(Kumo), _app.CreateKumoSqsClient(Kumo), Bucket, Queue, DeadLetterQueue);
    }

    /// <summary>Runs a scenario; when it fails, writes kumo's failure artifacts and names their folder in the exception.</summary>
    /// <param name="testName">The test's name (the artifacts' folder).</param>
    /// <param name="scenario">The scenario.</param>
    /// <returns>A task that completes with the scenario.</returns>
    public async Task RunAsync(string testName, Func<OrderServiceDriver, Task> scenario)
    {
        SkipIfUnavailable();
        try
        {
            await scenario(Orders);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !TestContext.Current.CancellationToken.IsCancellationRequested)
        {
            var saved = await App.WriteKumoFailureArtifactsAsync(Kumo, testName, ex, cancellationToken: CancellationToken.None);
            TestContext.Current.TestOutputHelper?.WriteLine($"kumo: failure artifacts in {saved.Directory}");
            TestContext.Current.AddAttachment("kumo-artifacts", saved.Directory, replaceExistingValue: true);
            throw;
        }
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        _orders?.Http.Dispose();
        _orders?.S3.Dispose();
        _orders?.Sqs.Dispose();
        _dynamo?.Dispose();
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }

        GC.SuppressFinalize(this);
    }
}
