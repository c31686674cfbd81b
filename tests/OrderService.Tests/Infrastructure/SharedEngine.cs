using Kumo.Embedded.Tests;

[assembly: AssemblyFixture(typeof(OrderService.Tests.Infrastructure.SharedEngine))]

namespace OrderService.Tests.Infrastructure;

/// <summary>
/// One embedded engine for the whole test run, in strict kumo mode: any aws-chunked upload or checksum trailer
/// from the service is rejected (and counted), so every test also proves the service is kumo-safe. Tests share
/// it through unique bucket and queue names.
/// </summary>
public sealed class SharedEngine : IAsyncLifetime
{
    private TestEngine? _engine;

    internal TestEngine Engine => _engine ?? throw new InvalidOperationException("The shared engine is not started.");

    public async ValueTask InitializeAsync() =>
        _engine = await TestEngine.StartAsync(o => o with { StrictKumoCompatibility = true }, persistent: false);

    public async ValueTask DisposeAsync()
    {
        if (_engine is not null)
        {
            await _engine.DisposeAsync();
        }
    }
}
