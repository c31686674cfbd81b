using Kumo.Engines;

namespace Kumo.Snapshots.Tests.EngineProcesses;

/// <summary>Where <see cref="EngineDefinition.Embedded()"/> looks beside an app: the app's folder, then the <c>kumo-embedded</c> folder the Kumo.Embedded package fills.</summary>
public sealed class EmbeddedDiscoveryTests
{
    [Fact]
    public void The_kumo_embedded_folder_the_package_fills_is_found_beside_the_app()
    {
        using var app = new TempDirectory("app-with-packaged-engine");
        string folder = Path.Combine(app.Path, EngineDefinition.EmbeddedFolderName);
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "kumo-embedded.dll"), "an engine");
        File.WriteAllText(Path.Combine(folder, "kumo-embedded.runtimeconfig.json"), "{}");

        Assert.Equal(folder, EngineDefinition.FindNextToApp(app.Path));
    }

    [Fact]
    public void An_app_without_the_engine_gets_an_error_naming_the_package_and_the_variable()
    {
        using var app = new TempDirectory("app-without-engine");

        EngineNotFoundException ex = Assert.Throws<EngineNotFoundException>(() => EngineDefinition.FindNextToApp(app.Path));

        Assert.Contains($"neither '{app.Path}' nor its 'kumo-embedded' folder", ex.Message, StringComparison.Ordinal);
        Assert.Contains("add a PackageReference to Kumo.Embedded (Kumo.Aspire.Hosting and Kumo.Testing.Xunit bring it", ex.Message, StringComparison.Ordinal);
        Assert.Contains(EngineDefinition.EmbeddedPathVariable, ex.Message, StringComparison.Ordinal);
    }
}
