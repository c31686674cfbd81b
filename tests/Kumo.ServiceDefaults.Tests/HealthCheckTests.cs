using System.Net;
using Kumo.Embedded.Tests;
using Kumo.ServiceDefaults.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Kumo.ServiceDefaults.Tests;

/// <summary>The kumo health checks call the endpoint; the default endpoints serve readiness and liveness.</summary>
public sealed class HealthCheckTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Kumo_checks_are_healthy_while_the_engine_answers_and_unhealthy_once_it_is_gone()
    {
        TestEngine engine = await TestEngine.StartAsync(persistent: false);
        var configuration = WiredHost.ConnectionString(engine.Endpoint);
        configuration["Kumo:HealthCheckTimeout"] = "00:00:03";
        using IHost host = WiredHost.Build(configuration, configure: o => o.ConfigureS3 = c => c.MaxErrorRetry = 0);
        HealthCheckService health = host.Services.GetRequiredService<HealthCheckService>();

        HealthReport up = await health.CheckHealthAsync(Ct);
        await engine.DisposeAsync();
        HealthReport down = await health.CheckHealthAsync(Ct);

        Assert.Equal(HealthStatus.Healthy, up.Entries["kumo-s3"].Status);
        Assert.Equal(HealthStatus.Healthy, up.Entries["kumo-sqs"].Status);
        Assert.Equal(HealthStatus.Healthy, up.Entries["kumo-dynamodb"].Status);
        Assert.Equal(HealthStatus.Unhealthy, down.Entries["kumo-s3"].Status);
        Assert.Equal(HealthStatus.Unhealthy, down.Entries["kumo-sqs"].Status);
        Assert.Equal(HealthStatus.Unhealthy, down.Entries["kumo-dynamodb"].Status);
        Assert.Contains("ListTables", down.Entries["kumo-dynamodb"].Description, StringComparison.Ordinal);
        Assert.Contains(engine.Endpoint.ToString(), down.Entries["kumo-s3"].Description, StringComparison.Ordinal);
        Assert.Contains("ConnectionStrings:kumo", down.Entries["kumo-sqs"].Description, StringComparison.Ordinal);
        Assert.Contains("ready", up.Entries["kumo-s3"].Tags);
    }

    [Fact]
    public async Task Disabled_health_checks_register_nothing()
    {
        await using TestEngine engine = await TestEngine.StartAsync(persistent: false);
        HostApplicationBuilder builder = WiredHost.Builder(WiredHost.ConnectionString(engine.Endpoint));
        builder.AddDefaultHealthChecks();
        builder.AddKumoAwsClients(configure: o => o.DisableHealthChecks = true);
        using IHost host = builder.Build();

        HealthReport report = await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync(Ct);

        Assert.Equal(["self"], report.Entries.Keys);
    }

    [Fact]
    public async Task Default_endpoints_serve_health_with_kumo_and_alive_without_it()
    {
        TestEngine engine = await TestEngine.StartAsync(persistent: false);
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { EnvironmentName = Environments.Development, Args = [] });
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:kumo"] = engine.Endpoint.ToString(),
            ["Kumo:HealthCheckTimeout"] = "00:00:03",
        });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.AddServiceDefaults();
        builder.AddKumoAwsClients();
        await using WebApplication app = builder.Build();
        app.MapDefaultEndpoints();
        await app.StartAsync(Ct);
        var address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single());
        using var http = new HttpClient { BaseAddress = address };

        HttpResponseMessage healthUp = await http.GetAsync(new Uri("/health", UriKind.Relative), Ct);
        string healthUpBody = await healthUp.Content.ReadAsStringAsync(Ct);
        await engine.DisposeAsync();
        HttpResponseMessage healthDown = await http.GetAsync(new Uri("/health", UriKind.Relative), Ct);
        HttpResponseMessage alive = await http.GetAsync(new Uri("/alive", UriKind.Relative), Ct);
        await app.StopAsync(Ct);

        Assert.Equal(HttpStatusCode.OK, healthUp.StatusCode);
        Assert.Equal("Healthy", healthUpBody);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, healthDown.StatusCode);
        Assert.Equal(HttpStatusCode.OK, alive.StatusCode);
    }
}
