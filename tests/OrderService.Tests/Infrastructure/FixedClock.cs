namespace OrderService.Tests.Infrastructure;

/// <summary>A clock whose wall time stands still (timers and timestamps still run on the system clock).</summary>
internal sealed class FixedClock(DateTimeOffset now) : TimeProvider
{
    public static DateTimeOffset Default { get; } = new(2030, 1, 2, 3, 4, 5, TimeSpan.Zero);

    public DateTimeOffset Now { get; } = now;

    public override DateTimeOffset GetUtcNow() => Now;
}
