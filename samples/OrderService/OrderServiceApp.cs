using Microsoft.Extensions.Configuration.Memory;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using OrderService.Messaging;
using OrderService.Orders;
using OrderService.Processing;
using OrderService.Setup;
using OrderService.Storage;

namespace OrderService;

/// <summary>
/// Builds the order service: the API, the worker, and the kumo wiring. <c>Program</c> runs it; tests build it
/// in-process with their own configuration and services.
/// </summary>
/// <example>
/// <code>
/// await using WebApplication app = OrderServiceApp.Build(args, builder =>
///     builder.Configuration.AddInMemoryCollection(new Dictionary&lt;string, string?&gt; { ["ConnectionStrings:kumo"] = "http://127.0.0.1:4566" }));
/// await app.RunAsync();
/// </code>
/// </example>
public static class OrderServiceApp
{
    /// <summary>Builds the application; nothing runs until it is started.</summary>
    /// <param name="args">Command-line arguments (configuration overrides such as <c>--Orders:Bucket=b</c>).</param>
    /// <param name="configure">
    /// Runs first, before any service is registered: add configuration, or register your own
    /// <see cref="IOrderIdGenerator"/>, <see cref="TimeProvider"/> or <see cref="IOrderProcessingHook"/>.
    /// </param>
    /// <returns>The built application.</returns>
    /// <exception cref="Kumo.ServiceDefaults.KumoWiringException">No kumo endpoint (or an unsafe one) is configured.</exception>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(args);

        WebApplicationBuilder builder = WebApplication.CreateBuilder(args);

        // Lowest-priority defaults: appsettings, environment variables and arguments all override them.
        builder.Configuration.Sources.Insert(0, new MemoryConfigurationSource
        {
            InitialData = new Dictionary<string, string?>
            {
                ["Logging:LogLevel:Default"] = "Information",
                ["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning",
            },
        });
        configure?.Invoke(builder);

        builder.AddServiceDefaults();
        builder.AddKumoAwsClients();

        builder.Services.AddOptions<OrdersOptions>()
            .Bind(builder.Configuration.GetSection(OrdersOptions.SectionName))
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<OrdersOptions>, OrdersOptionsValidator>();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.TryAddSingleton<IOrderIdGenerator, TimeOrderedIdGenerator>();
        builder.Services.AddSingleton<OrderStore>();
        builder.Services.AddSingleton<OrderStatusTable>();
        builder.Services.AddSingleton<OrderQueue>();

        // Hosted services start in order: the resources exist before the worker polls.
        builder.Services.AddHostedService<ResourceInitializer>();
        builder.Services.AddHostedService<OrderProcessor>();

        builder.Services.AddProblemDetails();
        builder.Services.ConfigureHttpJsonOptions(json => json.SerializerOptions.TypeInfoResolverChain.Insert(0, OrderJsonContext.Default));

        WebApplication app = builder.Build();
        app.MapDefaultEndpoints();
        app.MapOrderEndpoints();
        return app;
    }
}
