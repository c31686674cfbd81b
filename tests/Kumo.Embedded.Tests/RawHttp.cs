using System.Net.Sockets;
using System.Text;

namespace Kumo.Embedded.Tests;

/// <summary>
/// HTTP/1.1 requests written byte for byte on a socket, for input no HTTP client library will send
/// (control characters in headers, invalid UTF-8 in the request line). One connection per request,
/// <c>Connection: close</c>, every wait bounded.
/// </summary>
internal static class RawHttp
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);

    /// <summary>Sends one request and returns the status code and body, or throws on a timeout or a malformed answer.</summary>
    /// <param name="endpoint">The engine's base URL (127.0.0.1).</param>
    /// <param name="method">The method, e.g. <c>PUT</c>.</param>
    /// <param name="target">The request target as raw bytes after percent-encoding, e.g. <c>/bkt/a%01</c>.</param>
    /// <param name="headers">Extra header lines (name: value), written as Latin-1 bytes, so any byte value can be sent.</param>
    /// <param name="body">The body (Content-Length is added).</param>
    public static async Task<RawResponse> SendAsync(Uri endpoint, string method, string target, IEnumerable<string>? headers = null, byte[]? body = null)
    {
        body ??= [];
        var head = new StringBuilder();
        head.Append(method).Append(' ').Append(target).Append(" HTTP/1.1\r\n");
        head.Append("Host: 127.0.0.1:").Append(endpoint.Port).Append("\r\n");
        head.Append("Connection: close\r\n");
        foreach (string header in headers ?? [])
        {
            head.Append(header).Append("\r\n");
        }

        head.Append("Content-Length: ").Append(body.Length).Append("\r\n\r\n");
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(Timeout);
        using var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", endpoint.Port, timeout.Token);
        NetworkStream stream = client.GetStream();
        await stream.WriteAsync(Encoding.Latin1.GetBytes(head.ToString()), timeout.Token);
        await stream.WriteAsync(body, timeout.Token);
        using var received = new MemoryStream();
        await stream.CopyToAsync(received, timeout.Token);
        string text = Encoding.UTF8.GetString(received.ToArray());
        int space = text.IndexOf(' ', StringComparison.Ordinal);
        if (!text.StartsWith("HTTP/1.1 ", StringComparison.Ordinal) || space < 0 || text.Length < space + 4)
        {
            throw new InvalidDataException($"Not an HTTP response to {method} {target}: '{text}'");
        }

        int status = int.Parse(text.AsSpan(space + 1, 3), System.Globalization.CultureInfo.InvariantCulture);
        int bodyStart = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        return new RawResponse(status, bodyStart < 0 ? string.Empty : text[(bodyStart + 4)..]);
    }
}

/// <summary>A status code and the body as text.</summary>
internal sealed record RawResponse(int Status, string Body);
