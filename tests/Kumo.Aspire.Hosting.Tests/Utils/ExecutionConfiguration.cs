using System.Runtime.ExceptionServices;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.Logging.Abstractions;

namespace Kumo.Aspire.Hosting.Tests.Utils;

/// <summary>
/// Evaluates a resource's environment and arguments the way DCP does before starting it, through Aspire's public
/// <see cref="ExecutionConfigurationBuilder"/> (no DCP, no container runtime).
/// </summary>
internal static class ExecutionConfiguration
{
    public static async Task<Dictionary<string, string>> GetEnvironmentAsync(
        IResource resource,
        IServiceProvider services,
        DistributedApplicationOperation operation = DistributedApplicationOperation.Run)
    {
        var result = await ExecutionConfigurationBuilder.Create(resource)
            .WithEnvironmentVariablesConfig()
            .BuildAsync(Context(services, operation), NullLogger.Instance, TestContext.Current.CancellationToken);

        if (result.Exception is not null)
        {
            ExceptionDispatchInfo.Throw(result.Exception);
        }

        return result.EnvironmentVariables.ToDictionary();
    }

    public static async Task<string[]> GetArgumentsAsync(
        IResource resource,
        IServiceProvider services,
        DistributedApplicationOperation operation = DistributedApplicationOperation.Run)
    {
        var result = await ExecutionConfigurationBuilder.Create(resource)
            .WithArgumentsConfig()
            .BuildAsync(Context(services, operation), NullLogger.Instance, TestContext.Current.CancellationToken);

        if (result.Exception is not null)
        {
            ExceptionDispatchInfo.Throw(result.Exception);
        }

        return result.Arguments.Select(a => a.Value).ToArray();
    }

    private static DistributedApplicationExecutionContext Context(IServiceProvider services, DistributedApplicationOperation operation) =>
        new(new DistributedApplicationExecutionContextOptions(operation) { Services = services });
}
