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
            .BuildAsync(Context(services, operation), NullLogger.Instance, Bounded.Token);

        if (result.Exception is not null)
        {
            ExceptionDispatchInfo.Throw(result.Exception);
        }

        return result.EnvironmentVariables.ToDictionary();
    }

    /// <summary>
    /// Runs the resource's environment callbacks afresh and returns the raw value one of them set. Aspire caches each
    /// callback's result after the first evaluation and DCP forgets it when it restarts a resource (an internal API);
    /// this is the value a restart would see.
    /// </summary>
    public static async Task<object?> EvaluateEnvironmentAfreshAsync(IResource resource, IServiceProvider services, string name)
    {
        var values = new Dictionary<string, object>();
        var context = new EnvironmentCallbackContext(Context(services, DistributedApplicationOperation.Run), resource, values, Bounded.Token);
        foreach (var annotation in resource.Annotations.OfType<EnvironmentCallbackAnnotation>())
        {
            await annotation.Callback(context);
        }

        return values.GetValueOrDefault(name);
    }

    public static async Task<string[]> GetArgumentsAsync(
        IResource resource,
        IServiceProvider services,
        DistributedApplicationOperation operation = DistributedApplicationOperation.Run)
    {
        var result = await ExecutionConfigurationBuilder.Create(resource)
            .WithArgumentsConfig()
            .BuildAsync(Context(services, operation), NullLogger.Instance, Bounded.Token);

        if (result.Exception is not null)
        {
            ExceptionDispatchInfo.Throw(result.Exception);
        }

        return result.Arguments.Select(a => a.Value).ToArray();
    }

    private static DistributedApplicationExecutionContext Context(IServiceProvider services, DistributedApplicationOperation operation) =>
        new(new DistributedApplicationExecutionContextOptions(operation) { Services = services });
}
