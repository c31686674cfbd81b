using Amazon.Runtime;
using Amazon.SQS;
using Kumo.ServiceDefaults.Tracing;

namespace Kumo.ServiceDefaults.Clients;

/// <summary>An <see cref="AmazonSQSClient"/> that, optionally, traces every operation.</summary>
internal sealed class KumoSqsClient : AmazonSQSClient
{
    public KumoSqsClient(AWSCredentials credentials, AmazonSQSConfig config, bool tracing)
        : base(credentials, config)
    {
        if (tracing)
        {
            RuntimePipeline.AddHandler(new AwsOperationTracingHandler(KumoWiringNames.Sqs, new Uri(config.ServiceURL)));
        }
    }
}
