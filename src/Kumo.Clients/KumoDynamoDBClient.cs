using Amazon.DynamoDBv2;
using Amazon.Runtime;

namespace Kumo.Clients;

/// <summary>An <see cref="AmazonDynamoDBClient"/> for kumo, with the caller's extra pipeline handlers (e.g. tracing).</summary>
/// <remarks>Made by <see cref="KumoClientFactory.CreateDynamoDBClient"/>.</remarks>
internal sealed class KumoDynamoDBClient : AmazonDynamoDBClient
{
    public KumoDynamoDBClient(AWSCredentials credentials, AmazonDynamoDBConfig config, IReadOnlyList<IPipelineHandler> handlers)
        : base(credentials, config)
    {
        foreach (IPipelineHandler handler in handlers)
        {
            RuntimePipeline.AddHandler(handler);
        }
    }
}
