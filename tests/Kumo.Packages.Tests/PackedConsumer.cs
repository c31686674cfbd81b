using System.Globalization;

namespace Kumo.Packages.Tests;

/// <summary>
/// Packs the shipping projects once into a temporary feed (a version of its own, so no cache can serve a stale package),
/// writes the consumer (Consumer/: an AppHost and a test project) outside the repository with its own NuGet.config, and
/// restores and builds it once; the tests assert on what these steps left. Every step is bounded.
/// </summary>
public sealed class PackedConsumer : IAsyncLifetime
{
    private static readonly TimeSpan PackTimeout = TimeSpan.FromMinutes(3);
    private static readonly TimeSpan BuildTimeout = TimeSpan.FromMinutes(5);

    /// <summary>The temporary root: feed/, consumer/, tools/.</summary>
    public string Root { get; } = Path.Combine(Path.GetTempPath(), "kumo-packages-" + Guid.NewGuid().ToString("N")[..12]);

    /// <summary>The version every package is packed with.</summary>
    public string Version { get; } = "0.1.0-ci." + DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);

    /// <summary>The folder <c>dotnet pack</c> wrote the packages to.</summary>
    public string Feed => Path.Combine(Root, "feed");

    /// <summary>The consumer's solution folder.</summary>
    public string Consumer => Path.Combine(Root, "consumer");

    /// <summary>The consumer AppHost's project folder.</summary>
    public string AppHostDirectory => Path.Combine(Consumer, "ConsumerAppHost");

    /// <summary>The consumer AppHost's build output.</summary>
    public string AppHostOutput => Path.Combine(AppHostDirectory, "bin", "Debug", "net10.0");

    /// <summary>The consumer test project's build output.</summary>
    public string TestsOutput => Path.Combine(Consumer, "ConsumerTests", "bin", "Debug", "net10.0");

    /// <summary><c>dotnet pack</c> of the solution.</summary>
    public DotNetCommand.Result Pack { get; private set; } = null!;

    /// <summary>The consumer's restore and build (the test project, and through it the AppHost), or null when packing failed.</summary>
    public DotNetCommand.Result? Build { get; private set; }

    /// <inheritdoc/>
    public async ValueTask InitializeAsync()
    {
        Directory.CreateDirectory(Root);
        Pack = await DotNetCommand.RunAsync(Repository.Root, PackTimeout,
            "pack", Repository.Solution, "--no-build", "--no-restore", "-c", Repository.Configuration, $"-p:PackageVersion={Version}", "-o", Feed);
        if (Pack.ExitCode != 0)
        {
            return;
        }

        WriteConsumer();
        Build = await DotNetCommand.RunAsync(Consumer, BuildTimeout, "build", Path.Combine("ConsumerTests", "ConsumerTests.csproj"), "-c", "Debug");
    }

    /// <summary>Fails the calling test with the step's output unless packing and the consumer's build succeeded.</summary>
    public void AssertBuilt()
    {
        Assert.True(Pack.ExitCode == 0, Pack.ToString());
        Assert.NotNull(Build);
        Assert.True(Build.ExitCode == 0, Build.ToString());
    }

    /// <summary>The package ids <c>dotnet pack</c> produced (from the .nupkg file names).</summary>
    /// <returns>The ids, sorted.</returns>
    public IReadOnlyList<string> PackedIds()
    {
        string suffix = "." + Version + ".nupkg";
        return Directory.EnumerateFiles(Feed, "*" + suffix)
            .Select(file => Path.GetFileName(file)[..^suffix.Length])
            .Order(StringComparer.Ordinal)
            .ToList();
    }

    /// <inheritdoc/>
    public ValueTask DisposeAsync()
    {
        // The packages of this run leave the NuGet cache with it; nothing else is touched.
        string cache = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } configured
            ? configured
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        if (Directory.Exists(Feed))
        {
            foreach (string id in PackedIds())
            {
                DeleteIfPresent(Path.Combine(cache, id.ToLowerInvariant(), Version));
            }
        }

        DeleteIfPresent(Root);
        return ValueTask.CompletedTask;
    }

    private void WriteConsumer()
    {
        string pins = string.Join(Environment.NewLine, new[] { "Polly.Core", "Polly.Extensions", "Nerdbank.MessagePack" }
            .Select(id => $"""    <PackageReference Include="{id}" Version="{Repository.CentralVersion(id)}" />"""));
        var values = new Dictionary<string, string>
        {
            ["{{Feed}}"] = Feed,
            ["{{KumoVersion}}"] = Version,
            ["{{AspireVersion}}"] = Repository.CentralVersion("Aspire.Hosting"),
            ["{{AspireAppHostSdkVersion}}"] = Repository.AspireAppHostSdkVersion(),
            ["{{XunitVersion}}"] = Repository.CentralVersion("xunit.v3"),
            ["{{Pins}}"] = pins,
        };

        string template = Path.Combine(AppContext.BaseDirectory, "Consumer");
        foreach (string source in Directory.EnumerateFiles(template, "*", SearchOption.AllDirectories))
        {
            string target = Path.Combine(Consumer, Path.GetRelativePath(template, source));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            string text = values.Aggregate(File.ReadAllText(source), (current, value) => current.Replace(value.Key, value.Value, StringComparison.Ordinal));
            File.WriteAllText(target, text);
        }
    }

    private static void DeleteIfPresent(string directory)
    {
        try
        {
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }
        }
        catch (IOException ex)
        {
            Console.WriteLine($"Kumo.Packages.Tests: could not delete '{directory}': {ex.Message}");
        }
        catch (UnauthorizedAccessException ex)
        {
            Console.WriteLine($"Kumo.Packages.Tests: could not delete '{directory}': {ex.Message}");
        }
    }
}
