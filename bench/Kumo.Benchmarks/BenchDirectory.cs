using System.Diagnostics;

namespace Kumo.Benchmarks;

/// <summary>A scratch directory under <c>--scratch</c> (default: the system temp dir), removed (recursively) on dispose.</summary>
internal sealed class BenchDirectory : IDisposable
{
    public BenchDirectory(string root, string name)
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetFullPath(root), $"kumo-bench-{name}-{Environment.ProcessId}");
        Remove(Path);
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    /// <summary>A path inside the directory (not created).</summary>
    public string Sub(string relative) => System.IO.Path.Combine(Path, relative);

    /// <summary>
    /// Writes <paramref name="count"/> files of <paramref name="size"/> pseudo-random bytes (seeded,
    /// so the same arguments give the same bytes and the same plan hash) into <paramref name="directory"/>.
    /// </summary>
    public static void WriteRandomFiles(string directory, int count, int size, int seed)
    {
        Directory.CreateDirectory(directory);
        var random = new Random(seed);
        byte[] buffer = new byte[size];
        for (int i = 0; i < count; i++)
        {
            random.NextBytes(buffer);
            File.WriteAllBytes(System.IO.Path.Combine(directory, $"obj-{i:D5}.bin"), buffer);
        }
    }

    /// <summary>Deletes a directory tree if it exists (read-only files included: unlinking needs only the directory's write permission).</summary>
    public static void Remove(string path)
    {
        if (Directory.Exists(path))
        {
            Directory.Delete(path, recursive: true);
        }
    }

    /// <summary>Runs a command to completion and returns its wall-clock time in milliseconds.</summary>
    public static async Task<double> RunAsync(string fileName, params string[] args)
    {
        var start = new ProcessStartInfo(fileName) { UseShellExecute = false, RedirectStandardError = true };
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        var watch = Stopwatch.StartNew();
        using Process process = Process.Start(start) ?? throw new InvalidOperationException($"{fileName} did not start.");
        string errors = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        double elapsed = watch.Elapsed.TotalMilliseconds;
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{fileName} {string.Join(' ', args)} exited with {process.ExitCode}: {errors}");
        }

        return elapsed;
    }

    /// <summary>The load average now, from /proc/loadavg (1, 5 and 15 minutes), or "unknown".</summary>
    public static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

    /// <summary>The file system type of <paramref name="path"/> (from /proc/mounts, longest matching mount point), or "unknown".</summary>
    public static string FileSystemOf(string path)
    {
        if (!File.Exists("/proc/mounts"))
        {
            return "unknown";
        }

        string full = System.IO.Path.GetFullPath(path);
        (string Mount, string Type) best = ("", "unknown");
        foreach (string line in File.ReadLines("/proc/mounts"))
        {
            string[] fields = line.Split(' ');
            if (fields.Length > 2 && (full == fields[1] || full.StartsWith(fields[1].TrimEnd('/') + "/", StringComparison.Ordinal)) && fields[1].Length >= best.Mount.Length)
            {
                best = (fields[1], fields[2]);
            }
        }

        return $"{best.Type} at {best.Mount}";
    }

    public void Dispose() => Remove(Path);
}
