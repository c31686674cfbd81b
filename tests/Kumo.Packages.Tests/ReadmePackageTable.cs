namespace Kumo.Packages.Tests;

/// <summary>The package table of README.md (section <c>## Packages</c>): its first column names each package in backticks.</summary>
internal static class ReadmePackageTable
{
    private const string Heading = "## Packages";

    /// <summary>Returns the package ids the table lists, in order.</summary>
    /// <returns>The ids.</returns>
    public static IReadOnlyList<string> PackageIds()
    {
        string[] lines = File.ReadAllLines(Path.Combine(Repository.Root, "README.md"));
        int start = Array.FindIndex(lines, line => line.Trim() == Heading);
        if (start < 0)
        {
            throw new InvalidOperationException($"README.md has no '{Heading}' section with the package table.");
        }

        return lines.Skip(start + 1)
            .TakeWhile(line => !line.StartsWith("## ", StringComparison.Ordinal))
            .Where(line => line.StartsWith("| `", StringComparison.Ordinal))
            .Select(line => line.Split('`')[1])
            .ToList();
    }
}
