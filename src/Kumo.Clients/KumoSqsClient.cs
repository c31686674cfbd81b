using Amazon.Runtime;
using Amazon.SQS;

namespace Kumo.Clients;

/// <summary>An <see cref="AmazonSQSClient"/> for kumo, with the caller's extra pipeline handlers (e.g. tracing).</summary>
/// <remarks>Made by <see cref="KumoClientFactory.CreateSqsClient"/>.</remarks>
internal sealed class KumoSqsClient : AmazonSQSClient
{
    public KumoSqsClient(AWSCredentials credentials, AmazonSQSConfig config, IReadOnlyList<IPipelineHandler> handlers)
        : base(credentials, config)
    {
        foreach (IPipelineHandler handler in handlers)
        {
            RuntimePipeline.AddHandler(handler);
        }
    }
}
