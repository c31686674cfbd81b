using Kumo.Contract;

namespace Kumo.Testing;

/// <summary>
/// Where <see cref="KumoFixture"/> keeps snapshots (and, under <c>.work/</c>, the data directories
/// of the engines it runs): shared by every test process of a machine, so a snapshot is built once.
/// </summary>
/// <remarks>
/// <para>
/// The first that applies: the <c>KUMO_SNAPSHOT_DIR</c> variable; <c>.kumo/snapshots</c> in the
/// nearest directory at or above the current directory that holds <c>.git</c> (the repository;
/// add <c>.kumo/</c> to <c>.gitignore</c>); <c>kumo-snapshots</c> under the temporary directory.
/// </para>
/// <para>
/// In CI, point <c>KUMO_SNAPSHOT_DIR</c> at a cached directory to reuse snapshots across jobs.
/// Engines' data directories are restored into its <c>.work/</c> subdirectory, on the same file
/// system, so restores hard-link files instead of copying them; they are deleted when the fixture
/// is disposed (or, if its process died, by the next fixture).
/// </para>
/// </remarks>
/// <example>
/// <code>
/// // KUMO_SNAPSHOT_DIR=/ci/cache/kumo dotnet test
/// string root = KumoSnapshotDirectory.Resolve();   // "/ci/cache/kumo"
/// </code>
/// </example>
public static class KumoSnapshotDirectory
{
    /// <summary>The variable that overrides the snapshot directory.</summary>
    public const string Variable = KumoEnvironment.SnapshotDirectory;

    /// <summary>The directory under the repository root used when the variable is unset.</summary>
    public const string RepositoryRelativePath = ".kumo/snapshots";

    /// <summary>The directory under <see cref="Path.GetTempPath"/> used outside a repository.</summary>
    public const string TemporaryDirectoryName = "kumo-snapshots";

    /// <summary>Resolves the directory from the process environment and the current directory.</summary>
    /// <returns>A full path (not created).</returns>
    public static string Resolve() => Resolve(Environment.GetEnvironmentVariable, Environment.CurrentDirectory);

    /// <summary>Resolves the directory from explicit inputs.</summary>
    /// <param name="getVariable">Returns a variable's value, or null when unset.</param>
    /// <param name="startDirectory">Where to start looking for the repository root.</param>
    /// <returns>A full path (not created).</returns>
    public static string Resolve(Func<string, string?> getVariable, string startDirectory)
    {
        ArgumentNullException.ThrowIfNull(getVariable);
        ArgumentException.ThrowIfNullOrWhiteSpace(startDirectory);
        if (getVariable(Variable) is { } configured && !string.IsNullOrWhiteSpace(configured))
        {
            return Path.GetFullPath(configured.Trim());
        }

        for (DirectoryInfo? directory = new(Path.GetFullPath(startDirectory)); directory is not null; directory = directory.Parent)
        {
            string git = Path.Combine(directory.FullName, ".git");
            if (Directory.Exists(git) || File.Exists(git))
            {
                return Path.GetFullPath(Path.Combine(directory.FullName, RepositoryRelativePath));
            }
        }

        return Path.GetFullPath(Path.Combine(Path.GetTempPath(), TemporaryDirectoryName));
    }
}
