namespace Kumo.Engines;

/// <summary>Looks up executables on PATH, as a shell would.</summary>
internal static class ExecutableSearch
{
    /// <summary>Returns the full path of the first <paramref name="name"/> on PATH that is an executable file, or null.</summary>
    /// <param name="name">A bare file name such as <c>kumo</c>.</param>
    /// <returns>The full path, or null when PATH holds no such executable.</returns>
    internal static string? OnPath(string name)
    {
        string? path = Environment.GetEnvironmentVariable("PATH");
        if (string.IsNullOrEmpty(path))
        {
            return null;
        }

        string[] candidates = OperatingSystem.IsWindows() ? [name + ".exe", name] : [name];
        foreach (string directory in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            foreach (string candidate in candidates)
            {
                string full;
                try
                {
                    full = Path.GetFullPath(Path.Combine(directory, candidate));
                }
                catch (ArgumentException)
                {
                    continue;
                }

                if (IsExecutableFile(full))
                {
                    return full;
                }
            }
        }

        return null;
    }

    /// <summary>Tells whether <paramref name="path"/> is an existing file that may be executed.</summary>
    /// <param name="path">A full path.</param>
    /// <returns>True for an executable regular file.</returns>
    internal static bool IsExecutableFile(string path)
    {
        if (!File.Exists(path))
        {
            return false;
        }

        if (OperatingSystem.IsWindows())
        {
            return true;
        }

        UnixFileMode mode = File.GetUnixFileMode(path);
        return (mode & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0;
    }
}
