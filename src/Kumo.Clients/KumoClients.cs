using Amazon.DynamoDBv2;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.SQS;

namespace Kumo.Clients;

/// <summary>
/// An S3, an SQS and a DynamoDB client for one engine, made by <see cref="KumoClientFactory"/>: dummy credentials, kumo's region,
/// path-style S3, checksums only when required, and plain (never aws-chunked) upload bodies.
/// </summary>
/// <remarks>
/// Configured endpoint variables (<c>AWS_ENDPOINT_URL*</c>) and the ambient credential chain are ignored, so these
/// clients can only talk to the endpoint they were given.
/// </remarks>
/// <example>
/// <code>
/// using KumoClients clients = KumoClients.Create(new Uri("http://127.0.0.1:4566"));
/// await clients.S3.PutBucketAsync("orders");
/// </code>
/// </example>
public sealed class KumoClients : IDisposable
{
    private KumoClients(IAmazonS3 s3, IAmazonSQS sqs, IAmazonDynamoDB dynamoDB)
    {
        S3 = s3;
        Sqs = sqs;
        DynamoDB = dynamoDB;
    }

    /// <summary>The S3 client.</summary>
    public IAmazonS3 S3 { get; }

    /// <summary>The SQS client.</summary>
    public IAmazonSQS Sqs { get; }

    /// <summary>The DynamoDB client.</summary>
    public IAmazonDynamoDB DynamoDB { get; }

    /// <summary>Creates an S3, an SQS and a DynamoDB client for the engine at <paramref name="endpoint"/>.</summary>
    /// <param name="endpoint">The engine's base URL, e.g. <c>http://127.0.0.1:4566/</c>.</param>
    /// <param name="configure">Adjusts every config (e.g. <c>HttpClientFactory</c>, <c>Timeout</c>); the kumo settings are applied after it.</param>
    /// <returns>The clients; dispose them when done.</returns>
    /// <exception cref="ArgumentException"><paramref name="endpoint"/> is not an absolute http(s) URL.</exception>
    public static KumoClients Create(Uri endpoint, Action<ClientConfig>? configure = null)
    {
        AmazonS3Config s3Config = KumoClientFactory.CreateS3Config(endpoint, configure: configure);
        AmazonSQSConfig sqsConfig = KumoClientFactory.CreateSqsConfig(endpoint, configure: configure);
        AmazonDynamoDBConfig dynamoDBConfig = KumoClientFactory.CreateDynamoDBConfig(endpoint, configure: configure);
        return new KumoClients(KumoClientFactory.CreateS3Client(s3Config), KumoClientFactory.CreateSqsClient(sqsConfig), KumoClientFactory.CreateDynamoDBClient(dynamoDBConfig));
    }

    /// <summary>Disposes the clients.</summary>
    public void Dispose()
    {
        S3.Dispose();
        Sqs.Dispose();
        DynamoDB.Dispose();
    }
}
