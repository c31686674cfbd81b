using System.Diagnostics;
using Amazon.Runtime;
using Amazon.Runtime.Internal;

namespace Kumo.ServiceDefaults.Tracing;

/// <summary>
/// The outermost pipeline handler of a kumo client: one client span per AWS operation (retries included).
/// </summary>
/// <remarks>
/// The AWS SDK's own telemetry provider is a no-op unless an instrumentation package replaces it, and none is
/// assumed here; this handler gives the same shape of span with the OpenTelemetry RPC conventions.
/// </remarks>
internal sealed class AwsOperationTracingHandler(string serviceName, Uri endpoint) : PipelineHandler
{
    public override void InvokeSync(IExecutionContext executionContext)
    {
        using Activity? activity = Start(executionContext);
        try
        {
            base.InvokeSync(executionContext);
            Complete(activity, executionContext);
        }
        catch (Exception ex)
        {
            Fail(activity, ex);
            throw;
        }
    }

    public override async Task<T> InvokeAsync<T>(IExecutionContext executionContext)
    {
        using Activity? activity = Start(executionContext);
        try
        {
            T response = await base.InvokeAsync<T>(executionContext).ConfigureAwait(false);
            Complete(activity, executionContext);
            return response;
        }
        catch (Exception ex)
        {
            Fail(activity, ex);
            throw;
        }
    }

    private Activity? Start(IExecutionContext executionContext)
    {
        if (!KumoAwsTelemetry.Source.HasListeners())
        {
            return null;
        }

        string operation = OperationName(executionContext.RequestContext.RequestName);
        Activity? activity = KumoAwsTelemetry.Source.StartActivity($"{serviceName}.{operation}", ActivityKind.Client);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag("rpc.system", "aws-api");
            activity.SetTag("rpc.service", serviceName);
            activity.SetTag("rpc.method", operation);
            activity.SetTag("server.address", endpoint.Host);
            activity.SetTag("server.port", endpoint.Port);
        }

        return activity;
    }

    private static void Complete(Activity? activity, IExecutionContext executionContext)
    {
        if (activity is null)
        {
            return;
        }

        if (executionContext.ResponseContext.Response?.ResponseMetadata?.RequestId is { Length: > 0 } requestId)
        {
            activity.SetTag("aws.request_id", requestId);
        }

        activity.SetStatus(ActivityStatusCode.Ok);
    }

    private static void Fail(Activity? activity, Exception exception)
    {
        if (activity is null)
        {
            return;
        }

        if (exception is AmazonServiceException service)
        {
            activity.SetTag("aws.request_id", service.RequestId);
            activity.SetTag("aws.error_code", service.ErrorCode);
            activity.SetTag("http.response.status_code", (int)service.StatusCode);
        }

        activity.SetTag("error.type", exception.GetType().FullName);
        activity.SetStatus(ActivityStatusCode.Error, exception.Message);
        activity.AddException(exception);
    }

    private static string OperationName(string requestName) =>
        requestName.EndsWith("Request", StringComparison.Ordinal) ? requestName[..^"Request".Length] : requestName;
}
