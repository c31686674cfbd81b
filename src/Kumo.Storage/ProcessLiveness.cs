using System.Diagnostics;

namespace Kumo.Storage;

/// <summary>Tells whether a process still runs, treating an exited-but-unreaped (zombie) process as gone.</summary>
/// <remarks>
/// Used to decide whether a temporary entry's owner is gone, and by engines watching the process
/// that launched them (<c>KUMO_PARENT_PID</c>) so they stop when their owner is killed.
/// </remarks>
public static class ProcessLiveness
{
    /// <summary>Tells whether a process with the given id is running.</summary>
    /// <param name="processId">The process id.</param>
    /// <returns>True when the process exists and has not exited.</returns>
    public static bool IsAlive(int processId)
    {
        if (processId == Environment.ProcessId)
        {
            return true;
        }

        if (OperatingSystem.IsLinux())
        {
            // A zombie (exited, not yet reaped) still has /proc/<pid>; read its state.
            string status = $"/proc/{processId}/stat";
            try
            {
                string stat = File.ReadAllText(status);
                int close = stat.LastIndexOf(')');
                return close > 0 && close + 2 < stat.Length && stat[close + 2] != 'Z';
            }
            catch (IOException)
            {
                return false;
            }
            catch (UnauthorizedAccessException)
            {
                return true;
            }
        }

        try
        {
            using var process = Process.GetProcessById(processId);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }
}
