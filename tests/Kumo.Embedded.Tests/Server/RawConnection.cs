using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace Kumo.Embedded.Tests.Server;

/// <summary>
/// One kept-alive HTTP/1.1 connection driven byte by byte, for what <see cref="RawHttp"/> (one request per connection)
/// cannot show: pipelining, <c>Expect: 100-continue</c>, bodies in pieces, closing mid-request. Every read is bounded.
/// </summary>
internal sealed class RawConnection : IAsyncDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);
    private readonly TcpClient _client;
    private readonly NetworkStream _stream;
    private readonly List<byte> _pending = [];

    private RawConnection(TcpClient client)
    {
        _client = client;
        _stream = client.GetStream();
    }

    /// <summary>Connects to the engine at <paramref name="endpoint"/> (127.0.0.1).</summary>
    public static async Task<RawConnection> OpenAsync(Uri endpoint)
    {
        var client = new TcpClient { NoDelay = true };
        using var timeout = new CancellationTokenSource(Timeout);
        await client.ConnectAsync("127.0.0.1", endpoint.Port, timeout.Token);
        return new RawConnection(client);
    }

    /// <summary>Writes <paramref name="text"/> (Latin-1) as it is.</summary>
    public Task SendAsync(string text) => SendAsync(Encoding.Latin1.GetBytes(text));

    /// <summary>Writes <paramref name="bytes"/> as they are.</summary>
    public async Task SendAsync(byte[] bytes)
    {
        using var timeout = new CancellationTokenSource(Timeout);
        await _stream.WriteAsync(bytes, timeout.Token);
    }

    /// <summary>Reads one response: its head and its body (Content-Length or chunked; none for HEAD or 1xx).</summary>
    public async Task<RawAnswer> ReadAsync(bool head = false)
    {
        using var timeout = new CancellationTokenSource(Timeout);
        int end;
        while ((end = IndexOf("\r\n\r\n"u8)) < 0)
        {
            await FillAsync(timeout.Token);
        }

        string text = Encoding.ASCII.GetString(Take(end + 4));
        string[] lines = text[..^4].Split("\r\n");
        int status = int.Parse(lines[0].AsSpan(9, 3), CultureInfo.InvariantCulture);
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (string line in lines.Skip(1))
        {
            int colon = line.IndexOf(':', StringComparison.Ordinal);
            headers[line[..colon]] = line[(colon + 1)..].Trim();
        }

        byte[] body = [];
        if (head || status < 200 || status is 204 or 304)
        {
            return new RawAnswer(status, headers, body);
        }

        if (headers.TryGetValue("Content-Length", out string? length))
        {
            body = await TakeAsync(int.Parse(length, CultureInfo.InvariantCulture), timeout.Token);
        }
        else if (headers.TryGetValue("Transfer-Encoding", out string? coding) && coding == "chunked")
        {
            var chunks = new List<byte>();
            while (true)
            {
                while ((end = IndexOf("\r\n"u8)) < 0)
                {
                    await FillAsync(timeout.Token);
                }

                int size = int.Parse(Encoding.ASCII.GetString(Take(end + 2)).Trim(), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
                chunks.AddRange(await TakeAsync(size + 2, timeout.Token));
                chunks.RemoveRange(chunks.Count - 2, 2);
                if (size == 0)
                {
                    break;
                }
            }

            body = [.. chunks];
        }

        return new RawAnswer(status, headers, body);
    }

    /// <summary>Whether the server closed the connection: a read returns 0 (or a reset) within the timeout.</summary>
    public async Task<bool> IsClosedByServerAsync()
    {
        using var timeout = new CancellationTokenSource(Timeout);
        try
        {
            return _pending.Count == 0 && await _stream.ReadAsync(new byte[1], timeout.Token) == 0;
        }
        catch (IOException)
        {
            return true;
        }
    }

    /// <summary>Half-closes: sends FIN (the server reads the end of the stream) and keeps reading.</summary>
    public void CloseSending() => _client.Client.Shutdown(SocketShutdown.Send);

    /// <summary>Reads and drops what the server still sends until it closes; false when it has not closed within <paramref name="timeout"/>.</summary>
    public async Task<bool> WaitForServerCloseAsync(TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        byte[] buffer = new byte[4096];
        try
        {
            while (await _stream.ReadAsync(buffer, deadline.Token) > 0)
            {
            }

            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
        catch (IOException)
        {
            return true;
        }
    }

    public ValueTask DisposeAsync()
    {
        _client.Dispose();
        return ValueTask.CompletedTask;
    }

    private int IndexOf(ReadOnlySpan<byte> value) => System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_pending).IndexOf(value);

    private byte[] Take(int count)
    {
        byte[] taken = [.. _pending.Take(count)];
        _pending.RemoveRange(0, count);
        return taken;
    }

    private async Task<byte[]> TakeAsync(int count, CancellationToken cancellationToken)
    {
        while (_pending.Count < count)
        {
            await FillAsync(cancellationToken);
        }

        return Take(count);
    }

    private async Task FillAsync(CancellationToken cancellationToken)
    {
        byte[] buffer = new byte[64 * 1024];
        int read = await _stream.ReadAsync(buffer, cancellationToken);
        if (read == 0)
        {
            throw new EndOfStreamException($"The server closed the connection; unread: '{Encoding.ASCII.GetString([.. _pending])}'");
        }

        _pending.AddRange(buffer.AsSpan(0, read));
    }
}

/// <summary>A response read by <see cref="RawConnection"/>.</summary>
internal sealed record RawAnswer(int Status, IReadOnlyDictionary<string, string> Headers, byte[] Body)
{
    public string Text => Encoding.UTF8.GetString(Body);
}
