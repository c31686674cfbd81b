namespace Kumo.Embedded.Sqs;

/// <summary>
/// Wakes long polls when a queue changes (a message arrives or becomes visible, or the queue is deleted).
/// </summary>
/// <remarks>
/// Not thread-safe by itself: callers read <see cref="Next"/> and call <see cref="Pulse"/> under the
/// store lock, then await the task outside it, so a change between the check and the wait is never missed.
/// </remarks>
internal sealed class QueueSignal
{
    /// <summary>The waiters' completion source, created by the first <see cref="Next"/> after a pulse: a send with no long poll waiting allocates nothing.</summary>
    private TaskCompletionSource? _next;

    /// <summary>Completes at the next <see cref="Pulse"/>.</summary>
    public Task Next => (_next ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;

    public void Pulse()
    {
        TaskCompletionSource? current = _next;
        if (current is null)
        {
            return;
        }

        _next = null;
        current.TrySetResult();
    }
}
