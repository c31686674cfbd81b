using Kumo.Testing;

namespace Kumo.Snapshots.Tests;

/// <summary>Bounded polling for synchronous conditions, through the shared <see cref="Eventually"/>.</summary>
internal static class Poll
{
    public static Task UntilAsync(Func<bool> condition, TimeSpan timeout, string awaited, Func<string> lastSeen, CancellationToken cancellationToken) =>
        Eventually.UntilAsync(
            _ => Task.FromResult(new Observation(condition(), lastSeen())),
            observation => observation.Done,
            timeout,
            TimeSpan.FromMilliseconds(20),
            awaited,
            cancellationToken);

    /// <summary>What one probe saw; its text is what a timeout reports as last seen.</summary>
    private sealed record Observation(bool Done, string Seen)
    {
        public override string ToString() => Seen;
    }
}
