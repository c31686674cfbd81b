namespace Kumo.Contract;

/// <summary>One service kumo emulates and the variable that carries its endpoint.</summary>
/// <param name="Service">The service's name as AWS writes it (<c>S3</c>, <c>SQS</c>, <c>DynamoDB</c>).</param>
/// <param name="EndpointVariable">The service-specific endpoint variable (<c>AWS_ENDPOINT_URL_&lt;SERVICE&gt;</c>).</param>
public sealed record AwsServiceEndpoint(string Service, string EndpointVariable)
{
    /// <summary>The name of S3.</summary>
    public const string S3 = "S3";

    /// <summary>The name of SQS.</summary>
    public const string Sqs = "SQS";

    /// <summary>The name of DynamoDB.</summary>
    public const string DynamoDB = "DynamoDB";
}
