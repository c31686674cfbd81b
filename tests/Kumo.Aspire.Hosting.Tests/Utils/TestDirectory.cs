namespace Kumo.Aspire.Hosting.Tests.Utils;

/// <summary>A fresh directory under the temporary directory, deleted with everything in it on dispose.</summary>
internal sealed class TestDirectory : IDisposable
{
    public TestDirectory(string prefix = "kumo-aspire-") => Path = Directory.CreateTempSubdirectory(prefix).FullName;

    public string Path { get; }

    public string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    /// <summary>Writes <paramref name="text"/> to <paramref name="relativePath"/>, creating its directory.</summary>
    public string Write(string relativePath, string text)
    {
        var full = Combine(relativePath);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        File.WriteAllText(full, text);
        return full;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A process that still holds a file (e.g. an engine being stopped) must not fail the test; the OS cleans temp.
        }
        catch (UnauthorizedAccessException)
        {
            // Snapshot files are read-only; see above.
        }
    }
}
