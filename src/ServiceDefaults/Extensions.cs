using Kumo.ServiceDefaults;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Adds the common service defaults: OpenTelemetry, health checks, service discovery and HTTP resilience.
/// </summary>
/// <remarks>
/// <para>
/// This is the shape of the .NET Aspire ServiceDefaults template. Call <see cref="AddServiceDefaults{TBuilder}"/>
/// on the host builder and <see cref="MapDefaultEndpoints"/> on the built web application. To talk to kumo (or
/// the embedded engine), add <c>builder.AddKumoAwsClients()</c> (see <see cref="KumoAwsClientsExtensions"/>).
/// </para>
/// <para>
/// The OTLP exporter is enabled when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set (Aspire sets it for every project
/// it runs). Traces include ASP.NET Core, <see cref="System.Net.Http.HttpClient"/> (the AWS SDK's own HTTP calls
/// included) and the AWS SDK operation spans of <see cref="KumoAwsTelemetry.ActivitySourceName"/>.
/// </para>
/// </remarks>
/// <example>
/// <code>
/// var builder = WebApplication.CreateBuilder(args);
/// builder.AddServiceDefaults();
/// builder.AddKumoAwsClients();
/// var app = builder.Build();
/// app.MapDefaultEndpoints();
/// app.Run();
/// </code>
/// </example>
public static class Extensions
{
    internal const string HealthEndpointPath = "/health";
    internal const string AlivenessEndpointPath = "/alive";
    internal const string LiveTag = "live";

    /// <summary>Adds OpenTelemetry, default health checks, service discovery and the standard HTTP resilience handler.</summary>
    /// <typeparam name="TBuilder">The host builder type.</typeparam>
    /// <param name="builder">The host builder.</param>
    /// <returns>The same builder, for chaining.</returns>
    public static TBuilder AddServiceDefaults<TBuilder>(this TBuilder builder)
        where TBuilder : IHostApplicationBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);

        builder.ConfigureOpenTelemetry();
        builder.AddDefaultHealthChecks();
        builder.Services.AddServiceDiscovery();
        builder.Services.ConfigureHttpClientDefaults(http =>
        {
            // Applies to clients made by IHttpClientFactory. The AWS SDK clients use their own HttpClient and
            // their own retry policy, so they are not wrapped twice.
            http.AddStandardResilienceHandler();
            http.AddServiceDiscovery();
        });

        return builder;
    }

    /// <summary>Configures OpenTelemetry logging, metrics and tracing, with the OTLP exporter when configured.</summary>
    /// <typeparam name="TBuilder">The host builder type.</typeparam>
    /// <param name="builder">The host builder.</param>
    /// <returns>The same builder, for chaining.</returns>
    public static TBuilder ConfigureOpenTelemetry<TBuilder>(this TBuilder builder)
        where TBuilder : IHostApplicationBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);

        builder.Logging.AddOpenTelemetry(logging =>
        {
            logging.IncludeFormattedMessage = true;
            logging.IncludeScopes = true;
        });

        builder.Services.AddOpenTelemetry()
            .WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation())
            .WithTracing(tracing => tracing
                .AddSource(builder.Environment.ApplicationName)
                .AddSource(KumoAwsTelemetry.ActivitySourceName)
                .AddAspNetCoreInstrumentation(aspNetCore =>
                    // Health probes would drown the interesting traces.
                    aspNetCore.Filter = context =>
                        !context.Request.Path.StartsWithSegments(HealthEndpointPath)
                        && !context.Request.Path.StartsWithSegments(AlivenessEndpointPath))
                .AddHttpClientInstrumentation());

        builder.AddOpenTelemetryExporters();
        return builder;
    }

    /// <summary>Adds a liveness check tagged <c>live</c> that reports whether the app responds at all.</summary>
    /// <typeparam name="TBuilder">The host builder type.</typeparam>
    /// <param name="builder">The host builder.</param>
    /// <returns>The same builder, for chaining.</returns>
    public static TBuilder AddDefaultHealthChecks<TBuilder>(this TBuilder builder)
        where TBuilder : IHostApplicationBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);

        builder.Services.AddHealthChecks()
            .AddCheck("self", () => HealthCheckResult.Healthy(), [LiveTag]);

        return builder;
    }

    /// <summary>
    /// Maps <c>/health</c> (every check must pass: readiness) and <c>/alive</c> (only checks tagged <c>live</c>).
    /// </summary>
    /// <remarks>
    /// As in the Aspire template, the endpoints are mapped only in the Development environment: exposing them
    /// elsewhere has security implications (see https://aka.ms/dotnet/aspire/healthchecks).
    /// </remarks>
    /// <param name="app">The web application.</param>
    /// <returns>The same application, for chaining.</returns>
    public static WebApplication MapDefaultEndpoints(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);

        if (app.Environment.IsDevelopment())
        {
            app.MapHealthChecks(HealthEndpointPath);
            app.MapHealthChecks(AlivenessEndpointPath, new HealthCheckOptions
            {
                Predicate = registration => registration.Tags.Contains(LiveTag),
            });
        }

        return app;
    }

    private static TBuilder AddOpenTelemetryExporters<TBuilder>(this TBuilder builder)
        where TBuilder : IHostApplicationBuilder
    {
        bool useOtlpExporter = !string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        if (useOtlpExporter)
        {
            builder.Services.AddOpenTelemetry().UseOtlpExporter();
        }

        return builder;
    }
}
