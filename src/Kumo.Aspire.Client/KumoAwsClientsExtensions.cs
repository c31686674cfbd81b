using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.DataModel;
using Amazon.DynamoDBv2.Model;
using Amazon.S3;
using Amazon.SQS;
using Amazon.SQS.Model;
using Kumo.ServiceDefaults;
using Kumo.ServiceDefaults.Clients;
using Kumo.ServiceDefaults.Health;
using Kumo.ServiceDefaults.Wiring;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using OpenTelemetry.Trace;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Registers kumo-safe <see cref="IAmazonS3"/>, <see cref="IAmazonSQS"/> and <see cref="IAmazonDynamoDB"/> clients (and an
/// <see cref="IDynamoDBContext"/> over the DynamoDB one) from the wiring contract.
/// </summary>
/// <remarks>
/// <para>
/// <b>Endpoint</b>, first found wins, per service: <see cref="KumoAwsOptions.ServiceUrl"/>;
/// <c>ConnectionStrings:&lt;connectionName&gt;</c> (the URL itself, or <c>Endpoint=&lt;url&gt;</c>);
/// <c>AWS_ENDPOINT_URL_S3</c> / <c>AWS_ENDPOINT_URL_SQS</c> / <c>AWS_ENDPOINT_URL_DYNAMODB</c>; <c>AWS_ENDPOINT_URL</c>; <c>AWS:ServiceURL</c> (the
/// <c>AWS</c> section, read with <c>GetAWSOptions</c>). Environment variables arrive through the host's
/// configuration, so <c>ConnectionStrings__kumo</c> is <c>ConnectionStrings:kumo</c>.
/// </para>
/// <para>
/// <b>Fails closed.</b> The settings are resolved and checked when this method runs, and it throws a
/// <see cref="KumoWiringException"/> naming the settings and the fix when any service has no endpoint, when it is
/// malformed, when it points at real AWS, or when its host is not local (localhost, <c>*.localhost</c>,
/// 127.0.0.0/8, ::1, <c>host.docker.internal</c>, <c>host.containers.internal</c>, or a single-label container
/// host name such as <c>kumo</c>) unless <c>Kumo:AllowNonLoopbackEndpoint</c> or
/// <see cref="KumoAwsOptions.AllowNonLoopbackEndpoint"/> opts in. It never falls back to real AWS.
/// </para>
/// <para>
/// <b>Kumo-safe clients.</b> Path-style S3 addressing; <c>RequestChecksumCalculation</c> and
/// <c>ResponseChecksumValidation</c> = WHEN_REQUIRED; plain (not aws-chunked) bodies for every
/// <c>PutObject</c>/<c>UploadPart</c>, <c>TransferUtility</c> included, through a handler in each client's own
/// request pipeline; static dummy credentials (<c>test</c>/<c>test</c> unless <c>Kumo:AccessKeyId</c>/
/// <c>Kumo:SecretAccessKey</c> say otherwise; <c>AWS_ACCESS_KEY_ID</c>, <c>AWS_PROFILE</c> and instance
/// metadata are never read, so real keys never leave the machine); region <c>us-east-1</c> unless
/// <c>Kumo:Region</c>, <c>AWS_REGION</c>, <c>AWS_DEFAULT_REGION</c> or <c>AWS:Region</c> say otherwise.
/// </para>
/// <para>
/// <b>Also registered:</b> <see cref="KumoAwsSettings"/> (where the clients point and why); an
/// <see cref="IDynamoDBContext"/> (object persistence model) over the DynamoDB client; health checks
/// <c>&lt;connectionName&gt;-s3</c>, <c>&lt;connectionName&gt;-sqs</c> and <c>&lt;connectionName&gt;-dynamodb</c> (tags
/// <c>ready</c>, <c>kumo</c>) that call <c>ListBuckets</c>/<c>ListQueues</c>/<c>ListTables</c> with a timeout; a span per
/// AWS operation from <see cref="KumoAwsTelemetry.ActivitySourceName"/>. Each client is registered unkeyed (replacing
/// earlier <see cref="IAmazonS3"/>/<see cref="IAmazonSQS"/>/<see cref="IAmazonDynamoDB"/>/<see cref="IDynamoDBContext"/>
/// registrations: an app set up for kumo talks to kumo) and keyed by the connection name.
/// </para>
/// </remarks>
/// <example>
/// <code>
/// var builder = WebApplication.CreateBuilder(args);
/// builder.AddServiceDefaults();
/// builder.AddKumoAwsClients();          // ConnectionStrings:kumo, AWS_ENDPOINT_URL, ...
/// // inject IAmazonS3 / IAmazonSQS / IAmazonDynamoDB / IDynamoDBContext as usual
/// </code>
/// </example>
public static class KumoAwsClientsExtensions
{
    /// <summary>
    /// Registers <see cref="IAmazonS3"/>, <see cref="IAmazonSQS"/>, <see cref="IAmazonDynamoDB"/> and
    /// <see cref="IDynamoDBContext"/> clients that talk to kumo, and fails closed.
    /// </summary>
    /// <typeparam name="TBuilder">The host builder type.</typeparam>
    /// <param name="builder">The host builder; its configuration must already hold the wiring contract.</param>
    /// <param name="connectionName">The connection name (<c>ConnectionStrings:&lt;name&gt;</c>). Default <c>kumo</c>.</param>
    /// <param name="configure">Adjusts the options after the <c>Kumo</c> configuration section is applied.</param>
    /// <returns>The same builder, for chaining.</returns>
    /// <exception cref="KumoWiringException">The configuration would not reach kumo safely; the message says why and how to fix it.</exception>
    public static TBuilder AddKumoAwsClients<TBuilder>(this TBuilder builder, string connectionName = "kumo", Action<KumoAwsOptions>? configure = null)
        where TBuilder : IHostApplicationBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionName);

        KumoAwsOptions options = KumoWiringResolver.ReadOptions(builder.Configuration, configure);
        KumoAwsSettings settings = KumoWiringResolver.Resolve(builder.Configuration, connectionName, options);

        IServiceCollection services = builder.Services;
        services.AddKeyedSingleton(connectionName, settings);
        services.AddKeyedSingleton(connectionName, (_, _) => KumoAwsClientSettings.CreateS3(settings, options));
        services.AddKeyedSingleton(connectionName, (_, _) => KumoAwsClientSettings.CreateSqs(settings, options));
        services.AddKeyedSingleton(connectionName, (_, _) => KumoAwsClientSettings.CreateDynamoDB(settings, options));
        services.AddKeyedSingleton(connectionName, (sp, _) => KumoAwsClientSettings.CreateDynamoDBContext(sp.GetRequiredKeyedService<IAmazonDynamoDB>(connectionName)));

        services.RemoveAll<KumoAwsSettings>();
        services.RemoveAll<IAmazonS3>();
        services.RemoveAll<IAmazonSQS>();
        services.RemoveAll<IAmazonDynamoDB>();
        services.RemoveAll<IDynamoDBContext>();
        services.AddSingleton(settings);
        services.AddSingleton(sp => sp.GetRequiredKeyedService<IAmazonS3>(connectionName));
        services.AddSingleton(sp => sp.GetRequiredKeyedService<IAmazonSQS>(connectionName));
        services.AddSingleton(sp => sp.GetRequiredKeyedService<IAmazonDynamoDB>(connectionName));
        services.AddSingleton(sp => sp.GetRequiredKeyedService<IDynamoDBContext>(connectionName));

        if (!options.DisableHealthChecks)
        {
            string[] tags = [KumoWiringNames.ReadyTag, KumoWiringNames.HealthTag];
            TimeSpan timeout = options.HealthCheckTimeout;
            services.AddHealthChecks()
                .Add(new HealthCheckRegistration(
                    $"{connectionName}-s3",
                    sp => new KumoServiceHealthCheck(KumoWiringNames.S3, "ListBuckets", settings.S3, sp.GetRequiredKeyedService<IAmazonS3>(connectionName).ListBucketsAsync, timeout),
                    failureStatus: null,
                    tags))
                .Add(new HealthCheckRegistration(
                    $"{connectionName}-sqs",
                    sp => new KumoServiceHealthCheck(KumoWiringNames.Sqs, "ListQueues", settings.Sqs, ct => sp.GetRequiredKeyedService<IAmazonSQS>(connectionName).ListQueuesAsync(new ListQueuesRequest { MaxResults = 1 }, ct), timeout),
                    failureStatus: null,
                    tags))
                .Add(new HealthCheckRegistration(
                    $"{connectionName}-dynamodb",
                    sp => new KumoServiceHealthCheck(KumoWiringNames.DynamoDB, "ListTables", settings.DynamoDB, ct => sp.GetRequiredKeyedService<IAmazonDynamoDB>(connectionName).ListTablesAsync(new ListTablesRequest { Limit = 1 }, ct), timeout),
                    failureStatus: null,
                    tags));
        }

        if (!options.DisableTracing)
        {
            services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddSource(KumoAwsTelemetry.ActivitySourceName));
        }

        return builder;
    }
}
