using Kumo.Embedded;
using Microsoft.Extensions.Logging.Abstractions;

namespace Kumo.Aspire.Hosting.Tests.Utils;

/// <summary>The embedded engine in this process on a free loopback port: real HTTP for the client, lifecycle and command tests.</summary>
internal sealed class InProcessKumo : IAsyncDisposable
{
    private InProcessKumo(KumoEngine engine) => Engine = engine;

    public KumoEngine Engine { get; }

    public int Port => Engine.Endpoint.Port;

    /// <summary>Starts an engine; <paramref name="configure"/> adjusts the options (port 0, memory only by default).</summary>
    public static async Task<InProcessKumo> StartAsync(Func<KumoEngineOptions, KumoEngineOptions>? configure = null)
    {
        var options = new KumoEngineOptions { Port = 0 };
        return new(await KumoEngine.StartAsync(configure?.Invoke(options) ?? options, NullLoggerProvider.Instance, TestContext.Current.CancellationToken));
    }

    public ValueTask DisposeAsync() => Engine.DisposeAsync();
}
