namespace Kumo.Embedded.Tests.Sqs;

/// <summary>
/// The system clock, plus a signal when the engine arms a timer at least <see cref="Threshold"/> long:
/// that only happens when a long poll parks, so a test knows the receive is waiting server-side.
/// </summary>
internal sealed class LongPollObserver(TimeSpan threshold) : TimeProvider
{
    private readonly TaskCompletionSource _parked = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public TimeSpan Threshold { get; } = threshold;

    /// <summary>Completes when the first long timer is armed.</summary>
    public Task Parked => _parked.Task;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        if (dueTime >= Threshold && dueTime != Timeout.InfiniteTimeSpan)
        {
            _parked.TrySetResult();
        }

        return base.CreateTimer(callback, state, dueTime, period);
    }
}
