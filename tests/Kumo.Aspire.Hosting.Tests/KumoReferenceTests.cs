using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Kumo.Aspire.Hosting.Tests.Utils;

namespace Kumo.Aspire.Hosting.Tests;

public class KumoReferenceTests
{
    private static readonly string[] EndpointVariables = ["AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_S3", "AWS_ENDPOINT_URL_SQS", "AWS_ENDPOINT_URL_DYNAMODB"];

    [Fact]
    public async Task ProjectConsumerGetsTheHostAddressAndTheAwsVariables()
    {
        var builder = DistributedApplication.CreateBuilder();
        var kumo = builder.AddKumo("kumo").AllocateHttp(52311);
        var orders = builder.AddProject<TestProject>("orders", o => o.ExcludeLaunchProfile = true)
                            .WithReference(kumo);
        using var app = builder.Build();

        var env = await ExecutionConfiguration.GetEnvironmentAsync(orders.Resource, app.Services);

        Assert.Equal("http://localhost:52311", env["ConnectionStrings__kumo"]);
        Assert.Equal("http://localhost:52311", env["KUMO_URI"]);
        AssertAwsVariables(env, "http://localhost:52311");
        Assert.DoesNotContain("KUMO_HOST", env.Keys);
        Assert.DoesNotContain("KUMO_PORT", env.Keys);
    }

    [Fact]
    public async Task ExecutableConsumerGetsTheHostAddress()
    {
        var builder = DistributedApplication.CreateBuilder();
        var kumo = builder.AddKumo("kumo").AllocateHttp(52312);
        var worker = builder.AddExecutable("worker", "worker", ".").WithReference(kumo);
        using var app = builder.Build();

        var env = await ExecutionConfiguration.GetEnvironmentAsync(worker.Resource, app.Services);

        Assert.Equal("http://localhost:52312", env["ConnectionStrings__kumo"]);
        AssertAwsVariables(env, "http://localhost:52312");
    }

    [Fact]
    public async Task ContainerConsumerGetsTheContainerNetworkAddress()
    {
        var builder = DistributedApplication.CreateBuilder();
        // Allocated on both networks, as DCP does: the container must get the container-network address.
        var kumo = builder.AddKumo("kumo").AllocateHttp(52313).AllocateHttpForContainers("kumo.dev.internal", 4566);
        var worker = builder.AddContainer("worker", "myorg/worker").WithReference(kumo);
        using var app = builder.Build();

        var env = await ExecutionConfiguration.GetEnvironmentAsync(worker.Resource, app.Services);

        Assert.Equal("http://kumo.dev.internal:4566", env["ConnectionStrings__kumo"]);
        AssertAwsVariables(env, "http://kumo.dev.internal:4566");
    }

    [Fact]
    public async Task ContainerConsumerOfAKumoProcessGoesThroughTheContainerTunnel()
    {
        var builder = DistributedApplication.CreateBuilder();
        var engine = typeof(global::Kumo.Embedded.KumoEngine).Assembly.Location;
        var kumo = builder.AddKumoEmbedded("kumo", enginePath: engine)
                          .AllocateHttp(52314)
                          .AllocateHttpForContainers(KnownHostNames.DefaultContainerTunnelHostName, 52315);
        var worker = builder.AddContainer("worker", "myorg/worker").WithReference(kumo);
        var api = builder.AddProject<TestProject>("api", o => o.ExcludeLaunchProfile = true).WithReference(kumo);
        using var app = builder.Build();

        var containerEnv = await ExecutionConfiguration.GetEnvironmentAsync(worker.Resource, app.Services);
        var projectEnv = await ExecutionConfiguration.GetEnvironmentAsync(api.Resource, app.Services);

        AssertAwsVariables(containerEnv, "http://aspire.dev.internal:52315");
        AssertAwsVariables(projectEnv, "http://localhost:52314");
    }

    [Fact]
    public async Task ConnectionNameOverridesTheConnectionStringName()
    {
        var builder = DistributedApplication.CreateBuilder();
        var kumo = builder.AddKumo("kumo").AllocateHttp(52316);
        var orders = builder.AddProject<TestProject>("orders", o => o.ExcludeLaunchProfile = true)
                            .WithReference(kumo, connectionName: "aws");
        using var app = builder.Build();

        var env = await ExecutionConfiguration.GetEnvironmentAsync(orders.Resource, app.Services);

        Assert.Equal("http://localhost:52316", env["ConnectionStrings__aws"]);
        Assert.Equal("http://localhost:52316", env["AWS_URI"]);
        Assert.DoesNotContain("ConnectionStrings__kumo", env.Keys);
        AssertAwsVariables(env, "http://localhost:52316");
    }

    [Fact]
    public async Task PublishModeWritesManifestExpressions()
    {
        var builder = DistributedApplication.CreateBuilder(["AppHost:Operation=publish"]);
        Assert.True(builder.ExecutionContext.IsPublishMode);
        var kumo = builder.AddKumo("kumo");
        var orders = builder.AddProject<TestProject>("orders", o => o.ExcludeLaunchProfile = true).WithReference(kumo);
        using var app = builder.Build();

        var env = await ExecutionConfiguration.GetEnvironmentAsync(orders.Resource, app.Services, DistributedApplicationOperation.Publish);

        Assert.Equal("{kumo.connectionString}", env["ConnectionStrings__kumo"]);
        Assert.Equal("{kumo.bindings.http.url}", env["KUMO_URI"]);
        AssertAwsVariables(env, "{kumo.bindings.http.url}");
    }

    [Fact]
    public async Task AnyKumoResourceTypedAsIKumoResourceSelectsTheKumoOverload()
    {
        var builder = DistributedApplication.CreateBuilder();
        var useContainer = builder.Configuration["Kumo:Runtime"] != "embedded";
        IResourceBuilder<IKumoResource> kumo = useContainer
            ? builder.AddKumo("kumo")
            : builder.AddKumoEmbedded("kumo", enginePath: typeof(global::Kumo.Embedded.KumoEngine).Assembly.Location);
        kumo.AllocateHttp(52317);
        var orders = builder.AddProject<TestProject>("orders", o => o.ExcludeLaunchProfile = true)
                            .WithReference(kumo)
                            .WaitFor(kumo);
        using var app = builder.Build();

        var env = await ExecutionConfiguration.GetEnvironmentAsync(orders.Resource, app.Services);

        AssertAwsVariables(env, "http://localhost:52317");
        var wait = Assert.Single(orders.Resource.Annotations.OfType<WaitAnnotation>());
        Assert.Same(kumo.Resource, wait.Resource);
        Assert.Equal(WaitType.WaitUntilHealthy, wait.WaitType);
    }

    [Fact]
    public async Task ReferenceTypedAsAPlainConnectionStringResourceGetsOnlyTheConnectionString()
    {
        // Overloads are chosen by static type: this documents what a caller loses by up-casting.
        var builder = DistributedApplication.CreateBuilder();
        IResourceBuilder<IResourceWithConnectionString> kumo = builder.AddKumo("kumo").AllocateHttp(52318);
        var orders = builder.AddProject<TestProject>("orders", o => o.ExcludeLaunchProfile = true).WithReference(kumo);
        using var app = builder.Build();

        var env = await ExecutionConfiguration.GetEnvironmentAsync(orders.Resource, app.Services);

        Assert.Equal("http://localhost:52318", env["ConnectionStrings__kumo"]);
        Assert.DoesNotContain("AWS_ENDPOINT_URL", env.Keys);
    }

    [Fact]
    public async Task ConnectionStringOnlyInjectionLeavesOutTheAwsVariables()
    {
        var builder = DistributedApplication.CreateBuilder();
        var kumo = builder.AddKumo("kumo").AllocateHttp(52319);
        var orders = builder.AddProject<TestProject>("orders", o => o.ExcludeLaunchProfile = true)
                            .WithReferenceEnvironment(ReferenceEnvironmentInjectionFlags.ConnectionString)
                            .WithReference(kumo);
        using var app = builder.Build();

        var env = await ExecutionConfiguration.GetEnvironmentAsync(orders.Resource, app.Services);

        Assert.Equal("http://localhost:52319", env["ConnectionStrings__kumo"]);
        Assert.DoesNotContain(env.Keys, k => k.StartsWith("AWS_", StringComparison.Ordinal));
        Assert.DoesNotContain("KUMO_URI", env.Keys);
    }

    [Fact]
    public void WithReferenceRecordsAReferenceRelationship()
    {
        var builder = DistributedApplication.CreateBuilder();
        var kumo = builder.AddKumo("kumo");
        var orders = builder.AddProject<TestProject>("orders", o => o.ExcludeLaunchProfile = true).WithReference(kumo);

        var relationship = Assert.Single(orders.Resource.Annotations.OfType<ResourceRelationshipAnnotation>());
        Assert.Same(kumo.Resource, relationship.Resource);
        Assert.Equal("Reference", relationship.Type);
    }

    [Fact]
    public void WithReferenceValidatesItsArguments()
    {
        var builder = DistributedApplication.CreateBuilder();
        var kumo = builder.AddKumo("kumo");
        var orders = builder.AddProject<TestProject>("orders", o => o.ExcludeLaunchProfile = true);

        IResourceBuilder<ProjectResource> nullOrders = null!;
        Assert.Throws<ArgumentNullException>("builder", () => nullOrders.WithReference(kumo));
        Assert.Throws<ArgumentNullException>("kumo", () => orders.WithReference((IResourceBuilder<KumoResource>)null!));
    }

    private static void AssertAwsVariables(Dictionary<string, string> env, string endpoint)
    {
        foreach (var name in EndpointVariables)
        {
            Assert.True(env.TryGetValue(name, out var value), $"{name} is missing; variables: {string.Join(", ", env.Keys)}");
            Assert.Equal(endpoint, value);
        }

        Assert.Equal("us-east-1", env["AWS_REGION"]);
        Assert.Equal("us-east-1", env["AWS_DEFAULT_REGION"]);
        Assert.Equal("test", env["AWS_ACCESS_KEY_ID"]);
        Assert.Equal("test", env["AWS_SECRET_ACCESS_KEY"]);
        Assert.Equal("when_required", env["AWS_REQUEST_CHECKSUM_CALCULATION"]);
        Assert.Equal("when_required", env["AWS_RESPONSE_CHECKSUM_VALIDATION"]);
    }
}
