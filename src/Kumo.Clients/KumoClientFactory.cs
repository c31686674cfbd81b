using Amazon.DynamoDBv2;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.SQS;
using Kumo.Contract;

namespace Kumo.Clients;

/// <summary>
/// The one place every Kumo component (the seeder, kumoctl, the test harnesses, the hosting layer and the service-side
/// <c>AddKumoAwsClients</c>) builds its AWS SDK clients for kumo.
/// </summary>
/// <remarks>
/// <para>
/// A config gets the caller's adjustments first and the kumo settings last, so no adjustment can undo them: the
/// endpoint's scheme and authority as <c>ServiceURL</c> (kumo serves every service at the root), the signing region,
/// and <see cref="KumoClientDefaults"/> (path-style S3, checksums only when required, no endpoint rewriting, no ambient
/// <c>AWS_ENDPOINT_URL*</c>). Clients sign with static credentials — <see cref="KumoClientDefaults.Credentials"/> unless
/// the caller gives others — and never consult the ambient credential chain. The S3 client is a
/// <see cref="KumoS3Client"/>, whose uploads are never <c>aws-chunked</c>.
/// </para>
/// <para>A service kumo adds is one more pair of <c>Create&lt;Service&gt;Config</c>/<c>Create&lt;Service&gt;Client</c> here.</para>
/// </remarks>
/// <example>
/// <code>
/// using IAmazonS3 s3 = KumoClientFactory.CreateS3Client(KumoClientFactory.CreateS3Config(new Uri("http://127.0.0.1:4566")));
/// await s3.PutBucketAsync("orders");
/// </code>
/// </example>
public static class KumoClientFactory
{
    /// <summary>The kumo-safe S3 configuration for the engine at <paramref name="endpoint"/>.</summary>
    /// <param name="endpoint">The engine's base URL, e.g. <c>http://127.0.0.1:4566/</c> (a path is ignored).</param>
    /// <param name="region">The signing region; default kumo's.</param>
    /// <param name="configure">Adjusts the config before the kumo settings are applied (e.g. <c>Timeout</c>, <c>MaxErrorRetry</c>).</param>
    /// <returns>A new config.</returns>
    /// <exception cref="ArgumentException"><paramref name="endpoint"/> is not an absolute http(s) URL.</exception>
    public static AmazonS3Config CreateS3Config(Uri endpoint, string region = KumoDefaults.Region, Action<AmazonS3Config>? configure = null)
    {
        var config = new AmazonS3Config();
        configure?.Invoke(config);
        Apply(config, endpoint, region);
        return KumoClientDefaults.Apply(config);
    }

    /// <summary>The kumo-safe SQS configuration for the engine at <paramref name="endpoint"/>.</summary>
    /// <param name="endpoint">The engine's base URL, e.g. <c>http://127.0.0.1:4566/</c> (a path is ignored).</param>
    /// <param name="region">The signing region; default kumo's.</param>
    /// <param name="configure">Adjusts the config before the kumo settings are applied.</param>
    /// <returns>A new config.</returns>
    /// <exception cref="ArgumentException"><paramref name="endpoint"/> is not an absolute http(s) URL.</exception>
    public static AmazonSQSConfig CreateSqsConfig(Uri endpoint, string region = KumoDefaults.Region, Action<AmazonSQSConfig>? configure = null)
    {
        var config = new AmazonSQSConfig();
        configure?.Invoke(config);
        Apply(config, endpoint, region);
        return KumoClientDefaults.Apply(config);
    }

    /// <summary>The kumo-safe DynamoDB configuration for the engine at <paramref name="endpoint"/>.</summary>
    /// <param name="endpoint">The engine's base URL, e.g. <c>http://127.0.0.1:4566/</c> (a path is ignored).</param>
    /// <param name="region">The signing region; default kumo's.</param>
    /// <param name="configure">Adjusts the config before the kumo settings are applied.</param>
    /// <returns>A new config.</returns>
    /// <exception cref="ArgumentException"><paramref name="endpoint"/> is not an absolute http(s) URL.</exception>
    public static AmazonDynamoDBConfig CreateDynamoDBConfig(Uri endpoint, string region = KumoDefaults.Region, Action<AmazonDynamoDBConfig>? configure = null)
    {
        var config = new AmazonDynamoDBConfig();
        configure?.Invoke(config);
        Apply(config, endpoint, region);
        return KumoClientDefaults.Apply(config);
    }

    /// <summary>Creates an S3 client that never sends <c>aws-chunked</c> upload bodies.</summary>
    /// <param name="config">The config, normally from <see cref="CreateS3Config"/>.</param>
    /// <param name="credentials">The static credentials; default <see cref="KumoClientDefaults.Credentials"/>.</param>
    /// <param name="handlers">Pipeline handlers added outermost, in order (e.g. tracing).</param>
    /// <returns>The client.</returns>
    public static IAmazonS3 CreateS3Client(AmazonS3Config config, AWSCredentials? credentials = null, params IReadOnlyList<IPipelineHandler> handlers)
    {
        ArgumentNullException.ThrowIfNull(config);
        return new KumoS3Client(credentials ?? KumoClientDefaults.Credentials, config, handlers);
    }

    /// <summary>Creates an SQS client.</summary>
    /// <param name="config">The config, normally from <see cref="CreateSqsConfig"/>.</param>
    /// <param name="credentials">The static credentials; default <see cref="KumoClientDefaults.Credentials"/>.</param>
    /// <param name="handlers">Pipeline handlers added outermost, in order (e.g. tracing).</param>
    /// <returns>The client.</returns>
    public static IAmazonSQS CreateSqsClient(AmazonSQSConfig config, AWSCredentials? credentials = null, params IReadOnlyList<IPipelineHandler> handlers)
    {
        ArgumentNullException.ThrowIfNull(config);
        return new KumoSqsClient(credentials ?? KumoClientDefaults.Credentials, config, handlers);
    }

    /// <summary>Creates a DynamoDB client.</summary>
    /// <param name="config">The config, normally from <see cref="CreateDynamoDBConfig"/>.</param>
    /// <param name="credentials">The static credentials; default <see cref="KumoClientDefaults.Credentials"/>.</param>
    /// <param name="handlers">Pipeline handlers added outermost, in order (e.g. tracing).</param>
    /// <returns>The client.</returns>
    public static IAmazonDynamoDB CreateDynamoDBClient(AmazonDynamoDBConfig config, AWSCredentials? credentials = null, params IReadOnlyList<IPipelineHandler> handlers)
    {
        ArgumentNullException.ThrowIfNull(config);
        return new KumoDynamoDBClient(credentials ?? KumoClientDefaults.Credentials, config, handlers);
    }

    private static void Apply(ClientConfig config, Uri endpoint, string region)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentException.ThrowIfNullOrWhiteSpace(region);
        if (!endpoint.IsAbsoluteUri || (endpoint.Scheme != Uri.UriSchemeHttp && endpoint.Scheme != Uri.UriSchemeHttps))
        {
            throw new ArgumentException($"'{endpoint}' is not an http(s) URL. Fix: pass the engine's base URL, e.g. http://127.0.0.1:4566/.", nameof(endpoint));
        }

        config.ServiceURL = endpoint.GetLeftPart(UriPartial.Authority) + "/";
        config.AuthenticationRegion = region;
    }
}
