using Amazon.S3.Model;
using Amazon.SQS.Model;
using Kumo.Clients;
using Kumo.Contract;
using Kumo.Embedded;
using Microsoft.Extensions.Logging.Abstractions;

namespace Kumo.Seeding.Tests;

/// <summary>
/// An in-process engine (memory only, strict kumo compatibility: aws-chunked uploads are rejected)
/// with a request log, and an unlogged pair of clients for inspecting it.
/// </summary>
internal sealed class SeedEngine : IAsyncDisposable
{
    private SeedEngine(KumoEngine engine)
    {
        Engine = engine;
        Inspector = KumoClients.Create(engine.Endpoint);
    }

    public KumoEngine Engine { get; }

    public Uri Endpoint => Engine.Endpoint;

    /// <summary>Clients whose requests are not logged, for setting up and checking state.</summary>
    public KumoClients Inspector { get; }

    public static async Task<SeedEngine> StartAsync(CancellationToken cancellationToken)
    {
        var options = new KumoEngineOptions { Port = 0, LogLevel = KumoLogLevel.Warn, StrictKumoCompatibility = true };
        KumoEngine engine = await KumoEngine.StartAsync(options, NullLoggerProvider.Instance, cancellationToken);
        return new SeedEngine(engine);
    }

    /// <summary>New kumo-safe clients whose every request goes to <paramref name="log"/>.</summary>
    public KumoClients NewClients(RequestLog log) => KumoClients.Create(Endpoint, log.AttachTo);

    /// <summary>Bucket and queue names, sorted.</summary>
    public async Task<(string[] Buckets, string[] Queues)> InventoryAsync(CancellationToken cancellationToken)
    {
        ListBucketsResponse buckets = await Inspector.S3.ListBucketsAsync(new ListBucketsRequest(), cancellationToken);
        ListQueuesResponse queues = await Inspector.Sqs.ListQueuesAsync(new ListQueuesRequest(), cancellationToken);
        return (
            (buckets.Buckets ?? []).Select(b => b.BucketName).Order(StringComparer.Ordinal).ToArray(),
            (queues.QueueUrls ?? []).Select(u => u[(u.LastIndexOf('/') + 1)..]).Order(StringComparer.Ordinal).ToArray());
    }

    public async ValueTask DisposeAsync()
    {
        Inspector.Dispose();
        await Engine.DisposeAsync();
    }
}

/// <summary>One engine shared by the tests of a class.</summary>
public sealed class SharedEngine : IAsyncLifetime
{
    private SeedEngine? _engine;

    internal SeedEngine Engine => _engine ?? throw new InvalidOperationException("The engine has not started.");

    public async ValueTask InitializeAsync() => _engine = await SeedEngine.StartAsync(TestContext.Current.CancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (_engine is not null)
        {
            await _engine.DisposeAsync();
        }
    }
}
