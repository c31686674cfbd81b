namespace Kumo.ServiceDefaults;

/// <summary>
/// The resolved kumo wiring of one connection: where each service's requests go, and why.
/// </summary>
/// <remarks>
/// Registered in the service container by <c>AddKumoAwsClients</c> (keyed by the connection name, and unkeyed for
/// the last call), so an app can log or show where its clients point.
/// </remarks>
/// <example>
/// <code>
/// var settings = app.Services.GetRequiredService&lt;KumoAwsSettings&gt;();
/// logger.LogInformation("S3 at {Url} (from {Source})", settings.S3ServiceUrl, settings.S3ServiceUrlSource);
/// </code>
/// </example>
public sealed class KumoAwsSettings
{
    internal KumoAwsSettings(string connectionName, Uri s3ServiceUrl, string s3ServiceUrlSource, Uri sqsServiceUrl, string sqsServiceUrlSource, string region, string accessKeyId)
    {
        ConnectionName = connectionName;
        S3ServiceUrl = s3ServiceUrl;
        S3ServiceUrlSource = s3ServiceUrlSource;
        SqsServiceUrl = sqsServiceUrl;
        SqsServiceUrlSource = sqsServiceUrlSource;
        Region = region;
        AccessKeyId = accessKeyId;
    }

    /// <summary>The connection name given to <c>AddKumoAwsClients</c> (default <c>kumo</c>).</summary>
    public string ConnectionName { get; }

    /// <summary>The endpoint of the S3 client.</summary>
    public Uri S3ServiceUrl { get; }

    /// <summary>The setting the S3 endpoint came from, e.g. <c>ConnectionStrings:kumo</c>.</summary>
    public string S3ServiceUrlSource { get; }

    /// <summary>The endpoint of the SQS client.</summary>
    public Uri SqsServiceUrl { get; }

    /// <summary>The setting the SQS endpoint came from, e.g. <c>AWS_ENDPOINT_URL_SQS</c>.</summary>
    public string SqsServiceUrlSource { get; }

    /// <summary>The signing region.</summary>
    public string Region { get; }

    /// <summary>The (dummy) access key id the clients sign with.</summary>
    public string AccessKeyId { get; }
}
