using Amazon.Runtime;
using Amazon.S3;
using Amazon.SQS;
using Kumo.Clients;

namespace Kumo.ServiceDefaults.Clients;

/// <summary>Builds kumo-safe S3 and SQS clients from resolved settings.</summary>
internal static class KumoClientFactory
{
    internal static IAmazonS3 CreateS3(KumoAwsSettings settings, KumoAwsOptions options)
    {
        var config = new AmazonS3Config();
        options.ConfigureS3?.Invoke(config);

        // The kumo settings are applied last so that no user hook can undo them.
        config.ServiceURL = settings.S3ServiceUrl.ToString();
        config.AuthenticationRegion = settings.Region;
        KumoClientDefaults.Apply(config);
        return new TracedKumoS3Client(Credentials(options), config, !options.DisableTracing);
    }

    internal static IAmazonSQS CreateSqs(KumoAwsSettings settings, KumoAwsOptions options)
    {
        var config = new AmazonSQSConfig();
        options.ConfigureSqs?.Invoke(config);
        config.ServiceURL = settings.SqsServiceUrl.ToString();
        config.AuthenticationRegion = settings.Region;
        KumoClientDefaults.Apply(config);
        return new KumoSqsClient(Credentials(options), config, !options.DisableTracing);
    }

    /// <summary>Static dummy credentials: the ambient chain (environment, profile, IMDS) is never consulted.</summary>
    private static BasicAWSCredentials Credentials(KumoAwsOptions options) => new(options.AccessKeyId, options.SecretAccessKey);
}
