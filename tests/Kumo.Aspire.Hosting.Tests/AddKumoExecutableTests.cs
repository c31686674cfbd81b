using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Kumo.Aspire.Hosting.Tests.Utils;
using Kumo.Contract;
using Kumo.Engines;

namespace Kumo.Aspire.Hosting.Tests;

public class AddKumoExecutableTests
{
    /// <summary>The real kumo-embedded.dll (with its runtimeconfig), copied next to the tests by the project reference.</summary>
    private static readonly string EmbeddedDll = typeof(global::Kumo.Embedded.KumoEngine).Assembly.Location;

    private const string TargetPortExpression = """{{- portForServing "kumo" -}}""";

    [Fact]
    public async Task AddKumoEmbeddedRunsTheDllWithDotnetOnLoopback()
    {
        var builder = DistributedApplication.CreateBuilder();
        var kumo = builder.AddKumoEmbedded("kumo", enginePath: EmbeddedDll)
                          .WithEndpoint("http", e => e.AllocatedEndpoint = new AllocatedEndpoint(e, "localhost", 52320, TargetPortExpression));
        using var app = builder.Build();

        var resource = kumo.Resource;
        // The core's EngineDefinition found and probed it: name and version as the engine reports them.
        Assert.Equal(EngineKind.Embedded, resource.Engine.Kind);
        Assert.Equal("kumo-embedded", resource.Engine.Name);
        Assert.Matches(@"^\d+\.\d+\.\d+", resource.Engine.Version);
        Assert.Equal("dotnet", Path.GetFileNameWithoutExtension(resource.Command));
        Assert.Equal(resource.Engine.FileName, resource.Command);
        Assert.Equal(builder.AppHostDirectory, resource.WorkingDirectory);
        Assert.Equal([EmbeddedDll], await ExecutionConfiguration.GetArgumentsAsync(resource, app.Services));
        Assert.True(resource.IsEmulator());
        Assert.False(resource.IsContainer());

        var endpoint = Assert.Single(resource.Annotations.OfType<EndpointAnnotation>());
        Assert.Equal("http", endpoint.Name);
        Assert.Equal("http", endpoint.UriScheme);
        Assert.Null(endpoint.TargetPort);
        Assert.Null(endpoint.Port);

        var env = await ExecutionConfiguration.GetEnvironmentAsync(resource, app.Services);
        Assert.Equal("127.0.0.1", env["KUMO_HOST"]);
        Assert.Equal(TargetPortExpression, env["KUMO_PORT"]);
        // Always set, so a KUMO_DATA_DIR or KUMO_INIT_DIR in the AppHost's own environment cannot leak in.
        Assert.Equal(string.Empty, env["KUMO_DATA_DIR"]);
        Assert.Equal(string.Empty, env["KUMO_INIT_DIR"]);
    }

    [Fact]
    public async Task AddKumoEmbeddedRunsANativeBinaryDirectly()
    {
        using var directory = new TestDirectory("kumo-aot-");
        var binary = FakeEngines.Write(directory, "kumo-embedded", "echo 'kumo-embedded 9.8.7'");

        var builder = DistributedApplication.CreateBuilder();
        var kumo = builder.AddKumoEmbedded("kumo", enginePath: binary);
        using var app = builder.Build();

        Assert.Equal(binary, kumo.Resource.Command);
        Assert.Equal("9.8.7", kumo.Resource.Engine.Version);
        Assert.Empty(await ExecutionConfiguration.GetArgumentsAsync(kumo.Resource, app.Services));
    }

    [Fact]
    public async Task AddKumoEmbeddedFallsBackToTheKumoEmbeddedPathSetting()
    {
        var builder = DistributedApplication.CreateBuilder();
        builder.Configuration["KUMO_EMBEDDED_PATH"] = EmbeddedDll;

        var kumo = builder.AddKumoEmbedded("kumo");
        using var app = builder.Build();

        Assert.Equal([EmbeddedDll], await ExecutionConfiguration.GetArgumentsAsync(kumo.Resource, app.Services));
    }

    [Fact]
    public async Task AddKumoEmbeddedWithoutASettingUsesTheEngineCopiedNextToTheApp()
    {
        var builder = DistributedApplication.CreateBuilder();
        builder.Configuration["KUMO_EMBEDDED_PATH"] = "";

        var kumo = builder.AddKumoEmbedded("kumo");
        using var app = builder.Build();

        // The test project references src/Kumo.Embedded, so its build output sits next to the tests, as next to an AppHost.
        Assert.Equal([Path.Combine(AppContext.BaseDirectory, "kumo-embedded.dll")], await ExecutionConfiguration.GetArgumentsAsync(kumo.Resource, app.Services));
    }

    [Fact]
    public void AddKumoEmbeddedPointedAtADirectoryWithoutAnEngineNamesItAndTheWaysToProvideOne()
    {
        using var empty = new TestDirectory("kumo-no-engine-");
        var builder = DistributedApplication.CreateBuilder();
        builder.Configuration["KUMO_EMBEDDED_PATH"] = empty.Path;

        var ex = Assert.Throws<DistributedApplicationException>(() => builder.AddKumoEmbedded("kumo"));

        Assert.Contains("'kumo'", ex.Message, StringComparison.Ordinal);
        Assert.Contains(empty.Path, ex.Message, StringComparison.Ordinal);
        Assert.Contains("from the KUMO_EMBEDDED_PATH configuration value", ex.Message, StringComparison.Ordinal);
        Assert.Contains("enginePath", ex.Message, StringComparison.Ordinal);
        Assert.IsType<EngineNotFoundException>(ex.InnerException);
    }

    [Fact]
    public void AddKumoEmbeddedWithAMissingFileNamesTheResolvedPath()
    {
        var builder = DistributedApplication.CreateBuilder();

        var ex = Assert.Throws<DistributedApplicationException>(() => builder.AddKumoEmbedded("kumo", enginePath: "no-such-dir/kumo-embedded.dll"));

        Assert.Contains(Path.GetFullPath("no-such-dir/kumo-embedded.dll", builder.AppHostDirectory), ex.Message, StringComparison.Ordinal);
        Assert.Contains("from the path argument", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void PublishModeDoesNotRequireTheEngineToExist()
    {
        var builder = DistributedApplication.CreateBuilder(["AppHost:Operation=publish"]);
        builder.Configuration["KUMO_EMBEDDED_PATH"] = "/nonexistent/kumo-embedded.dll";

        var embedded = builder.AddKumoEmbedded("kumo");
        var binary = builder.AddKumoBinary("kumo2", path: "/nonexistent/kumo");

        // Nothing runs in publish mode: the bare engine names, and no path of this machine in the manifest.
        Assert.Equal("kumo-embedded", embedded.Resource.Command);
        Assert.Equal("kumo", binary.Resource.Command);
    }

    [Fact]
    public void AddKumoBinaryWithoutASettingLooksForKumoOnPath()
    {
        var builder = DistributedApplication.CreateBuilder();
        builder.Configuration["KUMO_BINARY"] = "";
        var onPath = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(d => Path.Combine(d, "kumo")).FirstOrDefault(File.Exists);

        if (Environment.GetEnvironmentVariable("KUMO_BINARY") is { Length: > 0 } || onPath is not null)
        {
            // This machine has a kumo: discovery must find it.
            Assert.Equal(EngineKind.KumoBinary, builder.AddKumoBinary("kumo").Resource.Engine.Kind);
            return;
        }

        var ex = Assert.Throws<DistributedApplicationException>(() => builder.AddKumoBinary("kumo"));
        Assert.Contains("'kumo'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("KUMO_BINARY", ex.Message, StringComparison.Ordinal);
        Assert.Contains("PATH", ex.Message, StringComparison.Ordinal);
        Assert.Contains("github.com/sivchari/kumo/releases", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddKumoBinaryUsesTheKumoBinarySettingAndIdentifiesTheBinaryByItsBytes()
    {
        using var directory = new TestDirectory("kumo-bin-");
        // kumo 0.32.0 has no --version flag: it answers with an error, so the version is a hash of the file.
        var kumoPath = FakeEngines.Write(directory, "kumo", "echo 'unknown flag: --version' >&2; exit 1");
        var builder = DistributedApplication.CreateBuilder();
        builder.Configuration["KUMO_BINARY"] = kumoPath;

        var kumo = builder.AddKumoBinary("kumo", port: 4566);

        Assert.Equal(kumoPath, kumo.Resource.Command);
        Assert.Equal(EngineKind.KumoBinary, kumo.Resource.Engine.Kind);
        Assert.StartsWith("sha256-", kumo.Resource.Engine.Version, StringComparison.Ordinal);
        Assert.Equal(4566, Assert.Single(kumo.Resource.Annotations.OfType<EndpointAnnotation>()).Port);
        Assert.Single(kumo.Resource.Annotations, a => a is HealthCheckAnnotation hca && hca.Key == "kumo_http_/health_200_check");

        var ex = Assert.Throws<DistributedApplicationException>(() => builder.AddKumoBinary("kumo2", path: "/nonexistent/kumo"));
        Assert.Contains("/nonexistent/kumo", ex.Message, StringComparison.Ordinal);
        Assert.Contains("github.com/sivchari/kumo/releases", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WithDataDirectorySetsKumoDataDirRelativeToTheAppHost()
    {
        var builder = DistributedApplication.CreateBuilder();
        var kumo = builder.AddKumoEmbedded("kumo", enginePath: EmbeddedDll)
                          .WithDataDirectory(".kumo/data")
                          .AllocateHttp(52321);
        using var app = builder.Build();

        var env = await ExecutionConfiguration.GetEnvironmentAsync(kumo.Resource, app.Services);

        Assert.Equal(Path.GetFullPath(".kumo/data", builder.AppHostDirectory), env["KUMO_DATA_DIR"]);
    }

    [Fact]
    public async Task WithInitFilesPointsTheProcessAtTheHostDirectory()
    {
        var initDir = Directory.CreateTempSubdirectory("kumo-init-");
        try
        {
            var builder = DistributedApplication.CreateBuilder();
            var kumo = builder.AddKumoEmbedded("kumo", enginePath: EmbeddedDll)
                              .WithInitFiles(initDir.FullName)
                              .WithLogLevel(KumoLogLevel.Warn)
                              .AllocateHttp(52322);
            using var app = builder.Build();

            var env = await ExecutionConfiguration.GetEnvironmentAsync(kumo.Resource, app.Services);

            Assert.Equal(initDir.FullName, env["KUMO_INIT_DIR"]);
            Assert.Equal("warn", env["KUMO_LOG_LEVEL"]);
            Assert.Empty(kumo.Resource.Annotations.OfType<ContainerFileSystemCallbackAnnotation>());
        }
        finally
        {
            initDir.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task ProcessConnectionStringIsTheHttpEndpointUrl()
    {
        var builder = DistributedApplication.CreateBuilder();
        var kumo = builder.AddKumoEmbedded("kumo", enginePath: EmbeddedDll).AllocateHttp(52323);
        using var app = builder.Build();

        IResourceWithConnectionString resource = kumo.Resource;
        Assert.Equal("{kumo.bindings.http.url}", resource.ConnectionStringExpression.ValueExpression);
        Assert.Equal("http://localhost:52323", await resource.GetConnectionStringAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public void ProcessBuilderMethodsValidateTheirArguments()
    {
        IDistributedApplicationBuilder nullBuilder = null!;
        Assert.Throws<ArgumentNullException>("builder", () => nullBuilder.AddKumoEmbedded("kumo", EmbeddedDll));
        Assert.Throws<ArgumentNullException>("builder", () => nullBuilder.AddKumoBinary("kumo"));

        var builder = DistributedApplication.CreateBuilder();
        Assert.Throws<ArgumentNullException>("name", () => builder.AddKumoEmbedded(null!, EmbeddedDll));
        Assert.Throws<ArgumentException>("name", () => builder.AddKumoEmbedded(Names.NotConstant(string.Empty), EmbeddedDll));
        Assert.Throws<ArgumentException>("enginePath", () => builder.AddKumoEmbedded("kumo", " "));
        Assert.Throws<ArgumentException>("path", () => builder.AddKumoBinary("kumo", ""));
        Assert.Throws<ArgumentOutOfRangeException>("port", () => builder.AddKumoEmbedded("kumo", EmbeddedDll, port: 70000));
        Assert.Throws<ArgumentOutOfRangeException>("port", () => builder.AddKumoBinary("kumo", port: 0));

        var kumo = builder.AddKumoEmbedded("kumo", EmbeddedDll);
        IResourceBuilder<KumoExecutableResource> nullKumo = null!;
        Assert.Throws<ArgumentNullException>("builder", () => nullKumo.WithDataDirectory("data"));
        Assert.Throws<ArgumentNullException>("path", () => kumo.WithDataDirectory(null!));
        Assert.Throws<ArgumentException>("path", () => kumo.WithDataDirectory(""));
    }
}
