using System.Diagnostics;

namespace Kumo.Testing.Tests;

public sealed class EventuallyTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Returns_the_first_accepted_value()
    {
        int calls = 0;
        int value = await Eventually.UntilAsync(_ => Task.FromResult(++calls), v => v >= 3, TimeSpan.FromSeconds(5), TimeSpan.FromMilliseconds(10), "three calls", Ct);
        Assert.Equal(3, value);
        Assert.Equal(3, calls);
    }

    [Fact]
    public async Task Timeout_says_what_was_awaited_for_how_long_and_the_last_value()
    {
        int calls = 0;
        var clock = Stopwatch.StartNew();
        TimeoutException e = await Assert.ThrowsAsync<TimeoutException>(() =>
            Eventually.UntilAsync(_ => Task.FromResult(new[] { "a.json", $"call-{++calls}" }), keys => keys.Length > 5, TimeSpan.FromMilliseconds(300), TimeSpan.FromMilliseconds(50), "6 objects in bucket orders", Ct));
        clock.Stop();

        Assert.Contains("waiting for 6 objects in bucket orders", e.Message, StringComparison.Ordinal);
        Assert.Contains("timeout 0.3 s", e.Message, StringComparison.Ordinal);
        Assert.Contains("polled every 0.05 s", e.Message, StringComparison.Ordinal);
        Assert.Contains($"{calls} probe(s)", e.Message, StringComparison.Ordinal);
        Assert.Contains($"Last value: [\"a.json\", \"call-{calls}\"]", e.Message, StringComparison.Ordinal);
        Assert.Contains("No probe threw", e.Message, StringComparison.Ordinal);
        Assert.InRange(calls, 1, 8);
        Assert.InRange(clock.Elapsed, TimeSpan.FromMilliseconds(290), TimeSpan.FromSeconds(3));
    }

    [Fact]
    public async Task The_last_millisecond_before_the_deadline_is_not_a_busy_loop()
    {
        // Regression: a sub-millisecond remainder went to Task.Delay as 0 ms, and the loop probed
        // hundreds of times until the deadline's timer fired (in about one run in four).
        for (int run = 0; run < 8; run++)
        {
            int calls = 0;
            await Assert.ThrowsAsync<TimeoutException>(() =>
                Eventually.UntilAsync(_ => Task.FromResult(++calls), v => v > 1000, TimeSpan.FromMilliseconds(60), TimeSpan.FromMilliseconds(25), "never", Ct));
            Assert.InRange(calls, 1, 5);
        }
    }

    [Fact]
    public async Task Timeout_reports_the_last_exception()
    {
        int calls = 0;
        TimeoutException e = await Assert.ThrowsAsync<TimeoutException>(() =>
            Eventually.UntilAsync<int>(_ => ++calls % 2 == 0 ? throw new InvalidOperationException($"engine busy #{calls}") : Task.FromResult(calls), v => v > 100, TimeSpan.FromMilliseconds(250), TimeSpan.FromMilliseconds(20), "the engine to settle", Ct));

        Assert.Contains("Last exception (probe ", e.Message, StringComparison.Ordinal);
        Assert.Contains("System.InvalidOperationException: engine busy #", e.Message, StringComparison.Ordinal);
        Assert.Matches(@"Last value: \d+\.", e.Message);
        Assert.IsType<InvalidOperationException>(e.InnerException);
    }

    [Fact]
    public async Task A_probe_that_never_returns_is_abandoned_at_the_deadline()
    {
        var clock = Stopwatch.StartNew();
        TimeoutException e = await Assert.ThrowsAsync<TimeoutException>(() =>
            Eventually.UntilAsync(_ => new TaskCompletionSource<bool>().Task, TimeSpan.FromMilliseconds(200), TimeSpan.FromMilliseconds(50), "a stuck probe", Ct));

        Assert.InRange(clock.Elapsed, TimeSpan.FromMilliseconds(190), TimeSpan.FromSeconds(3));
        Assert.Contains("(none: no probe returned a value)", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Caller_cancellation_is_not_a_timeout()
    {
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            Eventually.UntilAsync(_ => Task.FromResult(false), TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(20), "never", cancellation.Token));
    }

    [Fact]
    public async Task Bad_arguments_are_rejected()
    {
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Eventually.UntilAsync(_ => Task.FromResult(true), TimeSpan.Zero, TimeSpan.FromMilliseconds(1), "x", Ct));
        await Assert.ThrowsAsync<ArgumentException>(() => Eventually.UntilAsync(_ => Task.FromResult(true), TimeSpan.FromSeconds(1), TimeSpan.FromMilliseconds(1), " ", Ct));
    }
}
