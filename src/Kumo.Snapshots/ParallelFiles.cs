using System.Runtime.ExceptionServices;

namespace Kumo.Snapshots;

/// <summary>Runs per-file work (hash, link, copy, fsync) on every core, failing like a sequential loop would.</summary>
/// <remarks>
/// Snapshot work is thousands of small, independent file operations; on two cores, running them
/// two at a time nearly halves the hashing time. Errors stay deterministic: when several items
/// fail, the one with the lowest index is rethrown (unwrapped), the same one a <c>for</c> loop
/// over the items would have thrown, and no item after it is started once it is known.
/// </remarks>
internal static class ParallelFiles
{
    /// <summary>Calls <paramref name="body"/> for 0 ≤ i &lt; <paramref name="count"/>, in parallel.</summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    internal static void For(int count, Action<int> body, CancellationToken cancellationToken)
    {
        var gate = new Lock();
        int failedAt = int.MaxValue;
        Exception? failure = null;
        Parallel.For(
            0,
            count,
            new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount, CancellationToken = cancellationToken },
            (i, loop) =>
            {
                try
                {
                    body(i);
                }
                catch (Exception ex)
                {
                    lock (gate)
                    {
                        if (i < failedAt)
                        {
                            failedAt = i;
                            failure = ex;
                        }
                    }

                    // Break, not Stop: every item before this one still runs, so the lowest failing index is found.
                    loop.Break();
                }
            });

        if (failure is not null)
        {
            ExceptionDispatchInfo.Throw(failure);
        }
    }
}
