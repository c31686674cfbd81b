using System.Collections.Concurrent;

namespace Kumo.Embedded.S3;

/// <summary>
/// Small bodies read more than once, held in memory by their blob id so that a repeated GET costs no file read.
/// </summary>
/// <remarks>
/// <para>
/// A blob id is the body's content key (<see cref="ContentKey"/>), so a cached body can never be stale: an object that is replaced
/// names another id, and a body stored again under the same id has the same bytes. Nothing has to be invalidated;
/// entries leave only to keep the cache within its budget (oldest first).
/// </para>
/// <para>
/// A body is admitted on its second read: a workload that reads each object once (a listing's worth of distinct
/// GETs) allocates nothing here and churns no entries, while a test that reads the same fixtures again and again is
/// served from memory. The budget bounds what the cache adds to the engine's memory (<see cref="BudgetBytes"/>).
/// </para>
/// </remarks>
internal sealed class BodyCache
{
    /// <summary>The most bytes of bodies held (4 MiB: a thousand 4 KiB bodies).</summary>
    public const long BudgetBytes = 4 * 1024 * 1024;

    /// <summary>How many ids read once are remembered as candidates for admission; the set is cleared when full.</summary>
    private const int MaxCandidates = 4096;

    // Reads are lock-free (every GET of a small body asks); admissions and evictions take the lock.
    private readonly Lock _lock = new();
    private readonly ConcurrentDictionary<string, byte[]> _bodies = new(StringComparer.Ordinal);
    private readonly Queue<string> _order = new();
    private readonly HashSet<string> _candidates = new(StringComparer.Ordinal);
    private readonly long _budget;
    private long _bytes;

    /// <summary>A cache holding at most <paramref name="budget"/> bytes of bodies.</summary>
    public BodyCache(long budget = BudgetBytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(budget);
        _budget = budget;
    }

    /// <summary>The bytes of bodies held now.</summary>
    public long Bytes
    {
        get
        {
            lock (_lock)
            {
                return _bytes;
            }
        }
    }

    /// <summary>How many bodies are held now.</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _bodies.Count;
            }
        }
    }

    /// <summary>The cached body of <paramref name="blobId"/>, if held.</summary>
    public bool TryGet(string blobId, out byte[] body) => _bodies.TryGetValue(blobId, out body!);

    /// <summary>
    /// Notes a read of <paramref name="blobId"/> that missed the cache: true when it was read before and should now
    /// be loaded and <see cref="Add">added</see>, false the first time.
    /// </summary>
    public bool ShouldAdmit(string blobId, long size)
    {
        if (size > _budget)
        {
            return false;
        }

        lock (_lock)
        {
            if (_candidates.Remove(blobId))
            {
                return true;
            }

            if (_candidates.Count >= MaxCandidates)
            {
                _candidates.Clear();
            }

            _candidates.Add(blobId);
            return false;
        }
    }

    /// <summary>Holds <paramref name="body"/> (the whole body of <paramref name="blobId"/>), evicting the oldest bodies beyond the budget.</summary>
    public void Add(string blobId, byte[] body)
    {
        if (body.Length > _budget)
        {
            return;
        }

        lock (_lock)
        {
            if (!_bodies.TryAdd(blobId, body))
            {
                return;
            }

            _order.Enqueue(blobId);
            _bytes += body.Length;
            while (_bytes > _budget && _order.TryDequeue(out string? oldest))
            {
                if (_bodies.TryRemove(oldest, out byte[]? evicted))
                {
                    _bytes -= evicted.Length;
                }
            }
        }
    }
}
