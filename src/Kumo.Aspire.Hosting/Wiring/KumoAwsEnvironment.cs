using Aspire.Hosting.ApplicationModel;
using Kumo.Seeding;

namespace Kumo.Aspire.Hosting.Wiring;

/// <summary>
/// The AWS SDK variables a resource that references kumo receives (the "wiring contract").
/// </summary>
/// <remarks>
/// Every current AWS SDK and the AWS CLI read these names. The endpoint values are endpoint references, so
/// Aspire resolves them for each consumer: a project or executable gets the host address
/// (<c>http://localhost:&lt;port&gt;</c>), a container gets the container-network address
/// (<c>http://&lt;name&gt;.dev.internal:4566</c>).
/// </remarks>
internal static class KumoAwsEnvironment
{
    public const string EndpointUrl = "AWS_ENDPOINT_URL";
    public const string EndpointUrlS3 = "AWS_ENDPOINT_URL_S3";
    public const string EndpointUrlSqs = "AWS_ENDPOINT_URL_SQS";
    public const string Region = "AWS_REGION";
    public const string DefaultRegion = "AWS_DEFAULT_REGION";
    public const string AccessKeyId = "AWS_ACCESS_KEY_ID";
    public const string SecretAccessKey = "AWS_SECRET_ACCESS_KEY";
    public const string RequestChecksumCalculation = "AWS_REQUEST_CHECKSUM_CALCULATION";
    public const string ResponseChecksumValidation = "AWS_RESPONSE_CHECKSUM_VALIDATION";

    /// <summary>kumo's region: every ARN it returns is in us-east-1.</summary>
    public const string RegionValue = KumoClients.Region;

    /// <summary>kumo accepts any credentials; these dummies only satisfy the SDK's credential chain.</summary>
    public const string DummyCredential = KumoClients.DummyAccessKey;

    /// <summary>kumo does not verify or strip checksums, so clients compute them only when an API requires it.</summary>
    public const string WhenRequired = "when_required";

    /// <summary>Adds the AWS variables for <paramref name="kumo"/> to a consumer's environment.</summary>
    /// <param name="context">The consumer's environment callback context.</param>
    /// <param name="kumo">The referenced kumo resource.</param>
    public static void Apply(EnvironmentCallbackContext context, IKumoResource kumo)
    {
        var endpoint = ReferenceExpression.Create($"{kumo.PrimaryEndpoint.Property(EndpointProperty.Url)}");
        var variables = context.EnvironmentVariables;

        variables[EndpointUrl] = endpoint;
        variables[EndpointUrlS3] = endpoint;
        variables[EndpointUrlSqs] = endpoint;
        variables[Region] = RegionValue;
        variables[DefaultRegion] = RegionValue;
        variables[AccessKeyId] = DummyCredential;
        variables[SecretAccessKey] = DummyCredential;
        variables[RequestChecksumCalculation] = WhenRequired;
        variables[ResponseChecksumValidation] = WhenRequired;
    }
}
