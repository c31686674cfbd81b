using Amazon.DynamoDBv2;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.SQS;
using Kumo.Contract;

namespace Kumo.Clients;

/// <summary>
/// The client settings every kumo-bound AWS client needs, in one place.
/// </summary>
/// <remarks>
/// S3: path-style addressing (kumo resolves virtual hosts only for <c>&lt;bucket&gt;.localhost</c>), no
/// accelerate/dual-stack/FIPS endpoint rewriting, and checksums only when an operation requires
/// them (kumo ignores checksums and cannot read trailers). All: the configured endpoint is never
/// replaced by an ambient <c>AWS_ENDPOINT_URL*</c> value, and the signing region is fixed. DynamoDB: no
/// account-based endpoints. Callers set
/// <c>ServiceURL</c> (and may override <c>AuthenticationRegion</c>) themselves.
/// </remarks>
public static class KumoClientDefaults
{
    /// <summary>The region kumo reports in ARNs and the default signing region.</summary>
    public const string Region = KumoDefaults.Region;

    /// <summary>The dummy access key (and secret) kumo accepts; kumo does not authenticate.</summary>
    public const string DummyAccessKey = KumoDefaults.DummyCredential;

    /// <summary>Static dummy credentials: kumo clients never use the ambient credential chain.</summary>
    public static AWSCredentials Credentials { get; } = new BasicAWSCredentials(DummyAccessKey, DummyAccessKey);

    /// <summary>Applies the kumo-safe S3 settings to <paramref name="config"/>.</summary>
    /// <param name="config">The configuration to change.</param>
    /// <returns>The same configuration, for chaining.</returns>
    public static AmazonS3Config Apply(AmazonS3Config config)
    {
        ArgumentNullException.ThrowIfNull(config);
        ApplyCommon(config);
        config.ForcePathStyle = true;
        config.UseAccelerateEndpoint = false;
        config.RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED;
        config.ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED;
        return config;
    }

    /// <summary>Applies the kumo-safe SQS settings to <paramref name="config"/>.</summary>
    /// <param name="config">The configuration to change.</param>
    /// <returns>The same configuration, for chaining.</returns>
    public static AmazonSQSConfig Apply(AmazonSQSConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        ApplyCommon(config);
        return config;
    }

    /// <summary>Applies the kumo-safe DynamoDB settings to <paramref name="config"/>.</summary>
    /// <param name="config">The configuration to change.</param>
    /// <returns>The same configuration, for chaining.</returns>
    /// <remarks>Account-based endpoints are off: kumo serves DynamoDB at its root, whatever the account.</remarks>
    public static AmazonDynamoDBConfig Apply(AmazonDynamoDBConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        ApplyCommon(config);
        config.AccountIdEndpointMode = AccountIdEndpointMode.DISABLED;
        return config;
    }

    private static void ApplyCommon(ClientConfig config)
    {
        config.UseDualstackEndpoint = false;
        config.UseFIPSEndpoint = false;
        config.IgnoreConfiguredEndpointUrls = true;
        config.AuthenticationRegion ??= Region;
    }
}
