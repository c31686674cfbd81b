using System.Buffers;
using System.Buffers.Text;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Kumo.Embedded.Protocol;

/// <summary>
/// The same ceiling as Program.cs without Kestrel (KUMO_BARE_SERVER=socket; targets bare-socket and bare-socket-store of
/// bench/peers/run.sh): the least .NET itself can do for the side-by-side benchmark's requests, as bare-c.c is the least
/// any server can do. One thread per connection doing blocking <c>recv</c>/<c>send</c> (for one connection the shortest
/// path from a request's arrival to its answer: no epoll, no thread hand-off), the request's head parsed by hand, the
/// same answers as the Kestrel ceiling; with KUMO_BARE_SEND=store a SendMessage runs <see cref="StoredSend.Accept"/>.
/// </summary>
/// <remarks>Not a general server, as bare-c.c is not: Content-Length bodies only (chunked gets 501), heads up to 16 KiB.</remarks>
internal static class BareSocket
{
    private const int HeadLimit = 16 * 1024;
    private const int BodyLimit = 64 * 1024 * 1024;

    // A GET's head up to its Content-Length's value.
    private static readonly byte[] ObjectHead = Encoding.ASCII.GetBytes(
        $"HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nETag: {Answers.ObjectETag}\r\nContent-Length: ");

    /// <summary>Listens on 127.0.0.1:<paramref name="port"/> (0 = any free port), prints KUMO_ENDPOINT and serves until killed.</summary>
    public static void Run(int port, StoredSend? stored)
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, port));
        listener.Listen(512);
        Console.Out.WriteLine($"KUMO_ENDPOINT=http://127.0.0.1:{((IPEndPoint)listener.LocalEndPoint!).Port}");
        Console.Out.Flush();
        while (true)
        {
            Socket connection = listener.Accept();
            connection.NoDelay = true;
            new Thread(() => Serve(connection, stored)) { IsBackground = true, Name = "bare-socket" }.Start();
        }
    }

    // Reads requests until the client closes; answers every whole request in the buffer after each read.
    private static void Serve(Socket socket, StoredSend? stored)
    {
        using (socket)
        {
            byte[] buffer = new byte[HeadLimit + 8192];
            int length = 0;
            var output = new ArrayBufferWriter<byte>(512 + Answers.ObjectBody.Length);
            var document = new ArrayBufferWriter<byte>(256);
            try
            {
                while (true)
                {
                    if (length == buffer.Length)
                    {
                        Array.Resize(ref buffer, buffer.Length * 2);
                    }

                    int got = socket.Receive(buffer.AsSpan(length));
                    if (got == 0)
                    {
                        return;
                    }

                    length += got;
                    int start = 0;
                    while (true)
                    {
                        ReadOnlySpan<byte> available = buffer.AsSpan(start, length - start);
                        int end = available.IndexOf("\r\n\r\n"u8);
                        if (end < 0)
                        {
                            if (available.Length > HeadLimit)
                            {
                                return;
                            }

                            break;
                        }

                        int headLength = end + 4;
                        ReadOnlySpan<byte> head = available[..headLength];
                        if (Header(head, "Transfer-Encoding"u8, out _))
                        {
                            Send(socket, "HTTP/1.1 501 Not Implemented\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"u8);
                            return;
                        }

                        long bodyLength = Header(head, "Content-Length"u8, out ReadOnlySpan<byte> declared)
                            && Utf8Parser.TryParse(declared, out long parsed, out _) ? parsed : 0;
                        if (bodyLength is < 0 or > BodyLimit)
                        {
                            return;
                        }

                        int whole = headLength + (int)bodyLength;
                        if (available.Length < whole)
                        {
                            if (whole > buffer.Length)
                            {
                                // Make room for the whole request.
                                byte[] grown = new byte[whole];
                                available.CopyTo(grown);
                                buffer = grown;
                                length = available.Length;
                                start = 0;
                            }

                            break;
                        }

                        output.ResetWrittenCount();
                        Answer(head, new ArraySegment<byte>(buffer, start + headLength, (int)bodyLength), stored, output, document);
                        Send(socket, output.WrittenSpan);
                        start += whole;
                    }

                    buffer.AsSpan(start, length - start).CopyTo(buffer);
                    length -= start;
                }
            }
            catch (SocketException)
            {
                // The client went away mid-request: nothing to answer.
            }
        }
    }

    // Writes the answer to one whole request into output.
    private static void Answer(ReadOnlySpan<byte> head, ArraySegment<byte> body, StoredSend? stored, ArrayBufferWriter<byte> output, ArrayBufferWriter<byte> document)
    {
        if (head.StartsWith("GET /health "u8))
        {
            Write(output, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: "u8);
            Finish(output, Answers.Health);
        }
        else if (head.StartsWith("PUT "u8))
        {
            Span<byte> digest = stackalloc byte[16];
            MD5.HashData(body.AsSpan(), digest);
            Write(output, "HTTP/1.1 200 OK\r\nETag: \""u8);
            Span<byte> hex = output.GetSpan(32);
            Convert.TryToHexStringLower(digest, hex, out int written);
            output.Advance(written);
            Write(output, "\"\r\nContent-Length: 0\r\n\r\n"u8);
        }
        else if (head.StartsWith("GET "u8))
        {
            Write(output, ObjectHead);
            Finish(output, Answers.ObjectBody);
        }
        else if (head.StartsWith("DELETE "u8))
        {
            Write(output, "HTTP/1.1 204 No Content\r\n\r\n"u8);
        }
        else if (head.StartsWith("POST "u8))
        {
            Header(head, "X-Amz-Target"u8, out ReadOnlySpan<byte> target);
            if (stored is not null && target.SequenceEqual("AmazonSQS.SendMessage"u8))
            {
                document.ResetWrittenCount();
                if (!stored.Accept(new ReadOnlySequence<byte>(body), document))
                {
                    Write(output, "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n"u8);
                    return;
                }

                Write(output, "HTTP/1.1 200 OK\r\nContent-Type: application/x-amz-json-1.0\r\nx-amzn-RequestId: "u8);
                output.Advance(Encoding.ASCII.GetBytes(UniqueIds.Request(), output.GetSpan(36)));
                Write(output, "\r\nContent-Length: "u8);
                Finish(output, document.WrittenSpan);
            }
            else
            {
                Write(output, "HTTP/1.1 200 OK\r\nContent-Type: application/x-amz-json-1.0\r\nContent-Length: "u8);
                Span<char> name = stackalloc char[Math.Min(target.Length, 64)];
                Encoding.ASCII.GetChars(target[..name.Length], name);
                Finish(output, Answers.ForTarget(name));
            }
        }
        else
        {
            Write(output, "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n"u8);
        }
    }

    // Writes the body's length, the end of the head and the body.
    private static void Finish(ArrayBufferWriter<byte> output, ReadOnlySpan<byte> body)
    {
        Utf8Formatter.TryFormat(body.Length, output.GetSpan(11), out int written);
        output.Advance(written);
        Write(output, "\r\n\r\n"u8);
        Write(output, body);
    }

    private static void Write(ArrayBufferWriter<byte> output, ReadOnlySpan<byte> bytes) => output.Write(bytes);

    // Finds a header's value (name compared ignoring case) in a request's head.
    private static bool Header(ReadOnlySpan<byte> head, ReadOnlySpan<byte> name, out ReadOnlySpan<byte> value)
    {
        int lineEnd = head.IndexOf((byte)'\n');
        while (lineEnd >= 0)
        {
            head = head[(lineEnd + 1)..];
            lineEnd = head.IndexOf((byte)'\n');
            ReadOnlySpan<byte> line = lineEnd < 0 ? head : head[..lineEnd];
            if (line.Length > name.Length && line[name.Length] == (byte)':' && Ascii.EqualsIgnoreCase(line[..name.Length], name))
            {
                value = line[(name.Length + 1)..].Trim(" \r"u8);
                return true;
            }
        }

        value = default;
        return false;
    }

    private static void Send(Socket socket, ReadOnlySpan<byte> bytes)
    {
        while (!bytes.IsEmpty)
        {
            bytes = bytes[socket.Send(bytes)..];
        }
    }
}
