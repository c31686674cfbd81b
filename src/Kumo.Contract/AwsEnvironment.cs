namespace Kumo.Contract;

/// <summary>The <c>AWS_*</c> variables of the wiring contract: what a resource that talks to kumo receives.</summary>
/// <remarks>Every current AWS SDK and the AWS CLI read these names.</remarks>
public static class AwsEnvironment
{
    /// <summary>The endpoint of every service (<c>AWS_ENDPOINT_URL</c>).</summary>
    public const string EndpointUrl = "AWS_ENDPOINT_URL";

    /// <summary>The S3 endpoint (<c>AWS_ENDPOINT_URL_S3</c>).</summary>
    public const string EndpointUrlS3 = "AWS_ENDPOINT_URL_S3";

    /// <summary>The SQS endpoint (<c>AWS_ENDPOINT_URL_SQS</c>).</summary>
    public const string EndpointUrlSqs = "AWS_ENDPOINT_URL_SQS";

    /// <summary>The DynamoDB endpoint (<c>AWS_ENDPOINT_URL_DYNAMODB</c>).</summary>
    public const string EndpointUrlDynamoDB = "AWS_ENDPOINT_URL_DYNAMODB";

    /// <summary>The region (<c>AWS_REGION</c>).</summary>
    public const string Region = "AWS_REGION";

    /// <summary>The region older tools read (<c>AWS_DEFAULT_REGION</c>).</summary>
    public const string DefaultRegion = "AWS_DEFAULT_REGION";

    /// <summary>The access key id (<c>AWS_ACCESS_KEY_ID</c>).</summary>
    public const string AccessKeyId = "AWS_ACCESS_KEY_ID";

    /// <summary>The secret access key (<c>AWS_SECRET_ACCESS_KEY</c>).</summary>
    public const string SecretAccessKey = "AWS_SECRET_ACCESS_KEY";

    /// <summary>When clients compute request checksums (<c>AWS_REQUEST_CHECKSUM_CALCULATION</c>).</summary>
    public const string RequestChecksumCalculation = "AWS_REQUEST_CHECKSUM_CALCULATION";

    /// <summary>When clients validate response checksums (<c>AWS_RESPONSE_CHECKSUM_VALIDATION</c>).</summary>
    public const string ResponseChecksumValidation = "AWS_RESPONSE_CHECKSUM_VALIDATION";

    /// <summary>The checksum setting kumo needs: kumo neither verifies nor strips checksums, so only when an API requires one.</summary>
    public const string WhenRequired = "when_required";

    /// <summary>The services kumo emulates and the variable that carries each one's endpoint; a new service is one more entry.</summary>
    public static IReadOnlyList<AwsServiceEndpoint> ServiceEndpoints { get; } =
    [
        new(AwsServiceEndpoint.S3, EndpointUrlS3),
        new(AwsServiceEndpoint.Sqs, EndpointUrlSqs),
        new(AwsServiceEndpoint.DynamoDB, EndpointUrlDynamoDB),
    ];
}
