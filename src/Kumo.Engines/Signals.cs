using System.Runtime.InteropServices;

namespace Kumo.Engines;

/// <summary>
/// Sends POSIX signals. <see cref="System.Diagnostics.Process.Kill()"/> only sends SIGKILL, which
/// gives an engine no chance to flush its state; a graceful stop needs SIGTERM.
/// </summary>
internal static partial class Signals
{
    /// <summary>The polite request to stop (the engine flushes and exits 0).</summary>
    internal const int SigTerm = 15;

    /// <summary>The uncatchable kill.</summary>
    internal const int SigKill = 9;

    /// <summary>Tells whether signals other than a kill can be sent on this platform.</summary>
    internal static bool Supported => !OperatingSystem.IsWindows();

    /// <summary>Sends <paramref name="signal"/> to <paramref name="processId"/>.</summary>
    /// <param name="processId">The target process.</param>
    /// <param name="signal">The signal number, e.g. <see cref="SigTerm"/>.</param>
    /// <returns>True when the signal was delivered; false when the process does not exist or the platform has no signals.</returns>
    internal static bool TrySend(int processId, int signal)
    {
        if (!Supported)
        {
            return false;
        }

        return Kill(processId, signal) == 0;
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int sig);
}
