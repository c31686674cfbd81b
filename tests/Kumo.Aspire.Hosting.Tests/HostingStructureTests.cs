using System.Text.RegularExpressions;

namespace Kumo.Aspire.Hosting.Tests;

/// <summary>
/// The hosting layer's structure as docs/architecture.md states it, read from its source: the folders depend on each
/// other in one direction only, and one file wires Aspire's lifecycle events to them.
/// </summary>
public partial class HostingStructureTests
{
    /// <summary>The folders in dependency order: each may use only those before it.</summary>
    private static readonly string[] Chain = ["State", "Seeding", "Snapshots", "Starts", "Commands", "Lifecycle"];

    /// <summary>Folders outside the chain: they use none of it (only the root's resource types and AddKumo* entry points use them).</summary>
    private static readonly string[] Apart = ["Wiring", "Engines"];

    /// <summary>The only file that subscribes to Aspire's events.</summary>
    private const string WiringFile = "Lifecycle/KumoLifecycle.cs";

    [Fact]
    public void TheFoldersDependOnEachOtherInOneDirectionOnly()
    {
        var sources = Sources();
        var violations = new List<string>();
        foreach (var (path, folder, text) in sources.Where(s => s.Folder.Length > 0))
        {
            Assert.True(Chain.Contains(folder) || Apart.Contains(folder), $"{path}: the folder '{folder}' is neither in the chain ({string.Join(" <- ", Chain)}) nor apart ({string.Join(", ", Apart)}); place it in docs/architecture.md and here.");
            foreach (var used in UsedFolders(text).Where(u => u != folder))
            {
                var allowed = Array.IndexOf(Chain, folder) is var from and >= 0 && Array.IndexOf(Chain, used) is var to and >= 0 && to < from;
                if (!allowed)
                {
                    violations.Add($"{path}: {folder} uses {used}");
                }
            }
        }

        // Every folder of the chain holds code, so the check above cannot pass on an empty or moved tree.
        Assert.All(Chain.Concat(Apart), folder => Assert.Contains(sources, s => s.Folder == folder));
        Assert.Empty(violations);
    }

    [Fact]
    public void OneFileWiresAspiresLifecycleEvents()
    {
        var subscribers = Sources()
            .Where(s => LifecycleSubscription().IsMatch(s.Text))
            .Select(s => s.Path)
            .ToArray();

        Assert.Equal([WiringFile], subscribers);
    }

    [Fact]
    public void ThePublicExtensionsSitBesideTheirConceptsAndTheRootKeepsTheResourcesAndEntryPoints()
    {
        var sources = Sources();
        var extensions = sources.Where(s => s.Path.EndsWith("Extensions.cs", StringComparison.Ordinal)).ToDictionary(s => Path.GetFileName(s.Path), s => s.Folder);

        Assert.Equal("Seeding", extensions["KumoSeedBuilderExtensions.cs"]);
        Assert.Equal("Snapshots", extensions["KumoSnapshotBuilderExtensions.cs"]);
        Assert.Equal("Wiring", extensions["KumoReferenceExtensions.cs"]);
        Assert.Equal("Engines", extensions["KumoResourceBuilderExtensions.cs"]);
        // AddKumo (container) and AddKumoEmbedded/AddKumoBinary (processes) are the entry points.
        Assert.Equal(["KumoBuilderExtensions.cs", "KumoExecutableBuilderExtensions.cs"], extensions.Where(e => e.Value.Length == 0).Select(e => e.Key).Order(StringComparer.Ordinal));
        // Wherever they sit, they keep Aspire's namespace, so a user's `using Aspire.Hosting;` finds them.
        Assert.All(sources.Where(s => s.Path.EndsWith("Extensions.cs", StringComparison.Ordinal)), s => Assert.Contains("namespace Aspire.Hosting;", s.Text, StringComparison.Ordinal));
    }

    private static IEnumerable<string> UsedFolders(string text) =>
        FolderReference().Matches(text).Select(m => m.Groups["using"].Success ? m.Groups["using"].Value : m.Groups["qualified"].Value).Distinct();

    private static List<(string Path, string Folder, string Text)> Sources()
    {
        var root = Path.Combine(RepositoryRoot(), "src", "Kumo.Aspire.Hosting");
        return Directory.EnumerateFiles(root, "*.cs", SearchOption.AllDirectories)
            .Select(file => Path.GetRelativePath(root, file).Replace('\\', '/'))
            .Where(path => !path.StartsWith("bin/", StringComparison.Ordinal) && !path.StartsWith("obj/", StringComparison.Ordinal))
            .Select(path => (path, path.Contains('/', StringComparison.Ordinal) ? path[..path.IndexOf('/', StringComparison.Ordinal)] : string.Empty, File.ReadAllText(Path.Combine(root, path))))
            .ToList();
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Kumo.Aspire.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No Kumo.Aspire.sln above '{AppContext.BaseDirectory}': these tests read the hosting layer's source and run from the repository's build output.");
    }

    /// <summary>A folder's namespace in a using directive, or a name qualified by a folder (e.g. a cref to <c>Seeding.KumoSeedAnnotation</c>).</summary>
    [GeneratedRegex(@"using\s+Kumo\.Aspire\.Hosting\.(?<using>\w+)\s*;|\b(?<qualified>State|Seeding|Snapshots|Starts|Commands|Lifecycle|Wiring|Engines)\.Kumo\w+")]
    private static partial Regex FolderReference();

    /// <summary>Aspire's event subscriptions: <c>On*</c> resource-builder events, <c>Eventing.Subscribe</c>, lifecycle hooks.</summary>
    [GeneratedRegex(@"\.On(BeforeResourceStarted|ResourceReady|InitializeResource|ResourceEndpointsAllocated|ConnectionStringAvailable|ResourceStopped)\b|Eventing\.Subscribe|IDistributedApplicationEventingSubscriber|IDistributedApplicationLifecycleHook")]
    private static partial Regex LifecycleSubscription();
}
