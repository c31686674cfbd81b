using System.Text.Json;
using Amazon.S3.Model;
using Kumo.Clients;
using Kumo.Engines;
using Kumo.Seeding;

namespace Kumo.Packages.Tests;

/// <summary>What a user gets from <c>dotnet pack</c>'s output, outside this repository.</summary>
public sealed class ConsumerTests(PackedConsumer packed) : IClassFixture<PackedConsumer>
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(3);
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromMinutes(2);
    private static readonly string[] TestFrameworks = ["xunit", "nunit", "mstest", "microsoft.net.test.sdk"];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public void Pack_produces_exactly_the_packages_of_the_README_table_each_with_its_symbols()
    {
        Assert.True(packed.Pack.ExitCode == 0, packed.Pack.ToString());

        IReadOnlyList<string> packedIds = packed.PackedIds();

        Assert.Equal(ReadmePackageTable.PackageIds().Order(StringComparer.Ordinal), packedIds);
        Assert.All(packedIds, id => Assert.True(File.Exists(Path.Combine(packed.Feed, $"{id}.{packed.Version}.snupkg")), $"{id} has no symbol package"));
    }

    [Fact]
    public void The_consumer_AppHost_restores_the_hosting_package_and_engine_but_no_test_framework()
    {
        packed.AssertBuilt();

        using JsonDocument assets = JsonDocument.Parse(File.ReadAllText(Path.Combine(packed.AppHostDirectory, "obj", "project.assets.json")));
        List<string> libraries = assets.RootElement.GetProperty("libraries").EnumerateObject().Select(library => library.Name.ToLowerInvariant()).ToList();

        Assert.Contains($"kumo.aspire.hosting/{packed.Version}", libraries);
        Assert.Contains($"kumo.embedded/{packed.Version}", libraries);
        Assert.DoesNotContain(libraries, library => TestFrameworks.Any(framework => library.StartsWith(framework, StringComparison.Ordinal)));
    }

    [Fact]
    public async Task The_consumer_test_project_starts_the_AppHost_under_DCP_and_reads_the_seeded_object_and_message()
    {
        packed.AssertBuilt();
        Assert.True(File.Exists(Path.Combine(packed.AppHostOutput, EngineDefinition.EmbeddedFolderName, "kumo-embedded.dll")), "the Kumo.Embedded package did not copy the engine beside the AppHost");

        DotNetCommand.Result run = await DotNetCommand.RunAsync(packed.TestsOutput, RunTimeout, Path.Combine(packed.TestsOutput, "ConsumerTests.dll"));

        if (run.Output.Split('\n').FirstOrDefault(line => line.StartsWith("KUMO_CONSUMER_SKIPPED: ", StringComparison.Ordinal)) is { } skipped)
        {
            Console.WriteLine(skipped);
            Assert.Skip(skipped);
        }

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("KUMO_CONSUMER_ASSERTED", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_the_engine_beside_it_the_consumer_AppHost_stops_with_an_error_naming_the_package()
    {
        packed.AssertBuilt();
        string copy = Path.Combine(packed.Root, "apphost-without-engine");
        CopyDirectory(packed.AppHostOutput, copy, skip: EngineDefinition.EmbeddedFolderName);

        DotNetCommand.Result run = await DotNetCommand.RunAsync(copy, CommandTimeout, Path.Combine(copy, "ConsumerAppHost.dll"));

        Assert.True(run.ExitCode is not null and not 0, run.ToString());
        Assert.Contains("kumo-embedded was not found", run.Output, StringComparison.Ordinal);
        Assert.Contains("Kumo.Embedded package", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Kumoctl_installs_as_a_tool_then_validates_and_seeds_the_packaged_engine()
    {
        packed.AssertBuilt();
        string tools = Path.Combine(packed.Root, "tools");
        string manifest = Path.Combine(packed.Root, "seed.json");
        await File.WriteAllTextAsync(manifest, """
            { "version": 1, "fixtureVersion": "tool-1", "buckets": [ { "name": "tool-bucket", "objects": [ { "key": "a.txt", "text": "from kumoctl" } ] } ], "queues": [ { "name": "tool-queue" } ] }
            """, Ct);

        DotNetCommand.Result install = await DotNetCommand.RunAsync(packed.Consumer, CommandTimeout,
            "tool", "install", "--tool-path", tools, "--add-source", packed.Feed, "Kumo.Cli", "--version", packed.Version);
        Assert.True(install.ExitCode == 0, install.ToString());
        string kumoctl = Path.Combine(tools, "kumoctl");

        DotNetCommand.Result validate = await DotNetCommand.RunFileAsync(kumoctl, packed.Root, CommandTimeout, "validate", "--manifest", manifest);
        Assert.True(validate.ExitCode == 0, validate.ToString());
        Assert.Contains($"KUMO_PLAN_HASH={await SeedManifest.Load(manifest).ComputeHashAsync(Ct)}", validate.Output, StringComparison.Ordinal);

        EngineDefinition engine = EngineDefinition.Embedded(Path.Combine(packed.AppHostOutput, EngineDefinition.EmbeddedFolderName));
        await using RunningEngine running = await EngineProcess.StartAsync(engine, new EngineStartOptions(), Ct);
        Assert.Equal("127.0.0.1", running.Endpoint.Host);

        DotNetCommand.Result seed = await DotNetCommand.RunFileAsync(kumoctl, packed.Root, CommandTimeout, "seed", "--endpoint", running.Endpoint.ToString(), "--manifest", manifest);
        Assert.True(seed.ExitCode == 0, seed.ToString());
        using KumoClients clients = KumoClients.Create(running.Endpoint);
        using GetObjectResponse got = await clients.S3.GetObjectAsync("tool-bucket", "a.txt", Ct);
        Assert.Equal("from kumoctl", await new StreamReader(got.ResponseStream).ReadToEndAsync(Ct));
    }

    private static void CopyDirectory(string source, string target, string skip)
    {
        foreach (string file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            string relative = Path.GetRelativePath(source, file);
            if (relative.StartsWith(skip + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            {
                continue;
            }

            string destination = Path.Combine(target, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            File.Copy(file, destination, overwrite: true);
        }
    }
}
