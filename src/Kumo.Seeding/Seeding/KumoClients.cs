using Amazon.Runtime;
using Amazon.S3;
using Amazon.SQS;
using Kumo.Clients;

namespace Kumo.Seeding;

/// <summary>
/// Creates AWS SDK clients that are safe to point at kumo (or the embedded engine): dummy
/// credentials, region <c>us-east-1</c>, path-style S3, checksums only when required, and plain
/// (never aws-chunked) upload bodies.
/// </summary>
/// <remarks>
/// <para>
/// Credentials are always <c>BasicAWSCredentials("test", "test")</c> — never the ambient chain —
/// and configured endpoint variables (<c>AWS_ENDPOINT_URL*</c>) are ignored, so a client made
/// here can only talk to the endpoint it was given.
/// </para>
/// <para>
/// kumo cannot decode <c>aws-chunked</c> bodies, and AWSSDK.S3 v4 sends them unless each
/// <c>PutObjectRequest</c>/<c>UploadPartRequest</c> sets <c>UseChunkEncoding = false</c>. The S3
/// client made by <see cref="CreateS3Client"/> sets it on every such request in its pipeline, so
/// callers cannot forget it.
/// </para>
/// </remarks>
/// <example>
/// <code>
/// using KumoClients clients = KumoClients.Create(new Uri("http://127.0.0.1:4566"));
/// await clients.S3.PutBucketAsync("orders");
/// </code>
/// </example>
public sealed class KumoClients : IDisposable
{
    /// <summary>The region kumo reports in ARNs and clients sign for.</summary>
    public const string Region = KumoClientDefaults.Region;

    /// <summary>The dummy access key id (and secret) every kumo client uses.</summary>
    public const string DummyAccessKey = KumoClientDefaults.DummyAccessKey;

    private KumoClients(IAmazonS3 s3, IAmazonSQS sqs)
    {
        S3 = s3;
        Sqs = sqs;
    }

    /// <summary>The dummy credentials every kumo client uses.</summary>
    public static AWSCredentials Credentials => KumoClientDefaults.Credentials;

    /// <summary>The S3 client.</summary>
    public IAmazonS3 S3 { get; }

    /// <summary>The SQS client.</summary>
    public IAmazonSQS Sqs { get; }

    /// <summary>Creates an S3 and an SQS client for the engine at <paramref name="endpoint"/>.</summary>
    /// <param name="endpoint">The engine's base URL, e.g. <c>http://127.0.0.1:4566/</c>.</param>
    /// <param name="configure">Adjusts both configs after the kumo-safe defaults (e.g. <c>HttpClientFactory</c>, <c>Timeout</c>).</param>
    /// <returns>The clients; dispose them when done.</returns>
    public static KumoClients Create(Uri endpoint, Action<ClientConfig>? configure = null)
    {
        AmazonS3Config s3Config = CreateS3Config(endpoint);
        AmazonSQSConfig sqsConfig = CreateSqsConfig(endpoint);
        configure?.Invoke(s3Config);
        configure?.Invoke(sqsConfig);
        return new KumoClients(CreateS3Client(s3Config), CreateSqsClient(sqsConfig));
    }

    /// <summary>The kumo-safe S3 configuration for <paramref name="endpoint"/>.</summary>
    /// <param name="endpoint">The engine's base URL.</param>
    /// <returns>A new config: path-style, checksums when required, region us-east-1.</returns>
    public static AmazonS3Config CreateS3Config(Uri endpoint)
    {
        var config = new AmazonS3Config();
        Apply(config, endpoint);
        return KumoClientDefaults.Apply(config);
    }

    /// <summary>The kumo-safe SQS configuration for <paramref name="endpoint"/>.</summary>
    /// <param name="endpoint">The engine's base URL.</param>
    /// <returns>A new config for region us-east-1.</returns>
    public static AmazonSQSConfig CreateSqsConfig(Uri endpoint)
    {
        var config = new AmazonSQSConfig();
        Apply(config, endpoint);
        return KumoClientDefaults.Apply(config);
    }

    /// <summary>Creates an S3 client that never sends <c>aws-chunked</c> upload bodies.</summary>
    /// <param name="config">The config, normally from <see cref="CreateS3Config"/>.</param>
    /// <returns>The client.</returns>
    public static IAmazonS3 CreateS3Client(AmazonS3Config config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return new KumoS3Client(Credentials, config);
    }

    /// <summary>Creates an SQS client with the dummy credentials.</summary>
    /// <param name="config">The config, normally from <see cref="CreateSqsConfig"/>.</param>
    /// <returns>The client.</returns>
    public static IAmazonSQS CreateSqsClient(AmazonSQSConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return new AmazonSQSClient(Credentials, config);
    }

    /// <summary>Disposes both clients.</summary>
    public void Dispose()
    {
        S3.Dispose();
        Sqs.Dispose();
    }

    private static void Apply(ClientConfig config, Uri endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        if (!endpoint.IsAbsoluteUri || (endpoint.Scheme != Uri.UriSchemeHttp && endpoint.Scheme != Uri.UriSchemeHttps))
        {
            throw new ArgumentException($"'{endpoint}' is not an http(s) URL. Fix: pass the engine's base URL, e.g. http://127.0.0.1:4566/.", nameof(endpoint));
        }

        config.ServiceURL = endpoint.GetLeftPart(UriPartial.Authority) + "/";
        config.AuthenticationRegion = Region;
    }
}
