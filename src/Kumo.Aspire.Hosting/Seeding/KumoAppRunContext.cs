using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Kumo.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Kumo.Aspire.Hosting.Seeding;

/// <summary>
/// The run and worker ids set for every kumo resource of one application (<c>WithKumoRunContext</c>), kept as a
/// singleton in the AppHost's services so it also covers resources added afterwards.
/// </summary>
internal sealed class KumoAppRunContext
{
    /// <summary>The ids, or null when none were set.</summary>
    public KumoRunContext? Context { get; set; }

    /// <summary>Returns the application's holder, registering one on first use.</summary>
    /// <param name="builder">The application builder.</param>
    /// <returns>The holder.</returns>
    public static KumoAppRunContext GetOrAdd(IDistributedApplicationBuilder builder)
    {
        if (builder.Services.FirstOrDefault(d => d.ServiceType == typeof(KumoAppRunContext))?.ImplementationInstance is KumoAppRunContext existing)
        {
            return existing;
        }

        var holder = new KumoAppRunContext();
        builder.Services.AddSingleton(holder);
        return holder;
    }

    /// <summary>
    /// The ids a resource's <c>{run}</c> and <c>{worker}</c> resolve to: its own (<c>WithRunContext</c>), else the
    /// application's (<c>WithKumoRunContext</c>), else <see cref="KumoRunContext.Current"/> (CI variables).
    /// </summary>
    /// <param name="resource">The kumo resource.</param>
    /// <param name="services">The AppHost's services.</param>
    /// <returns>The run context.</returns>
    public static KumoRunContext For(IResource resource, IServiceProvider services) =>
        resource.TryGetLastAnnotation<KumoRunContextAnnotation>(out var own)
            ? own.Context
            : services.GetService<KumoAppRunContext>()?.Context ?? KumoRunContext.Current;
}
