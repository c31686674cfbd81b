using Kumo.Contract;

namespace Kumo.Snapshots;

/// <summary>
/// The one resolver of the snapshot store's directory, used by the Aspire hosting layer, the xunit fixture and kumoctl.
/// </summary>
/// <remarks>
/// <para>
/// The first that applies: the <c>KUMO_SNAPSHOT_DIR</c> variable (a relative path is taken from the start directory);
/// <c>.kumo/snapshots</c> in the nearest directory at or above the start directory that holds <c>.git</c> (the
/// repository; add <c>.kumo/</c> to <c>.gitignore</c>); <c>kumo-snapshots</c> under the temporary directory. The start
/// directory is the AppHost's directory under Aspire and the current directory for tests and kumoctl, so an AppHost
/// and the test runs of one repository share one store.
/// </para>
/// <para>
/// In CI, point <c>KUMO_SNAPSHOT_DIR</c> at a cached directory to reuse snapshots across jobs. Data directories are
/// restored under the store (see <see cref="PlanSnapshots.NewOwnedDirectory"/>), on the same file system, so restores
/// hard-link files instead of copying them.
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
    /// <param name="getVariable">Returns a variable's (or configuration key's) value, or null when unset.</param>
    /// <param name="startDirectory">Where to start looking for the repository root; a relative configured path is taken from here.</param>
    /// <returns>A full path (not created).</returns>
    public static string Resolve(Func<string, string?> getVariable, string startDirectory)
    {
        ArgumentNullException.ThrowIfNull(getVariable);
        ArgumentException.ThrowIfNullOrWhiteSpace(startDirectory);
        string start = Path.GetFullPath(startDirectory);
        if (getVariable(Variable) is { } configured && !string.IsNullOrWhiteSpace(configured))
        {
            return Path.GetFullPath(configured.Trim(), start);
        }

        for (DirectoryInfo? directory = new(start); directory is not null; directory = directory.Parent)
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
