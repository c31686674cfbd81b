using System.Net.Sockets;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Kumo.Aspire.Hosting.Tests.Utils;
using Kumo.Contract;
using Kumo.Engines;
using Microsoft.Extensions.DependencyInjection;

namespace Kumo.Aspire.Hosting.Tests;

public class AddKumoTests
{
    [Fact]
    public void AddKumoAddsHealthCheckAnnotationOnHealthPath()
    {
        var builder = DistributedApplication.CreateBuilder();
        var kumo = builder.AddKumo("kumo");

        Assert.Single(kumo.Resource.Annotations, a => a is HealthCheckAnnotation hca && hca.Key == "kumo_http_/health_200_check");
    }

    [Fact]
    public void AddKumoContainerWithDefaultsAddsAnnotationMetadata()
    {
        var appBuilder = DistributedApplication.CreateBuilder();
        appBuilder.AddKumo("kumo");

        using var app = appBuilder.Build();
        var appModel = app.Services.GetRequiredService<DistributedApplicationModel>();

        var resource = Assert.Single(appModel.Resources.OfType<KumoResource>());
        Assert.Equal("kumo", resource.Name);

        var endpoint = Assert.Single(resource.Annotations.OfType<EndpointAnnotation>());
        Assert.Equal("http", endpoint.Name);
        Assert.Equal(4566, endpoint.TargetPort);
        Assert.Null(endpoint.Port);
        Assert.False(endpoint.IsExternal);
        Assert.True(endpoint.IsProxied);
        Assert.Equal(ProtocolType.Tcp, endpoint.Protocol);
        Assert.Equal("http", endpoint.UriScheme);

        var image = Assert.Single(resource.Annotations.OfType<ContainerImageAnnotation>());
        Assert.Equal(KumoContainerImageTags.Registry, image.Registry);
        Assert.Equal(KumoContainerImageTags.Image, image.Image);
        Assert.Equal(KumoContainerImageTags.Tag, image.Tag);
        Assert.Equal("ghcr.io/sivchari/kumo:0.32.0", $"{image.Registry}/{image.Image}:{image.Tag}");

        Assert.True(resource.IsContainer());
        Assert.True(resource.IsEmulator());
        Assert.Empty(resource.Annotations.OfType<ContainerMountAnnotation>());
    }

    [Fact]
    public void AddKumoWithPortBindsThatHostPort()
    {
        var builder = DistributedApplication.CreateBuilder();
        var kumo = builder.AddKumo("kumo", port: 14566);

        var endpoint = Assert.Single(kumo.Resource.Annotations.OfType<EndpointAnnotation>());
        Assert.Equal(14566, endpoint.Port);
        Assert.Equal(4566, endpoint.TargetPort);
    }

    [Fact]
    public void WithHostPortChangesTheHostPort()
    {
        var builder = DistributedApplication.CreateBuilder();
        var kumo = builder.AddKumo("kumo").WithHostPort(24566);

        Assert.Equal(24566, Assert.Single(kumo.Resource.Annotations.OfType<EndpointAnnotation>()).Port);
    }

    [Theory]
    [InlineData(DistributedApplicationOperation.Run)]
    [InlineData(DistributedApplicationOperation.Publish)]
    public async Task ContainerListensOnAllInterfacesAtTheTargetPort(DistributedApplicationOperation operation)
    {
        var builder = DistributedApplication.CreateBuilder();
        var kumo = builder.AddKumo("kumo");
        using var app = builder.Build();

        var args = await ExecutionConfiguration.GetArgumentsAsync(kumo.Resource, app.Services, operation);

        var expectedPort = operation == DistributedApplicationOperation.Run ? "4566" : "{kumo.bindings.http.targetPort}";
        Assert.Equal(["--host", "0.0.0.0", "--port", expectedPort], args);
    }

    [Fact]
    public async Task ContainerWithoutDataVolumeKeepsStateInMemory()
    {
        var builder = DistributedApplication.CreateBuilder();
        var kumo = builder.AddKumo("kumo");
        using var app = builder.Build();

        var env = await ExecutionConfiguration.GetEnvironmentAsync(kumo.Resource, app.Services);

        Assert.DoesNotContain("KUMO_DATA_DIR", env.Keys);
        Assert.DoesNotContain("KUMO_INIT_DIR", env.Keys);
    }

    [Fact]
    public async Task ConnectionStringIsTheHttpEndpointUrl()
    {
        var builder = DistributedApplication.CreateBuilder();
        var kumo = builder.AddKumo("kumo").AllocateHttp(52311);
        using var app = builder.Build();

        IResourceWithConnectionString resource = kumo.Resource;
        Assert.Equal("{kumo.bindings.http.url}", resource.ConnectionStringExpression.ValueExpression);
        Assert.Equal("http://localhost:52311", await resource.GetConnectionStringAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public void ConnectionPropertiesOfferOnlyTheUri()
    {
        var builder = DistributedApplication.CreateBuilder();
        IResourceWithConnectionString resource = builder.AddKumo("kumo").Resource;

        var property = Assert.Single(resource.GetConnectionProperties());
        Assert.Equal("Uri", property.Key);
        Assert.Equal("{kumo.bindings.http.url}", property.Value.ValueExpression);
    }

    [Fact]
    public async Task WithDataVolumeMountsVarLibKumoAndTurnsOnPersistence()
    {
        var builder = DistributedApplication.CreateBuilder();
        var kumo = builder.AddKumo("kumo").WithDataVolume();
        using var app = builder.Build();

        var mount = Assert.Single(kumo.Resource.Annotations.OfType<ContainerMountAnnotation>());
        Assert.Equal(ContainerMountType.Volume, mount.Type);
        Assert.Equal(VolumeNameGenerator.Generate(kumo, "data"), mount.Source);
        Assert.Equal("/var/lib/kumo", mount.Target);
        Assert.False(mount.IsReadOnly);

        var env = await ExecutionConfiguration.GetEnvironmentAsync(kumo.Resource, app.Services);
        Assert.Equal("/var/lib/kumo", env["KUMO_DATA_DIR"]);
    }

    [Fact]
    public void WithDataVolumeUsesTheGivenNameAndReadOnlyFlag()
    {
        var builder = DistributedApplication.CreateBuilder();
        var kumo = builder.AddKumo("kumo").WithDataVolume("kumo-seeded", isReadOnly: true);

        var mount = Assert.Single(kumo.Resource.Annotations.OfType<ContainerMountAnnotation>());
        Assert.Equal("kumo-seeded", mount.Source);
        Assert.True(mount.IsReadOnly);
    }

    [Fact]
    public async Task WithDataBindMountMountsTheHostDirectoryRelativeToTheAppHost()
    {
        var builder = DistributedApplication.CreateBuilder();
        var kumo = builder.AddKumo("kumo").WithDataBindMount(".kumo/data");
        using var app = builder.Build();

        var mount = Assert.Single(kumo.Resource.Annotations.OfType<ContainerMountAnnotation>());
        Assert.Equal(ContainerMountType.BindMount, mount.Type);
        Assert.Equal(Path.GetFullPath(".kumo/data", builder.AppHostDirectory), mount.Source);
        Assert.Equal("/var/lib/kumo", mount.Target);

        var env = await ExecutionConfiguration.GetEnvironmentAsync(kumo.Resource, app.Services);
        Assert.Equal("/var/lib/kumo", env["KUMO_DATA_DIR"]);
    }

    [Fact]
    public async Task WithInitFilesCopiesTheScriptsIntoTheContainerAndSetsKumoInitDir()
    {
        var initDir = Directory.CreateTempSubdirectory("kumo-init-");
        try
        {
            await File.WriteAllTextAsync(Path.Combine(initDir.FullName, "10-buckets.sh"), "echo creating buckets\n", TestContext.Current.CancellationToken);

            var builder = DistributedApplication.CreateBuilder();
            var kumo = builder.AddKumo("kumo").WithInitFiles(initDir.FullName);
            using var app = builder.Build();

            var files = Assert.Single(kumo.Resource.Annotations.OfType<ContainerFileSystemCallbackAnnotation>());
            Assert.Equal("/etc/kumo/init.d", files.DestinationPath);
            var items = await files.Callback(new ContainerFileSystemCallbackContext { Services = app.Services, Model = kumo.Resource }, TestContext.Current.CancellationToken);
            var script = Assert.IsType<ContainerFile>(Assert.Single(items));
            Assert.Equal("10-buckets.sh", script.Name);

            var env = await ExecutionConfiguration.GetEnvironmentAsync(kumo.Resource, app.Services);
            Assert.Equal("/etc/kumo/init.d", env["KUMO_INIT_DIR"]);
        }
        finally
        {
            initDir.Delete(recursive: true);
        }
    }

    [Fact]
    public void WithInitFilesRejectsAMissingDirectoryNamingIt()
    {
        var builder = DistributedApplication.CreateBuilder();
        var kumo = builder.AddKumo("kumo");
        var missing = Path.Combine(Path.GetTempPath(), "kumo-init-" + Guid.NewGuid().ToString("N"));

        var ex = Assert.Throws<ArgumentException>(() => kumo.WithInitFiles(missing));

        Assert.Equal("source", ex.ParamName);
        Assert.Contains(missing, ex.Message, StringComparison.Ordinal);
        Assert.Contains("does not exist", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(KumoLogLevel.Debug, "debug")]
    [InlineData(KumoLogLevel.Info, "info")]
    [InlineData(KumoLogLevel.Warn, "warn")]
    [InlineData(KumoLogLevel.Error, "error")]
    public async Task WithLogLevelSetsKumoLogLevel(KumoLogLevel level, string expected)
    {
        var builder = DistributedApplication.CreateBuilder();
        var kumo = builder.AddKumo("kumo").WithLogLevel(level);
        using var app = builder.Build();

        var env = await ExecutionConfiguration.GetEnvironmentAsync(kumo.Resource, app.Services);

        Assert.Equal(expected, env["KUMO_LOG_LEVEL"]);
    }

    [Fact]
    public void WithLogLevelRejectsAnUndefinedLevel()
    {
        var builder = DistributedApplication.CreateBuilder();
        var kumo = builder.AddKumo("kumo");

        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => kumo.WithLogLevel((KumoLogLevel)42));
        Assert.Equal("level", ex.ParamName);
    }

    [Fact]
    public async Task PersistentLifetimeKeepsTheSameDeterministicConfiguration()
    {
        var builder = DistributedApplication.CreateBuilder();
        var kumo = builder.AddKumo("kumo")
                          .WithDataVolume()
                          .WithLifetime(ContainerLifetime.Persistent);
        using var app = builder.Build();

        Assert.Equal(ContainerLifetime.Persistent, Assert.Single(kumo.Resource.Annotations.OfType<ContainerLifetimeAnnotation>()).Lifetime);

        // A persistent container is reused only while its configuration is unchanged: nothing may vary between runs.
        var first = await ExecutionConfiguration.GetEnvironmentAsync(kumo.Resource, app.Services);
        var second = await ExecutionConfiguration.GetEnvironmentAsync(kumo.Resource, app.Services);
        Assert.Equal(first, second);
        Assert.Equal(
            await ExecutionConfiguration.GetArgumentsAsync(kumo.Resource, app.Services),
            await ExecutionConfiguration.GetArgumentsAsync(kumo.Resource, app.Services));
        Assert.Equal("kumo-data", VolumeNameGenerator.Generate(kumo, "data")[^"kumo-data".Length..]);
    }

    [Fact]
    public void AddKumoValidatesItsArguments()
    {
        IDistributedApplicationBuilder nullBuilder = null!;
        Assert.Throws<ArgumentNullException>("builder", () => nullBuilder.AddKumo("kumo"));

        var builder = DistributedApplication.CreateBuilder();
        Assert.Throws<ArgumentNullException>("name", () => builder.AddKumo(null!));
        Assert.Throws<ArgumentException>("name", () => builder.AddKumo(Names.NotConstant(string.Empty)));
        Assert.Throws<ArgumentOutOfRangeException>("port", () => builder.AddKumo("kumo", port: 0));
        Assert.Throws<ArgumentOutOfRangeException>("port", () => builder.AddKumo("kumo", port: 65536));
    }

    [Fact]
    public void ContainerBuilderMethodsValidateTheirArguments()
    {
        IResourceBuilder<KumoResource> nullKumo = null!;
        Assert.Throws<ArgumentNullException>("builder", () => nullKumo.WithDataVolume());
        Assert.Throws<ArgumentNullException>("builder", () => nullKumo.WithDataBindMount("data"));
        Assert.Throws<ArgumentNullException>("builder", () => nullKumo.WithInitFiles("init"));
        Assert.Throws<ArgumentNullException>("builder", () => nullKumo.WithLogLevel(KumoLogLevel.Info));
        Assert.Throws<ArgumentNullException>("builder", () => nullKumo.WithHostPort(1234));

        var kumo = DistributedApplication.CreateBuilder().AddKumo("kumo");
        Assert.Throws<ArgumentNullException>("source", () => kumo.WithDataBindMount(null!));
        Assert.Throws<ArgumentException>("source", () => kumo.WithDataBindMount(""));
        Assert.Throws<ArgumentNullException>("source", () => kumo.WithInitFiles(null!));
        Assert.Throws<ArgumentException>("source", () => kumo.WithInitFiles(""));
        Assert.Throws<ArgumentOutOfRangeException>("port", () => kumo.WithHostPort(-1));
    }
}
