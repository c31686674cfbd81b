using System.Collections;
using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Kumo.Testing;

/// <summary>
/// Bounded polling: probes a condition at an interval until it holds or a deadline passes — the
/// replacement for fixed sleeps in tests.
/// </summary>
/// <remarks>
/// <para>
/// The probe receives a token that is cancelled at the deadline, and a probe that ignores it is
/// abandoned at the deadline anyway. A probe that throws counts as "not yet"; its exception is kept.
/// On timeout a <see cref="TimeoutException"/> says what was awaited (<c>description</c>), for how
/// long, how many probes ran, the last value seen and the last exception seen.
/// </para>
/// <para>
/// The caller's <c>cancellationToken</c> cancels the wait with an <see cref="OperationCanceledException"/>
/// (not a timeout).
/// </para>
/// </remarks>
/// <example>
/// <code>
/// int count = await Eventually.UntilAsync(
///     async ct => (await sqs.ReceiveMessageAsync(queueUrl, ct)).Messages?.Count ?? 0,
///     count => count > 0,
///     timeout: TimeSpan.FromSeconds(5),
///     interval: TimeSpan.FromMilliseconds(100),
///     description: "a message on the orders queue");
/// </code>
/// </example>
public static class Eventually
{
    private const int MaxValueLength = 1000;
    private const int MaxItems = 20;

    /// <summary>Polls <paramref name="probe"/> until <paramref name="done"/> accepts its value.</summary>
    /// <typeparam name="T">The probed value.</typeparam>
    /// <param name="probe">Reads the current state.</param>
    /// <param name="done">Tells whether the state is the awaited one.</param>
    /// <param name="timeout">How long to keep trying.</param>
    /// <param name="interval">The pause between probes.</param>
    /// <param name="description">What is awaited, e.g. "3 objects in bucket orders"; used in the timeout message.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The first value accepted by <paramref name="done"/>.</returns>
    /// <exception cref="TimeoutException">The deadline passed; the message has the details.</exception>
    public static async Task<T> UntilAsync<T>(Func<CancellationToken, Task<T>> probe, Func<T, bool> done, TimeSpan timeout, TimeSpan interval, string description, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(probe);
        ArgumentNullException.ThrowIfNull(done);
        ArgumentException.ThrowIfNullOrWhiteSpace(description);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(timeout, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(interval, TimeSpan.Zero);

        var clock = Stopwatch.StartNew();
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);

        int attempts = 0;
        bool hasValue = false;
        T last = default!;
        Exception? lastError = null;
        int lastErrorAttempt = 0;
        while (true)
        {
            attempts++;
            try
            {
                T value = await probe(deadline.Token).WaitAsync(deadline.Token).ConfigureAwait(false);
                last = value;
                hasValue = true;
                if (done(value))
                {
                    return value;
                }
            }
            catch (OperationCanceledException) when (deadline.IsCancellationRequested)
            {
                cancellationToken.ThrowIfCancellationRequested();
                attempts--;
                break;
            }
            catch (Exception e)
            {
                lastError = e;
                lastErrorAttempt = attempts;
            }

            TimeSpan remaining = timeout - clock.Elapsed;
            if (remaining <= TimeSpan.Zero)
            {
                break;
            }

            try
            {
                // Task.Delay truncates to whole milliseconds: rounding up keeps the last sub-millisecond
                // stretch before the deadline from becoming a busy loop of probes.
                await Task.Delay(WholeMilliseconds(remaining < interval ? remaining : interval), deadline.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                cancellationToken.ThrowIfCancellationRequested();
                break;
            }
        }

        throw new TimeoutException(Describe(description, clock.Elapsed, timeout, interval, attempts, hasValue, last, lastError, lastErrorAttempt), lastError);
    }

    /// <summary>Polls <paramref name="condition"/> until it returns true.</summary>
    /// <param name="condition">Tells whether the awaited state has been reached.</param>
    /// <param name="timeout">How long to keep trying.</param>
    /// <param name="interval">The pause between probes.</param>
    /// <param name="description">What is awaited; used in the timeout message.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>A task that completes when the condition holds.</returns>
    /// <exception cref="TimeoutException">The deadline passed; the message has the details.</exception>
    public static Task UntilAsync(Func<CancellationToken, Task<bool>> condition, TimeSpan timeout, TimeSpan interval, string description, CancellationToken cancellationToken = default) =>
        UntilAsync(condition, static ok => ok, timeout, interval, description, cancellationToken);

    private static string Describe<T>(string description, TimeSpan elapsed, TimeSpan timeout, TimeSpan interval, int attempts, bool hasValue, T last, Exception? lastError, int lastErrorAttempt)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"Timed out after {Seconds(elapsed)} waiting for {description} (timeout {Seconds(timeout)}, polled every {Seconds(interval)}, {attempts} probe(s)).");
        text.Append(" Last value: ").Append(hasValue ? Format(last) : "(none: no probe returned a value)").Append('.');
        if (lastError is not null)
        {
            text.Append(CultureInfo.InvariantCulture, $" Last exception (probe {lastErrorAttempt}): {lastError.GetType().FullName}: {Truncate(lastError.Message)}");
        }
        else
        {
            text.Append(" No probe threw.");
        }

        return text.ToString();
    }

    private static TimeSpan WholeMilliseconds(TimeSpan value) => TimeSpan.FromMilliseconds(Math.Ceiling(value.TotalMilliseconds));

    private static string Seconds(TimeSpan value) => value.TotalSeconds.ToString("0.0##", CultureInfo.InvariantCulture) + " s";

    /// <summary>Formats a probed value for the timeout message: strings quoted, collections listed.</summary>
    internal static string Format(object? value)
    {
        switch (value)
        {
            case null:
                return "null";
            case string s:
                return "\"" + Truncate(s) + "\"";
            case IFormattable formattable:
                return formattable.ToString(null, CultureInfo.InvariantCulture);
            case IEnumerable items:
                var parts = new List<string>();
                int count = 0;
                foreach (object? item in items)
                {
                    if (count++ < MaxItems)
                    {
                        parts.Add(Format(item));
                    }
                }

                return Truncate($"[{string.Join(", ", parts)}{(count > MaxItems ? $", … ({count} items)" : string.Empty)}]");
            default:
                return Truncate(value.ToString() ?? value.GetType().Name);
        }
    }

    private static string Truncate(string text) => text.Length <= MaxValueLength ? text : text[..MaxValueLength] + "…";
}
