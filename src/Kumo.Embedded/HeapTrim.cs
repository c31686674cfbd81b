namespace Kumo.Embedded;

/// <summary>
/// Hands memory back once a store has shrunk a lot (e.g. a test deleted everything): a quiet moment after
/// the drop, the store trims its collections and a compacting, decommitting collection runs.
/// </summary>
/// <remarks>
/// Nothing else would: with no new allocations the GC never runs, so the heap of a store that held
/// 100,000 objects would keep its size while empty. A drop counts when the store is at most half its
/// peak and at least <see cref="MinimumDrop"/> items smaller; every further drop postpones the trim
/// by <paramref name="quiet"/>, so a bulk delete is trimmed once, after it.
/// </remarks>
/// <param name="quiet">How long after the last drop the trim runs.</param>
/// <param name="trimCollections">Shrinks the store's own collections (called on a timer thread; takes the store's lock).</param>
internal sealed class HeapTrim(TimeSpan quiet, Action trimCollections) : IDisposable
{
    /// <summary>The smallest drop (in items) worth a collection.</summary>
    public const long MinimumDrop = 10_000;

    private readonly Lock _lock = new();
    private Timer? _timer;
    private long _peak;

    /// <summary>Reports the store's current size (items); call after each change that may shrink it.</summary>
    public void Observe(long count)
    {
        lock (_lock)
        {
            if (count > _peak)
            {
                _peak = count;
                return;
            }

            if (_peak - count < MinimumDrop || count > _peak / 2)
            {
                return;
            }

            _timer ??= new Timer(_ => Trim(), null, Timeout.Infinite, Timeout.Infinite);
            _timer.Change(quiet, Timeout.InfiniteTimeSpan);
        }
    }

    /// <summary>Resets the peak (the store was reloaded or emptied by a reset).</summary>
    public void Reset(long count)
    {
        lock (_lock)
        {
            _peak = count;
        }
    }

    private void Trim()
    {
        lock (_lock)
        {
            _peak = 0; // the next Observe sets it to the size after the trim
        }

        trimCollections();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
    }

    public void Dispose()
    {
        lock (_lock)
        {
            _timer?.Dispose();
            _timer = null;
        }
    }
}
