using System.Diagnostics;

namespace Kumo.Snapshots.Tests;

/// <summary>Bounded polling: an interval, a deadline, and a message saying what was awaited and what was last seen.</summary>
internal static class Poll
{
    public static async Task UntilAsync(Func<bool> condition, TimeSpan timeout, string awaited, Func<string> lastSeen, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > timeout)
            {
                throw new TimeoutException($"Waited {timeout.TotalSeconds:0.#} s for {awaited}; last seen: {lastSeen()}.");
            }

            await Task.Delay(20, cancellationToken);
        }
    }
}
