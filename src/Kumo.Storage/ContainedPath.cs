namespace Kumo.Storage;

/// <summary>
/// Joins paths under a root and refuses any result that would leave it.
/// </summary>
/// <remarks>
/// Names that come from outside (object keys, queue names, manifest entries) must never become
/// a path outside the directory they belong to. Use this for every such join.
/// </remarks>
public static class ContainedPath
{
    /// <summary>Combines <paramref name="root"/> and <paramref name="relative"/>, and checks containment.</summary>
    /// <param name="root">The directory the result must stay inside.</param>
    /// <param name="relative">A relative path, e.g. from a manifest.</param>
    /// <returns>The full, normalised path.</returns>
    /// <exception cref="ArgumentException">The result is not strictly inside <paramref name="root"/>.</exception>
    public static string Combine(string root, string relative)
    {
        ArgumentException.ThrowIfNullOrEmpty(root);
        ArgumentNullException.ThrowIfNull(relative);
        if (Path.IsPathRooted(relative))
        {
            throw new ArgumentException($"'{relative}' is an absolute path; a relative path under '{root}' is required.", nameof(relative));
        }

        string fullRoot = Path.TrimEndingDirectorySeparator(Path.GetFullPath(root));
        string full = Path.GetFullPath(Path.Combine(fullRoot, relative));
        if (!IsInside(fullRoot, full))
        {
            throw new ArgumentException($"'{relative}' resolves to '{full}', outside '{fullRoot}'. Remove '..' segments.", nameof(relative));
        }

        return full;
    }

    /// <summary>Tells whether <paramref name="candidate"/> lies strictly inside <paramref name="root"/>.</summary>
    /// <param name="root">A full directory path.</param>
    /// <param name="candidate">A full path.</param>
    /// <returns>True when the candidate is below the root.</returns>
    public static bool IsInside(string root, string candidate)
    {
        ArgumentNullException.ThrowIfNull(root);
        ArgumentNullException.ThrowIfNull(candidate);
        string prefix = Path.TrimEndingDirectorySeparator(root) + Path.DirectorySeparatorChar;
        StringComparison comparison = OperatingSystem.IsWindows() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
        return candidate.StartsWith(prefix, comparison) && candidate.Length > prefix.Length;
    }
}
