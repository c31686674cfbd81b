using System.Diagnostics;

namespace OrderService.Tests.Infrastructure;

/// <summary>
/// Bounded polling: probes until a condition holds or the deadline passes, then fails saying what was awaited
/// and what was last seen. No fixed sleeps.
/// </summary>
/// <remarks>
/// Local stand-in with the same signature as <c>Kumo.Testing.Eventually.UntilAsync</c> (src/Kumo.Testing/Waiting);
/// swap to that one (delete this file, add the project reference and <c>using Kumo.Testing;</c>) once it ships.
/// </remarks>
internal static class Eventually
{
    public static async Task<T> UntilAsync<T>(Func<CancellationToken, Task<T>> probe, Func<T, bool> done, TimeSpan timeout, TimeSpan interval, string description, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(probe);
        ArgumentNullException.ThrowIfNull(done);
        var clock = Stopwatch.StartNew();
        int attempts = 0;
        string last = "(nothing yet)";
        Exception? lastError = null;
        while (true)
        {
            attempts++;
            try
            {
                T value = await probe(cancellationToken).ConfigureAwait(false);
                last = Describe(value);
                lastError = null;
                if (done(value))
                {
                    return value;
                }
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                lastError = ex;
            }

            if (clock.Elapsed >= timeout)
            {
                throw new TimeoutException(
                    $"Timed out after {clock.Elapsed.TotalSeconds:0.0} s ({attempts} probes) waiting for {description}. Last seen: {last}"
                    + (lastError is null ? "." : $"; last error: {lastError.GetType().Name}: {lastError.Message}"));
            }

            await Task.Delay(interval, cancellationToken).ConfigureAwait(false);
        }
    }

    private static string Describe<T>(T value) => value switch
    {
        null => "null",
        string s => $"\"{s}\"",
        System.Collections.IEnumerable items and not string => $"[{string.Join(", ", items.Cast<object?>().Take(20))}]",
        _ => value.ToString() ?? "(null)",
    };
}
