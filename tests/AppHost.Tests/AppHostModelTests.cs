using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;

namespace AppHost.Tests;

/// <summary>
/// The AppHost's application model, built through <see cref="DistributedApplicationTestingBuilder"/> without starting
/// anything: needs neither DCP nor a container runtime.
/// </summary>
public class AppHostModelTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task By_default_kumo_is_the_container_and_the_service_waits_for_it()
    {
        await using var builder = await DistributedApplicationTestingBuilder.CreateAsync<global::Projects.AppHost>(Ct);

        var kumo = Assert.IsType<KumoResource>(Assert.Single(builder.Resources, r => r.Name == OrderAppHost.Kumo));
        var image = Assert.Single(kumo.Annotations.OfType<ContainerImageAnnotation>());
        var orders = Assert.IsType<ProjectResource>(Assert.Single(builder.Resources, r => r.Name == OrderAppHost.Service));

        Assert.Equal("ghcr.io", image.Registry);
        Assert.Equal("sivchari/kumo", image.Image);
        Assert.Contains(orders.Annotations.OfType<WaitAnnotation>(), w => w.Resource == kumo);
        Assert.Contains(orders.Annotations.OfType<ResourceRelationshipAnnotation>(), r => r.Resource == kumo);
    }

    [Fact]
    public async Task Kumo_Engine_embedded_runs_the_embedded_engine_as_a_process_without_a_container()
    {
        await using var builder = await DistributedApplicationTestingBuilder.CreateAsync<global::Projects.AppHost>(["Kumo:Engine=embedded"], Ct);

        var kumo = Assert.IsType<KumoExecutableResource>(Assert.Single(builder.Resources, r => r.Name == OrderAppHost.Kumo));
        var orders = Assert.Single(builder.Resources.OfType<ProjectResource>(), r => r.Name == OrderAppHost.Service);

        Assert.Empty(builder.Resources.OfType<ContainerResource>());
        Assert.Contains(orders.Annotations.OfType<WaitAnnotation>(), w => w.Resource == kumo);
    }

    [Fact]
    public async Task An_unknown_engine_stops_the_AppHost_and_names_the_setting_and_the_choices()
    {
        var ex = await Assert.ThrowsAnyAsync<Exception>(() => DistributedApplicationTestingBuilder.CreateAsync<global::Projects.AppHost>(["Kumo:Engine=lambda"], Ct));

        var refused = FindInChain<DistributedApplicationException>(ex);
        Assert.NotNull(refused);
        Assert.Equal("Kumo:Engine is 'lambda'. Use container (the default), embedded or binary.", refused.Message);
    }

    private static T? FindInChain<T>(Exception? ex)
        where T : Exception
    {
        for (; ex is not null; ex = ex.InnerException)
        {
            if (ex is T found)
            {
                return found;
            }
        }

        return null;
    }
}
