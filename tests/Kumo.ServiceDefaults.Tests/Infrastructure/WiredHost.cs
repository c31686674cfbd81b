using Kumo.ServiceDefaults;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Kumo.ServiceDefaults.Tests.Infrastructure;

/// <summary>
/// A host built from an explicit configuration only (no process environment, no appsettings), so parallel
/// tests never see each other's settings or the machine's AWS_* variables.
/// </summary>
internal static class WiredHost
{
    public static HostApplicationBuilder Builder(IEnumerable<KeyValuePair<string, string?>> configuration)
    {
        HostApplicationBuilder builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings
        {
            EnvironmentName = Environments.Development,
            ApplicationName = "Kumo.ServiceDefaults.Tests",
        });
        builder.Configuration.AddInMemoryCollection(configuration);
        builder.Services.AddLogging();
        return builder;
    }

    /// <summary>Builds a host whose only AWS wiring is one <c>AddKumoAwsClients</c> call.</summary>
    public static IHost Build(IEnumerable<KeyValuePair<string, string?>> configuration, string connectionName = "kumo", Action<KumoAwsOptions>? configure = null)
    {
        HostApplicationBuilder builder = Builder(configuration);
        builder.AddKumoAwsClients(connectionName, configure);
        return builder.Build();
    }

    public static Dictionary<string, string?> ConnectionString(Uri endpoint, string connectionName = "kumo") =>
        new() { [$"ConnectionStrings:{connectionName}"] = endpoint.ToString() };
}
