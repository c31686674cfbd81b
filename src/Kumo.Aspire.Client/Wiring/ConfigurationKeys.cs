using Kumo.Contract;

namespace Kumo.ServiceDefaults.Wiring;

/// <summary>The configuration keys of the wiring contract and of the <c>Kumo</c> section.</summary>
internal static class ConfigurationKeys
{
    internal const string ConnectionStringsSection = "ConnectionStrings";
    internal const string EndpointUrl = AwsEnvironment.EndpointUrl;
    internal const string EndpointUrlS3 = AwsEnvironment.EndpointUrlS3;
    internal const string EndpointUrlSqs = AwsEnvironment.EndpointUrlSqs;
    internal const string EndpointUrlDynamoDB = AwsEnvironment.EndpointUrlDynamoDB;
    internal const string AwsSection = "AWS";
    internal const string AwsServiceUrl = "AWS:ServiceURL";
    internal const string AwsRegionSetting = "AWS:Region";
    internal const string Region = AwsEnvironment.Region;
    internal const string DefaultRegion = AwsEnvironment.DefaultRegion;

    internal const string KumoSection = "Kumo";
    internal const string AllowNonLoopbackEndpoint = "Kumo:AllowNonLoopbackEndpoint";
    internal const string KumoRegion = "Kumo:Region";
    internal const string AccessKeyId = "Kumo:AccessKeyId";
    internal const string SecretAccessKey = "Kumo:SecretAccessKey";
    internal const string DisableHealthChecks = "Kumo:DisableHealthChecks";
    internal const string DisableTracing = "Kumo:DisableTracing";
    internal const string HealthCheckTimeout = "Kumo:HealthCheckTimeout";

    internal const string OptionsServiceUrl = "KumoAwsOptions.ServiceUrl";
    internal const string OptionsAllowNonLoopbackEndpoint = "KumoAwsOptions.AllowNonLoopbackEndpoint";

    /// <summary>The environment-variable spelling of a configuration key (<c>:</c> becomes <c>__</c>).</summary>
    internal static string AsEnvironmentVariable(string key) => key.Replace(":", "__", StringComparison.Ordinal);

    /// <summary>The connection string key of a connection name.</summary>
    internal static string ConnectionString(string connectionName) => $"{ConnectionStringsSection}:{connectionName}";
}
