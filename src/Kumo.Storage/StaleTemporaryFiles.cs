using System.Globalization;

namespace Kumo.Storage;

/// <summary>
/// Finds and removes temporary files and directories (<c>.tmp-&lt;pid&gt;-…</c>) left behind by
/// processes that no longer run.
/// </summary>
public static class StaleTemporaryFiles
{
    /// <summary>
    /// Deletes every <c>.tmp-&lt;pid&gt;-*</c> entry directly under <paramref name="directory"/> whose
    /// process is gone. Entries of live processes (including this one) are left alone.
    /// </summary>
    /// <param name="directory">The directory to sweep; a missing directory is not an error.</param>
    /// <returns>The paths that were removed.</returns>
    public static IReadOnlyList<string> Sweep(string directory) => Sweep(directory, AtomicFile.TemporaryPrefix);

    /// <summary>
    /// Deletes every <c>&lt;prefix&gt;&lt;pid&gt;-*</c> entry directly under <paramref name="directory"/> whose
    /// process is gone, e.g. private working directories <c>kumo-embedded-&lt;pid&gt;-&lt;guid&gt;</c> in the
    /// temporary folder left by a process killed with SIGKILL. Entries of live processes are left alone.
    /// </summary>
    /// <param name="directory">The directory to sweep; a missing directory is not an error.</param>
    /// <param name="prefix">The name prefix before the owner's process id, e.g. <c>kumo-embedded-</c>.</param>
    /// <returns>The paths that were removed.</returns>
    public static IReadOnlyList<string> Sweep(string directory, string prefix)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        ArgumentException.ThrowIfNullOrEmpty(prefix);
        var removed = new List<string>();
        if (!Directory.Exists(directory))
        {
            return removed;
        }

        foreach (string entry in Directory.EnumerateFileSystemEntries(directory, prefix + "*"))
        {
            int? owner = OwnerOf(Path.GetFileName(entry), prefix);
            if (owner is null || ProcessLiveness.IsAlive(owner.Value))
            {
                continue;
            }

            try
            {
                if (Directory.Exists(entry))
                {
                    Directory.Delete(entry, recursive: true);
                }
                else
                {
                    File.Delete(entry);
                }

                removed.Add(entry);
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }

        return removed;
    }

    /// <summary>Parses the owning process id out of a temporary entry name, or returns null.</summary>
    /// <param name="name">A file name such as <c>.tmp-1234-abcd-s3.json</c>.</param>
    /// <returns>The process id, or null when the name is not a temporary entry.</returns>
    public static int? OwnerOf(string name) => OwnerOf(name, AtomicFile.TemporaryPrefix);

    /// <summary>Parses the owning process id out of a <c>&lt;prefix&gt;&lt;pid&gt;-…</c> name, or returns null.</summary>
    /// <param name="name">A file name such as <c>kumo-embedded-1234-abcd</c>.</param>
    /// <param name="prefix">The prefix before the process id.</param>
    /// <returns>The process id, or null when the name does not have that shape.</returns>
    public static int? OwnerOf(string name, string prefix)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(prefix);
        if (!name.StartsWith(prefix, StringComparison.Ordinal))
        {
            return null;
        }

        ReadOnlySpan<char> rest = name.AsSpan(prefix.Length);
        int dash = rest.IndexOf('-');
        ReadOnlySpan<char> digits = dash < 0 ? rest : rest[..dash];
        return int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out int pid) ? pid : null;
    }
}
