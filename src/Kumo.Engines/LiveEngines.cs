using System.Collections.Concurrent;
using System.Diagnostics;

namespace Kumo.Engines;

/// <summary>
/// Every engine process this process started and has not yet seen exit. When this process exits
/// normally (including on SIGTERM/SIGINT), the survivors are killed so that no engine outlives its
/// owner. A SIGKILL of the owner cannot be intercepted; see <see cref="RunningEngine"/>.
/// </summary>
internal static class LiveEngines
{
    private static readonly ConcurrentDictionary<int, Process> Processes = new();
    private static int _hooked;

    internal static void Add(Process process)
    {
        if (Interlocked.Exchange(ref _hooked, 1) == 0)
        {
            AppDomain.CurrentDomain.ProcessExit += (_, _) => KillAll();
        }

        Processes[process.Id] = process;
    }

    internal static void Remove(Process process) => Processes.TryRemove(new KeyValuePair<int, Process>(process.Id, process));

    private static void KillAll()
    {
        foreach (Process process in Processes.Values)
        {
            try
            {
                process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
            }
            catch (System.ComponentModel.Win32Exception)
            {
            }
        }
    }
}
