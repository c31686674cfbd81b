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
    public static IReadOnlyList<string> Sweep(string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        var removed = new List<string>();
        if (!Directory.Exists(directory))
        {
            return removed;
        }

        foreach (string entry in Directory.EnumerateFileSystemEntries(directory, AtomicFile.TemporaryPrefix + "*"))
        {
            int? owner = OwnerOf(Path.GetFileName(entry));
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
    public static int? OwnerOf(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (!name.StartsWith(AtomicFile.TemporaryPrefix, StringComparison.Ordinal))
        {
            return null;
        }

        ReadOnlySpan<char> rest = name.AsSpan(AtomicFile.TemporaryPrefix.Length);
        int dash = rest.IndexOf('-');
        ReadOnlySpan<char> digits = dash < 0 ? rest : rest[..dash];
        return int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out int pid) ? pid : null;
    }
}
