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
    private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes at the next <see cref="Pulse"/>.</summary>
    public Task Next => _next.Task;

    public void Pulse()
    {
        TaskCompletionSource current = _next;
        _next = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        current.TrySetResult();
    }
}
