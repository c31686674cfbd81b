using System.Globalization;
using Kumo.Storage;

namespace Kumo.Snapshots.Tests;

/// <summary>Linux process-tree helpers for crash tests: freeze a process, find its descendants, kill them all.</summary>
internal static class ProcessTree
{
    // Linux signal numbers (x86-64 and arm64).
    public const int SigKill = 9;
    public const int SigStop = 19;

    /// <summary>Every live descendant of <paramref name="root"/>, found by scanning /proc for parent ids.</summary>
    public static List<int> Descendants(int root)
    {
        var parents = new Dictionary<int, int>();
        foreach (string directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out int pid))
            {
                continue;
            }

            try
            {
                string stat = File.ReadAllText(Path.Combine(directory, "stat"));
                int close = stat.LastIndexOf(')');
                string[] fields = stat[(close + 2)..].Split(' ');
                parents[pid] = int.Parse(fields[1], CultureInfo.InvariantCulture);
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }

        var result = new List<int>();
        var frontier = new Queue<int>([root]);
        while (frontier.Count > 0)
        {
            int parent = frontier.Dequeue();
            foreach ((int pid, int ppid) in parents)
            {
                if (ppid == parent)
                {
                    result.Add(pid);
                    frontier.Enqueue(pid);
                }
            }
        }

        return result;
    }

    /// <summary>Freezes <paramref name="root"/> (so it cannot start more children), then SIGKILLs it and every descendant.</summary>
    /// <returns>The descendants that were killed.</returns>
    public static List<int> KillTree(int root)
    {
        global::Kumo.Engines.Signals.TrySend(root, SigStop);
        List<int> descendants = Descendants(root);
        global::Kumo.Engines.Signals.TrySend(root, SigKill);
        foreach (int pid in descendants)
        {
            global::Kumo.Engines.Signals.TrySend(pid, SigKill);
        }

        return descendants;
    }

    /// <summary>Waits until none of <paramref name="pids"/> is alive (zombies count as dead).</summary>
    public static Task WaitGoneAsync(IReadOnlyList<int> pids, CancellationToken cancellationToken)
        => Poll.UntilAsync(
            () => pids.All(pid => !ProcessLiveness.IsAlive(pid)),
            TimeSpan.FromSeconds(10),
            "killed processes to disappear",
            () => string.Join(", ", pids.Where(ProcessLiveness.IsAlive)) + " still alive",
            cancellationToken);
}
