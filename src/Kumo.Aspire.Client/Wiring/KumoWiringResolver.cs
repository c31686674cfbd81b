using System.Data.Common;
using System.Globalization;
using System.Text.RegularExpressions;
using Amazon.Extensions.NETCore.Setup;
using Microsoft.Extensions.Configuration;

namespace Kumo.ServiceDefaults.Wiring;

/// <summary>
/// Turns configuration (the wiring contract) and code options into validated <see cref="KumoAwsSettings"/>, or
/// throws a <see cref="KumoWiringException"/> naming the settings and the fix.
/// </summary>
internal static partial class KumoWiringResolver
{
    /// <summary>Reads the <c>Kumo</c> section into options, then applies the code delegate (which wins).</summary>
    internal static KumoAwsOptions ReadOptions(IConfiguration configuration, Action<KumoAwsOptions>? configure)
    {
        var options = new KumoAwsOptions();
        if (ReadBool(configuration, ConfigurationKeys.AllowNonLoopbackEndpoint) is { } allow)
        {
            options.AllowNonLoopbackEndpoint = allow;
        }

        if (ReadBool(configuration, ConfigurationKeys.DisableHealthChecks) is { } noHealth)
        {
            options.DisableHealthChecks = noHealth;
        }

        if (ReadBool(configuration, ConfigurationKeys.DisableTracing) is { } noTracing)
        {
            options.DisableTracing = noTracing;
        }

        if (Read(configuration, ConfigurationKeys.HealthCheckTimeout) is { } timeout)
        {
            options.HealthCheckTimeout = ParseTimeout(ConfigurationKeys.HealthCheckTimeout, timeout);
        }

        options.Region = Read(configuration, ConfigurationKeys.KumoRegion);
        options.AccessKeyId = Read(configuration, ConfigurationKeys.AccessKeyId) ?? options.AccessKeyId;
        options.SecretAccessKey = Read(configuration, ConfigurationKeys.SecretAccessKey) ?? options.SecretAccessKey;

        configure?.Invoke(options);

        if (options.HealthCheckTimeout <= TimeSpan.Zero)
        {
            throw new KumoWiringException(
                $"KumoAwsOptions.HealthCheckTimeout ({ConfigurationKeys.HealthCheckTimeout}) is {options.HealthCheckTimeout}; use a positive duration such as 00:00:05.",
                [ConfigurationKeys.HealthCheckTimeout]);
        }

        if (string.IsNullOrWhiteSpace(options.AccessKeyId) || string.IsNullOrWhiteSpace(options.SecretAccessKey))
        {
            throw new KumoWiringException(
                $"The kumo access key id and secret must not be empty ({ConfigurationKeys.AccessKeyId}, {ConfigurationKeys.SecretAccessKey}). Remove them to use the dummy default '{KumoAwsOptions.DefaultCredential}'.",
                [ConfigurationKeys.AccessKeyId, ConfigurationKeys.SecretAccessKey]);
        }

        return options;
    }

    /// <summary>Resolves endpoints, region and credentials; validates the endpoints against the host rule.</summary>
    internal static KumoAwsSettings Resolve(IConfiguration configuration, string connectionName, KumoAwsOptions options)
    {
        AWSOptions awsSection = ReadAwsSection(configuration);

        Candidate? s3 = FindEndpoint(configuration, connectionName, options, awsSection, ConfigurationKeys.EndpointUrlS3);
        Candidate? sqs = FindEndpoint(configuration, connectionName, options, awsSection, ConfigurationKeys.EndpointUrlSqs);
        Candidate? dynamoDB = FindEndpoint(configuration, connectionName, options, awsSection, ConfigurationKeys.EndpointUrlDynamoDB);
        var missing = new List<(string Service, string Variable)>();
        if (s3 is null)
        {
            missing.Add((KumoWiringNames.S3, ConfigurationKeys.EndpointUrlS3));
        }

        if (sqs is null)
        {
            missing.Add((KumoWiringNames.Sqs, ConfigurationKeys.EndpointUrlSqs));
        }

        if (dynamoDB is null)
        {
            missing.Add((KumoWiringNames.DynamoDB, ConfigurationKeys.EndpointUrlDynamoDB));
        }

        if (missing.Count > 0)
        {
            throw MissingEndpoint(connectionName, missing);
        }

        Uri s3Url = Validate(s3!.Value, options);
        Uri sqsUrl = Validate(sqs!.Value, options);
        Uri dynamoDBUrl = Validate(dynamoDB!.Value, options);
        string region = ResolveRegion(configuration, options, awsSection);
        return new KumoAwsSettings(connectionName, region, options.AccessKeyId)
        {
            S3 = (s3Url, s3.Value.Source),
            Sqs = (sqsUrl, sqs.Value.Source),
            DynamoDB = (dynamoDBUrl, dynamoDB.Value.Source),
        };
    }

    private static Candidate? FindEndpoint(IConfiguration configuration, string connectionName, KumoAwsOptions options, AWSOptions awsSection, string serviceVariable)
    {
        if (options.ServiceUrl is { } code)
        {
            return new Candidate(ConfigurationKeys.OptionsServiceUrl, code.OriginalString);
        }

        string connectionKey = ConfigurationKeys.ConnectionString(connectionName);
        if (Read(configuration, connectionKey) is { } connectionString)
        {
            return new Candidate(connectionKey, EndpointFromConnectionString(connectionKey, connectionString));
        }

        if (Read(configuration, serviceVariable) is { } serviceUrl)
        {
            return new Candidate(serviceVariable, serviceUrl);
        }

        if (Read(configuration, ConfigurationKeys.EndpointUrl) is { } sharedUrl)
        {
            return new Candidate(ConfigurationKeys.EndpointUrl, sharedUrl);
        }

        if (awsSection.DefaultClientConfig.ServiceURL is { Length: > 0 } sectionUrl && !string.IsNullOrWhiteSpace(sectionUrl))
        {
            return new Candidate(ConfigurationKeys.AwsServiceUrl, sectionUrl);
        }

        return null;
    }

    /// <summary>A connection string is either the URL itself or <c>Endpoint=&lt;url&gt;;...</c>.</summary>
    private static string EndpointFromConnectionString(string key, string value)
    {
        string trimmed = value.Trim();
        if (Uri.TryCreate(trimmed, UriKind.Absolute, out Uri? direct) && (direct.Scheme == Uri.UriSchemeHttp || direct.Scheme == Uri.UriSchemeHttps))
        {
            return trimmed;
        }

        if (!trimmed.Contains('=', StringComparison.Ordinal))
        {
            return trimmed;
        }

        var builder = new DbConnectionStringBuilder();
        try
        {
            builder.ConnectionString = trimmed;
        }
        catch (ArgumentException ex)
        {
            throw new KumoWiringException(
                $"The connection string '{key}' is neither a URL nor 'Endpoint=<url>': {ex.Message} Set it to the kumo URL, e.g. {key}=http://localhost:4566.",
                [key]);
        }

        foreach (string name in (string[])["Endpoint", "ServiceUrl", "Url"])
        {
            if (builder.TryGetValue(name, out object? endpoint) && endpoint is string { Length: > 0 } url)
            {
                return url;
            }
        }

        throw new KumoWiringException(
            $"The connection string '{key}' has no Endpoint. Set it to the kumo URL (http://localhost:4566) or to 'Endpoint=http://localhost:4566'.",
            [key]);
    }

    private static Uri Validate(Candidate candidate, KumoAwsOptions options)
    {
        string value = candidate.Value.Trim();
        string? problem = null;
        if (!Uri.TryCreate(value, UriKind.Absolute, out Uri? url))
        {
            problem = "it is not an absolute URL";
        }
        else if (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps)
        {
            problem = $"its scheme is '{url.Scheme}', not http or https";
        }
        else if (string.IsNullOrEmpty(url.Host))
        {
            problem = "it has no host";
        }
        else if (url.UserInfo.Length > 0 || url.Query.Length > 0 || url.Fragment.Length > 0)
        {
            problem = "it has user info, a query or a fragment";
        }
        else if (url.AbsolutePath != "/")
        {
            problem = $"it has a path ('{url.AbsolutePath}'); kumo serves every service at the root";
        }

        if (problem is not null)
        {
            throw new KumoWiringException(
                $"The kumo endpoint from '{candidate.Source}' is malformed: '{value}' ({problem}). Use an absolute http:// or https:// URL with a host and port only, such as http://localhost:4566.",
                [candidate.Source]);
        }

        if (EndpointHostRule.IsRealAws(url!))
        {
            throw new KumoWiringException(
                $"The kumo endpoint from '{candidate.Source}' is a real AWS endpoint ('{value}'). AddKumoAwsClients only talks to kumo and never to AWS, even with {ConfigurationKeys.AllowNonLoopbackEndpoint}. Point '{candidate.Source}' at kumo, or remove the AddKumoAwsClients call to use the regular AWS SDK registration.",
                [candidate.Source]);
        }

        if (!options.AllowNonLoopbackEndpoint && !EndpointHostRule.IsLocal(url!))
        {
            throw new KumoWiringException(
                $"The kumo endpoint from '{candidate.Source}' is not local: '{value}'. Only localhost, *.localhost, 127.0.0.0/8, ::1, host.docker.internal and single-label container host names (such as 'kumo') are accepted by default, so that a wrong value never sends traffic elsewhere. If kumo really runs at that host, opt in with {ConfigurationKeys.AllowNonLoopbackEndpoint}=true (environment variable {ConfigurationKeys.AsEnvironmentVariable(ConfigurationKeys.AllowNonLoopbackEndpoint)}) or {ConfigurationKeys.OptionsAllowNonLoopbackEndpoint} = true.",
                [candidate.Source, ConfigurationKeys.AllowNonLoopbackEndpoint]);
        }

        return url!;
    }

    private static KumoWiringException MissingEndpoint(string connectionName, List<(string Service, string Variable)> missing)
    {
        string connectionKey = ConfigurationKeys.ConnectionString(connectionName);
        string services = missing.Count == 1
            ? missing[0].Service
            : string.Join(", ", missing.Take(missing.Count - 1).Select(m => m.Service)) + " and " + missing[^1].Service;
        var looked = new List<string> { connectionKey };
        looked.AddRange(missing.Select(m => m.Variable));
        looked.Add(ConfigurationKeys.EndpointUrl);
        looked.Add(ConfigurationKeys.AwsServiceUrl);

        string list = string.Join(", ", looked.Select(k => k.Contains(':', StringComparison.Ordinal) ? $"{k} (environment variable {ConfigurationKeys.AsEnvironmentVariable(k)})" : k));
        return new KumoWiringException(
            $"AddKumoAwsClients(\"{connectionName}\") found no endpoint for {services}, and kumo clients never fall back to real AWS. "
            + $"Looked at, in order: {list}. Fix: run the app from the AppHost with .WithReference(kumo), or set "
            + $"{ConfigurationKeys.AsEnvironmentVariable(connectionKey)}=http://localhost:4566 (or {ConfigurationKeys.EndpointUrl}), "
            + "or remove the AddKumoAwsClients call if this app should use real AWS.",
            looked);
    }

    private static string ResolveRegion(IConfiguration configuration, KumoAwsOptions options, AWSOptions awsSection)
    {
        (string Source, string? Value)[] candidates =
        [
            ($"{ConfigurationKeys.KumoRegion} / KumoAwsOptions.Region", options.Region),
            (ConfigurationKeys.Region, Read(configuration, ConfigurationKeys.Region)),
            (ConfigurationKeys.DefaultRegion, Read(configuration, ConfigurationKeys.DefaultRegion)),
            (ConfigurationKeys.AwsRegionSetting, awsSection.Region?.SystemName),
        ];

        foreach ((string source, string? value) in candidates)
        {
            if (string.IsNullOrWhiteSpace(value))
            {
                continue;
            }

            string region = value.Trim();
            if (!RegionPattern().IsMatch(region))
            {
                throw new KumoWiringException(
                    $"The region from '{source}' is malformed: '{region}'. Use a region name such as {KumoAwsOptions.DefaultRegion}, or remove the setting to use {KumoAwsOptions.DefaultRegion}.",
                    [source]);
            }

            return region;
        }

        return KumoAwsOptions.DefaultRegion;
    }

    private static AWSOptions ReadAwsSection(IConfiguration configuration)
    {
        try
        {
            // Only ServiceURL and Region are used. Profile, credentials and role settings of the AWS section are
            // deliberately ignored: kumo clients never use the ambient credential chain.
            return configuration.GetAWSOptions(ConfigurationKeys.AwsSection);
        }
        catch (Exception ex) when (ex is ConfigurationException or ArgumentException or InvalidOperationException or FormatException)
        {
            throw new KumoWiringException(
                $"The '{ConfigurationKeys.AwsSection}' configuration section cannot be read: {ex.Message} Fix or remove the section; kumo only needs {ConfigurationKeys.AwsServiceUrl} from it, if anything.",
                ex);
        }
    }

    private static string? Read(IConfiguration configuration, string key)
    {
        string? value = configuration[key];
        return string.IsNullOrWhiteSpace(value) ? null : value.Trim();
    }

    private static bool? ReadBool(IConfiguration configuration, string key)
    {
        if (Read(configuration, key) is not { } value)
        {
            return null;
        }

        if (bool.TryParse(value, out bool result))
        {
            return result;
        }

        throw new KumoWiringException($"The setting '{key}' is '{value}', not a boolean. Use true or false.", [key]);
    }

    private static TimeSpan ParseTimeout(string key, string value)
    {
        if (TimeSpan.TryParse(value, CultureInfo.InvariantCulture, out TimeSpan timeout) && timeout > TimeSpan.Zero)
        {
            return timeout;
        }

        throw new KumoWiringException($"The setting '{key}' is '{value}', not a positive duration. Use hh:mm:ss, e.g. 00:00:05.", [key]);
    }

    [GeneratedRegex("^[a-z0-9]+(-[a-z0-9]+)*$", RegexOptions.CultureInvariant)]
    private static partial Regex RegionPattern();

    private readonly record struct Candidate(string Source, string Value);
}
