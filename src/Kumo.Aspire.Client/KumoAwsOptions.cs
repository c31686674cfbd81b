using Amazon.DynamoDBv2;
using Amazon.S3;
using Amazon.SQS;
using Kumo.Contract;

namespace Kumo.ServiceDefaults;

/// <summary>
/// Settings of the kumo AWS clients registered by <c>AddKumoAwsClients</c>.
/// </summary>
/// <remarks>
/// <para>
/// Values are read from the <c>Kumo</c> configuration section first (<c>Kumo:AllowNonLoopbackEndpoint</c>,
/// <c>Kumo:Region</c>, <c>Kumo:AccessKeyId</c>, <c>Kumo:SecretAccessKey</c>, <c>Kumo:DisableHealthChecks</c>,
/// <c>Kumo:DisableTracing</c>, <c>Kumo:HealthCheckTimeout</c>); the <c>configure</c> delegate runs after and
/// wins.
/// </para>
/// <para>
/// The endpoint itself normally comes from the wiring contract (<c>ConnectionStrings:&lt;name&gt;</c>, then
/// <c>AWS_ENDPOINT_URL_S3</c>/<c>AWS_ENDPOINT_URL_SQS</c>/<c>AWS_ENDPOINT_URL_DYNAMODB</c>, then <c>AWS_ENDPOINT_URL</c>, then
/// <c>AWS:ServiceURL</c>); <see cref="ServiceUrl"/> overrides all of them.
/// </para>
/// </remarks>
/// <example>
/// <code>
/// builder.AddKumoAwsClients("kumo", o =>
/// {
///     o.AllowNonLoopbackEndpoint = true; // kumo runs on another machine of the test network
///     o.ConfigureS3 = s3 => s3.Timeout = TimeSpan.FromSeconds(10);
/// });
/// </code>
/// </example>
public sealed class KumoAwsOptions
{
    /// <summary>The default region, as kumo reports it in ARNs.</summary>
    public const string DefaultRegion = KumoDefaults.Region;

    /// <summary>The default dummy access key id and secret (kumo does not check signatures).</summary>
    public const string DefaultCredential = KumoDefaults.DummyCredential;

    /// <summary>An endpoint for every service (S3, SQS, DynamoDB) that overrides every configuration source. Default: none.</summary>
    public Uri? ServiceUrl { get; set; }

    /// <summary>
    /// Allows an endpoint whose host is not local (see <c>AddKumoAwsClients</c> for the rule). Default false:
    /// such an endpoint is a startup error, because a typo there could send test traffic to a real service.
    /// Real AWS endpoints (<c>*.amazonaws.com</c>, <c>*.api.aws</c>) are refused even with this set.
    /// </summary>
    public bool AllowNonLoopbackEndpoint { get; set; }

    /// <summary>
    /// The signing region. Default: <c>Kumo:Region</c>, else <c>AWS_REGION</c>, <c>AWS_DEFAULT_REGION</c>,
    /// <c>AWS:Region</c>, else <see cref="DefaultRegion"/>.
    /// </summary>
    public string? Region { get; set; }

    /// <summary>
    /// The access key id the clients sign with. Default <see cref="DefaultCredential"/>; never read from the ambient
    /// credential chain (environment, profile, instance metadata).
    /// </summary>
    public string AccessKeyId { get; set; } = DefaultCredential;

    /// <summary>The secret access key the clients sign with. Default <see cref="DefaultCredential"/>.</summary>
    public string SecretAccessKey { get; set; } = DefaultCredential;

    /// <summary>When true, no health checks are registered for S3, SQS and DynamoDB. Default false.</summary>
    public bool DisableHealthChecks { get; set; }

    /// <summary>How long a health check may take before it reports unhealthy. Default 5 seconds.</summary>
    public TimeSpan HealthCheckTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>When true, the clients emit no <see cref="KumoAwsTelemetry.ActivitySourceName"/> spans. Default false.</summary>
    public bool DisableTracing { get; set; }

    /// <summary>
    /// Adjusts the S3 client configuration (timeouts, retries, ...). Runs before the kumo settings are applied:
    /// the endpoint, path-style addressing, region and checksum settings always win.
    /// </summary>
    public Action<AmazonS3Config>? ConfigureS3 { get; set; }

    /// <summary>
    /// Adjusts the SQS client configuration. Runs before the kumo settings are applied: the endpoint and region
    /// always win.
    /// </summary>
    public Action<AmazonSQSConfig>? ConfigureSqs { get; set; }

    /// <summary>
    /// Adjusts the DynamoDB client configuration. Runs before the kumo settings are applied: the endpoint and region
    /// always win.
    /// </summary>
    public Action<AmazonDynamoDBConfig>? ConfigureDynamoDB { get; set; }
}
