using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.DataModel;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.SQS;
using Kumo.Clients;
using Kumo.ServiceDefaults.Tracing;

namespace Kumo.ServiceDefaults.Clients;

/// <summary>
/// Maps resolved wiring settings and options onto the core's <see cref="KumoClientFactory"/>: the user's
/// <c>ConfigureS3</c>/<c>ConfigureSqs</c>/<c>ConfigureDynamoDB</c> hooks (the kumo settings are applied after them), the configured dummy
/// credentials and, unless disabled, a tracing handler in each client's own pipeline (never the process-wide
/// registry, so other AWS clients in the process are unchanged).
/// </summary>
internal static class KumoAwsClientSettings
{
    internal static IAmazonS3 CreateS3(KumoAwsSettings settings, KumoAwsOptions options)
    {
        AmazonS3Config config = KumoClientFactory.CreateS3Config(settings.S3ServiceUrl, settings.Region, options.ConfigureS3);
        return KumoClientFactory.CreateS3Client(config, Credentials(options), Tracing(options, KumoWiringNames.S3, config));
    }

    internal static IAmazonSQS CreateSqs(KumoAwsSettings settings, KumoAwsOptions options)
    {
        AmazonSQSConfig config = KumoClientFactory.CreateSqsConfig(settings.SqsServiceUrl, settings.Region, options.ConfigureSqs);
        return KumoClientFactory.CreateSqsClient(config, Credentials(options), Tracing(options, KumoWiringNames.Sqs, config));
    }

    internal static IAmazonDynamoDB CreateDynamoDB(KumoAwsSettings settings, KumoAwsOptions options)
    {
        AmazonDynamoDBConfig config = KumoClientFactory.CreateDynamoDBConfig(settings.DynamoDBServiceUrl, settings.Region, options.ConfigureDynamoDB);
        return KumoClientFactory.CreateDynamoDBClient(config, Credentials(options), Tracing(options, KumoWiringNames.DynamoDB, config));
    }

    /// <summary>The object persistence model over the registered DynamoDB client (so it shares its endpoint, credentials and tracing).</summary>
    internal static IDynamoDBContext CreateDynamoDBContext(IAmazonDynamoDB client) =>
        new DynamoDBContextBuilder().WithDynamoDBClient(() => client).Build();

    /// <summary>Static dummy credentials: the ambient chain (environment, profile, IMDS) is never consulted.</summary>
    private static BasicAWSCredentials Credentials(KumoAwsOptions options) => new(options.AccessKeyId, options.SecretAccessKey);

    private static IPipelineHandler[] Tracing(KumoAwsOptions options, string service, ClientConfig config) =>
        options.DisableTracing ? [] : [new AwsOperationTracingHandler(service, new Uri(config.ServiceURL))];
}
