using System.Net.Sockets;
using System.Text;

namespace Kumo.Embedded.Tests.S3;

/// <summary>
/// An error sent before the request body was read closes the connection, as S3 does: a client that
/// used Expect: 100-continue never sends the body, and a reused connection would have its next
/// request read as that body (botocore then got 405s, or hung until its read timeout).
/// </summary>
public sealed class EarlyErrorTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_put_answered_before_its_body_is_sent_closes_the_connection()
    {
        await using TestEngine engine = await TestEngine.StartAsync(persistent: false);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(15));
        using var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", engine.Endpoint.Port, timeout.Token);
        NetworkStream stream = client.GetStream();
        string head = $"PUT /missing-bucket/k HTTP/1.1\r\nHost: 127.0.0.1:{engine.Endpoint.Port}\r\nExpect: 100-continue\r\nContent-Length: 65536\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head), timeout.Token);
        string text = await ReadResponseAsync(stream, timeout.Token);

        Assert.StartsWith("HTTP/1.1 404", text, StringComparison.Ordinal);
        Assert.Contains("Connection: close", text, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("<Code>NoSuchBucket</Code>", text, StringComparison.Ordinal);
        int next;
        try
        {
            next = await stream.ReadAsync(new byte[1], timeout.Token);
        }
        catch (IOException)
        {
            next = 0; // reset: closed as well
        }

        Assert.Equal(0, next); // the server closed the connection instead of waiting for a body that never comes
    }

    /// <summary>Reads one response: headers, then Content-Length bytes of body.</summary>
    private static async Task<string> ReadResponseAsync(NetworkStream stream, CancellationToken cancellationToken)
    {
        var received = new List<byte>();
        byte[] buffer = new byte[4096];
        while (true)
        {
            string text = Encoding.ASCII.GetString([.. received]);
            int end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
            if (end >= 0)
            {
                string length = text.Split("\r\n").FirstOrDefault(l => l.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase))?["Content-Length:".Length..].Trim() ?? "0";
                if (received.Count >= end + 4 + int.Parse(length, System.Globalization.CultureInfo.InvariantCulture))
                {
                    return text;
                }
            }

            int read = await stream.ReadAsync(buffer, cancellationToken);
            if (read == 0)
            {
                return text;
            }

            received.AddRange(buffer.AsSpan(0, read).ToArray());
        }
    }
}
