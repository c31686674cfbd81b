using System.Diagnostics;

namespace Kumo.Engines;

/// <summary>Waits for an exited process's redirected output to be read to its end, so a log tail is complete.</summary>
internal static class ProcessOutput
{
    /// <summary>
    /// Waits up to <paramref name="exitTimeout"/> for the process to exit, then up to
    /// <paramref name="drainTimeout"/> for its asynchronous output readers to reach end of stream.
    /// </summary>
    /// <remarks>
    /// <see cref="Process.WaitForExit(TimeSpan)"/> can return before the output events for the last
    /// lines have run; <see cref="Process.WaitForExitAsync"/> waits for end of stream. The drain is
    /// bounded because a grandchild that inherited the pipes can keep them open indefinitely.
    /// </remarks>
    /// <returns>True when the process has exited.</returns>
    public static bool WaitForExitAndDrain(Process process, TimeSpan exitTimeout, TimeSpan drainTimeout)
    {
        if (!process.WaitForExit(exitTimeout))
        {
            return false;
        }

        using var drain = new CancellationTokenSource(drainTimeout);
        try
        {
            process.WaitForExitAsync(drain.Token).GetAwaiter().GetResult();
        }
        catch (OperationCanceledException)
        {
        }

        return true;
    }
}
