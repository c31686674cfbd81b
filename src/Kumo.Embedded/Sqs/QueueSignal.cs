namespace Kumo.Embedded.Sqs;

/// <summary>
/// Wakes long polls when a queue changes (a message arrives or becomes visible, or the queue is deleted).
/// </summary>
/// <remarks>
/// Not thread-safe by itself: callers read <see cref="Next"/> and call <see cref="Pulse"/> under the
/// store lock, then await the task outside it, so a change between the check and the wait is never missed.
/// A pulse only detaches the waiters' completion source; the store completes it after it leaves its lock
/// (<see cref="SqsStore"/>), and the woken receive continues on that thread: no hop through the thread pool
/// between a SendMessage and the answer of the ReceiveMessage it wakes.
/// </remarks>
internal sealed class QueueSignal
{
    /// <summary>The waiters' completion source, created by the first <see cref="Next"/> after a pulse: a send with no long poll waiting allocates nothing.</summary>
    private TaskCompletionSource? _next;

    /// <summary>Completes at the next <see cref="Pulse"/>, once the pulsing thread has left the store lock.</summary>
    public Task Next => (_next ??= new TaskCompletionSource()).Task;

    /// <summary>Detaches the waiters' completion source, if any waiter parked; the caller completes it after leaving the lock.</summary>
    public TaskCompletionSource? Pulse()
    {
        TaskCompletionSource? current = _next;
        _next = null;
        return current;
    }
}
