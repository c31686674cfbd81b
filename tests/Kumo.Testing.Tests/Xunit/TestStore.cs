namespace Kumo.Testing.Tests.Xunit;

/// <summary>
/// The snapshot store shared by this test process's fixtures (so that "built once" is observable and
/// the repository's own store is untouched); deleted when the assembly finishes.
/// </summary>
public sealed class TestStore : IDisposable
{
    private static readonly Lazy<string> LazyRoot = new(() =>
        Path.Combine(Path.GetTempPath(), "kumo-testing-tests", $"store-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..8]}"));

    public static string Root => LazyRoot.Value;

    /// <summary>A fresh, empty directory for a test that needs its own store; the caller deletes it.</summary>
    public static string NewDirectory(string name) =>
        Path.Combine(Path.GetTempPath(), "kumo-testing-tests", $"{name}-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..8]}");

    public static void Delete(string directory)
    {
        try
        {
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }
        }
        catch (IOException)
        {
        }
    }

    /// <summary>Deletes a test's artifact directory (kumo/&lt;run&gt;/&lt;worker&gt;/&lt;test&gt;), then its worker and run directories if that left them empty.</summary>
    public static void DeleteArtifacts(string directory)
    {
        Delete(directory);
        string? parent = Path.GetDirectoryName(directory);
        for (int level = 0; level < 2 && parent is not null && Directory.Exists(parent) && !Directory.EnumerateFileSystemEntries(parent).Any(); level++)
        {
            Directory.Delete(parent);
            parent = Path.GetDirectoryName(parent);
        }
    }

    public void Dispose()
    {
        if (LazyRoot.IsValueCreated)
        {
            Delete(Root);
        }
    }
}
