using OrderService.Setup;

namespace OrderService.Processing;

/// <summary>
/// The deterministic retry delay: <c>RetryBaseDelaySeconds × 2^(attempt-1)</c>, capped at
/// <c>RetryMaxDelaySeconds</c>, no jitter (one worker per queue in the sample; add jitter when many compete).
/// </summary>
public static class RetryBackoff
{
    /// <summary>The delay after the given failed attempt.</summary>
    /// <param name="attempt">The failed attempt, from 1.</param>
    /// <param name="options">The retry settings.</param>
    /// <returns>How long the message stays invisible before the next attempt.</returns>
    public static TimeSpan DelayAfter(int attempt, OrdersOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(attempt, 1);
        double seconds = options.RetryBaseDelaySeconds * Math.Pow(2, Math.Min(attempt - 1, 30));
        return TimeSpan.FromSeconds(Math.Min(seconds, options.RetryMaxDelaySeconds));
    }
}
