using Amazon.S3;
using Amazon.S3.Model;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Kumo.ServiceDefaults.Health;

/// <summary>Healthy when the kumo S3 endpoint answers <c>ListBuckets</c> within the timeout.</summary>
internal sealed class KumoS3HealthCheck(IAmazonS3 s3, KumoAwsSettings settings, TimeSpan timeout) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            await s3.ListBucketsAsync(new ListBucketsRequest(), deadline.Token).ConfigureAwait(false);
            return HealthCheckResult.Healthy($"S3 at {settings.S3ServiceUrl} answered.");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, $"S3 at {settings.S3ServiceUrl} (from {settings.S3ServiceUrlSource}) did not answer ListBuckets within {timeout.TotalSeconds:0.#} s.");
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, $"S3 at {settings.S3ServiceUrl} (from {settings.S3ServiceUrlSource}) failed ListBuckets: {ex.Message}", ex);
        }
    }
}
