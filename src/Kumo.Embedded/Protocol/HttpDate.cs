using System.Globalization;

namespace Kumo.Embedded.Protocol;

/// <summary>An HTTP date (RFC 1123, <c>Sat, 05 Dec 2026 21:10:19 GMT</c>), as <c>Last-Modified</c> carries it.</summary>
/// <remarks>
/// The format has whole seconds, and objects written together share their second: the last string made is kept and
/// handed out again for any instant in the same second, so reading an object does not format (and allocate) its
/// date on every request.
/// </remarks>
internal static class HttpDate
{
    private static Formatted? _last;

    /// <summary>The RFC 1123 form of <paramref name="value"/> (in UTC, to the second).</summary>
    public static string Format(DateTimeOffset value)
    {
        long second = value.UtcTicks / TimeSpan.TicksPerSecond;
        Formatted? last = Volatile.Read(ref _last);
        if (last is not null && last.Second == second)
        {
            return last.Text;
        }

        string text = value.ToString("R", CultureInfo.InvariantCulture);
        Volatile.Write(ref _last, new Formatted(second, text));
        return text;
    }

    private sealed record Formatted(long Second, string Text);
}
