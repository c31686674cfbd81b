using System.Diagnostics;

namespace Kumo.ServiceDefaults;

/// <summary>
/// Names of the telemetry that the kumo AWS clients emit.
/// </summary>
/// <remarks>
/// Every S3 and SQS operation made through a client registered by <c>AddKumoAwsClients</c> is one client span
/// named <c>S3.PutObject</c>, <c>SQS.ReceiveMessage</c> and so on, with the OpenTelemetry RPC attributes
/// (<c>rpc.system</c> = <c>aws-api</c>, <c>rpc.service</c>, <c>rpc.method</c>), <c>server.address</c>,
/// <c>server.port</c> and <c>aws.request_id</c>. The SDK's HTTP requests appear beneath it as
/// <see cref="System.Net.Http.HttpClient"/> spans (retries included). <c>AddServiceDefaults</c> and
/// <c>AddKumoAwsClients</c> both subscribe the tracer provider to this source.
/// </remarks>
/// <example>
/// <code>
/// builder.Services.AddOpenTelemetry().WithTracing(t => t.AddSource(KumoAwsTelemetry.ActivitySourceName));
/// </code>
/// </example>
public static class KumoAwsTelemetry
{
    /// <summary>The <see cref="ActivitySource"/> name of the AWS operation spans.</summary>
    public const string ActivitySourceName = "Kumo.ServiceDefaults.Aws";

    internal static ActivitySource Source { get; } = new(ActivitySourceName, typeof(KumoAwsTelemetry).Assembly.GetName().Version?.ToString());
}
