using Amazon.SQS;
using Amazon.SQS.Model;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Kumo.ServiceDefaults.Health;

/// <summary>Healthy when the kumo SQS endpoint answers <c>ListQueues</c> within the timeout.</summary>
internal sealed class KumoSqsHealthCheck(IAmazonSQS sqs, KumoAwsSettings settings, TimeSpan timeout) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            await sqs.ListQueuesAsync(new ListQueuesRequest { MaxResults = 1 }, deadline.Token).ConfigureAwait(false);
            return HealthCheckResult.Healthy($"SQS at {settings.SqsServiceUrl} answered.");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, $"SQS at {settings.SqsServiceUrl} (from {settings.SqsServiceUrlSource}) did not answer ListQueues within {timeout.TotalSeconds:0.#} s.");
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, $"SQS at {settings.SqsServiceUrl} (from {settings.SqsServiceUrlSource}) failed ListQueues: {ex.Message}", ex);
        }
    }
}
