using Kumo.Contract;

namespace Kumo.ServiceDefaults;

/// <summary>Names used in spans, health checks and messages.</summary>
internal static class KumoWiringNames
{
    internal const string S3 = AwsServiceEndpoint.S3;
    internal const string Sqs = AwsServiceEndpoint.Sqs;
    internal const string DynamoDB = AwsServiceEndpoint.DynamoDB;
    internal const string HealthTag = "kumo";
    internal const string ReadyTag = "ready";
}
