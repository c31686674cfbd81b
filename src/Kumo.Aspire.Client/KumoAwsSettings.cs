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
    internal KumoAwsSettings(string connectionName, string region, string accessKeyId)
    {
        ConnectionName = connectionName;
        Region = region;
        AccessKeyId = accessKeyId;
    }

    /// <summary>The connection name given to <c>AddKumoAwsClients</c> (default <c>kumo</c>).</summary>
    public string ConnectionName { get; }

    /// <summary>The endpoint of the S3 client.</summary>
    public Uri S3ServiceUrl => S3.Url;

    /// <summary>The setting the S3 endpoint came from, e.g. <c>ConnectionStrings:kumo</c>.</summary>
    public string S3ServiceUrlSource => S3.Source;

    /// <summary>The endpoint of the SQS client.</summary>
    public Uri SqsServiceUrl => Sqs.Url;

    /// <summary>The setting the SQS endpoint came from, e.g. <c>AWS_ENDPOINT_URL_SQS</c>.</summary>
    public string SqsServiceUrlSource => Sqs.Source;

    /// <summary>The endpoint of the DynamoDB client.</summary>
    public Uri DynamoDBServiceUrl => DynamoDB.Url;

    /// <summary>The setting the DynamoDB endpoint came from, e.g. <c>AWS_ENDPOINT_URL_DYNAMODB</c>.</summary>
    public string DynamoDBServiceUrlSource => DynamoDB.Source;

    /// <summary>The signing region.</summary>
    public string Region { get; }

    /// <summary>The (dummy) access key id the clients sign with.</summary>
    public string AccessKeyId { get; }

    internal (Uri Url, string Source) S3 { get; init; }

    internal (Uri Url, string Source) Sqs { get; init; }

    internal (Uri Url, string Source) DynamoDB { get; init; }
}
