using System.Text;
using Kumo.Embedded.Protocol;
using Microsoft.AspNetCore.WebUtilities;

namespace Kumo.Embedded.Server;

/// <summary>The bytes every answer starts with, made once: status lines, the <c>Date</c> header, refusals.</summary>
internal static class StatusLines
{
    private static readonly byte[]?[] Lines = new byte[600][];
    private static DateLine? _date;

    /// <summary><c>HTTP/1.1 {status} {reason}\r\n</c>.</summary>
    public static byte[] For(int status)
    {
        if ((uint)status >= Lines.Length)
        {
            return Make(status);
        }

        return Lines[status] ??= Make(status);
    }

    /// <summary><c>Date: {now}\r\n</c>, made once a second.</summary>
    public static byte[] Date()
    {
        DateTimeOffset now = DateTimeOffset.UtcNow;
        long second = now.UtcTicks / TimeSpan.TicksPerSecond;
        DateLine? last = Volatile.Read(ref _date);
        if (last is not null && last.Second == second)
        {
            return last.Bytes;
        }

        var made = new DateLine(second, Encoding.ASCII.GetBytes($"Date: {HttpDate.Format(now)}\r\n"));
        Volatile.Write(ref _date, made);
        return made.Bytes;
    }

    /// <summary>A whole answer refusing a request the server cannot read; the connection closes after it.</summary>
    public static byte[] Refusal(int status) =>
        [.. For(status), .. "Content-Length: 0\r\nConnection: close\r\n"u8, .. Date(), .. "\r\n"u8];

    private static byte[] Make(int status)
    {
        string reason = ReasonPhrases.GetReasonPhrase(status);
        return Encoding.ASCII.GetBytes($"HTTP/1.1 {status} {(reason.Length == 0 ? "Unknown" : reason)}\r\n");
    }

    private sealed record DateLine(long Second, byte[] Bytes);
}
