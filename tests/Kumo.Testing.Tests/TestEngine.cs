using Kumo.Clients;
using Kumo.Contract;
using Kumo.Embedded;
using Kumo.Seeding;
using Microsoft.Extensions.Logging.Abstractions;

namespace Kumo.Testing.Tests;

/// <summary>An in-process engine (memory only) with kumo-safe clients.</summary>
internal sealed class TestEngine : IAsyncDisposable
{
    private TestEngine(KumoEngine engine)
    {
        Engine = engine;
        Clients = KumoClients.Create(engine.Endpoint);
    }

    public KumoEngine Engine { get; }

    public KumoClients Clients { get; }

    public static async Task<TestEngine> StartAsync(CancellationToken cancellationToken) =>
        new(await KumoEngine.StartAsync(new KumoEngineOptions { Port = 0, LogLevel = KumoLogLevel.Info }, NullLoggerProvider.Instance, cancellationToken));

    public async ValueTask DisposeAsync()
    {
        Clients.Dispose();
        await Engine.DisposeAsync();
    }
}
