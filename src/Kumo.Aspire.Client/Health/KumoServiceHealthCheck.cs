using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Kumo.ServiceDefaults.Health;

/// <summary>
/// Healthy when one kumo service answers a cheap listing call (<c>ListBuckets</c>, <c>ListQueues</c>,
/// <c>ListTables</c>) within the timeout; the message names the endpoint and the setting it came from.
/// </summary>
/// <param name="service">The service's name, e.g. <c>S3</c>.</param>
/// <param name="operation">The operation <paramref name="probe"/> calls, for the message.</param>
/// <param name="endpoint">Where the client points and the setting that said so.</param>
/// <param name="probe">Calls the service; throws when it does not answer.</param>
/// <param name="timeout">How long the probe may take.</param>
internal sealed class KumoServiceHealthCheck(string service, string operation, (Uri Url, string Source) endpoint, Func<CancellationToken, Task> probe, TimeSpan timeout) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            await probe(deadline.Token).ConfigureAwait(false);
            return HealthCheckResult.Healthy($"{service} at {endpoint.Url} answered.");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, $"{service} at {endpoint.Url} (from {endpoint.Source}) did not answer {operation} within {timeout.TotalSeconds:0.#} s.");
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, $"{service} at {endpoint.Url} (from {endpoint.Source}) failed {operation}: {ex.Message}", ex);
        }
    }
}
