using System.Buffers;
using System.Buffers.Text;
using System.Net.Sockets;
using Microsoft.AspNetCore.Http;

namespace Kumo.Embedded.Server;

/// <content>
/// The request body as it arrives: Content-Length or chunked framing decoded in place in the connection's buffer, so
/// the body's bytes always lie together at <c>_start</c> (chunk headers are overwritten by the data behind them).
/// </content>
internal abstract partial class Http1Connection
{
    private static readonly byte[] Continue = "HTTP/1.1 100 Continue\r\n\r\n"u8.ToArray();

    private BodyFraming _framing;
    private ChunkState _chunk;
    private long _remaining;
    private int _decodedEnd;
    private int _raw;
    private bool _expectContinue;
    private bool _continueSent;
    private Http1RequestBody.BodyStream? _requestBodyStream;
    private Http1RequestBody.BodyPipe? _requestBodyPipe;

    /// <summary>How a request's body is delimited.</summary>
    private enum BodyFraming
    {
        None,
        Length,
        Chunked,
    }

    private enum ChunkState
    {
        Size,
        Data,
        DataEnd,
        Trailer,
        Done,
    }

    /// <summary>Whether the whole body has arrived (its bytes may still wait in the buffer to be read).</summary>
    internal bool BodyReceived => _framing switch
    {
        BodyFraming.None => true,
        BodyFraming.Length => _remaining == 0,
        _ => _chunk == ChunkState.Done,
    };

    /// <summary>The buffer the body's bytes lie in (replaced when it grows).</summary>
    internal byte[] BodyBuffer => _buffer;

    /// <summary>Where the unread body bytes start in <see cref="BodyBuffer"/>.</summary>
    internal int BodyStart => _start;

    /// <summary>Where the decoded body bytes end in <see cref="BodyBuffer"/>.</summary>
    internal int BodyEnd => _decodedEnd;

    /// <summary>The decoded body bytes in the buffer not read yet.</summary>
    internal ReadOnlySpan<byte> BufferedBody => _buffer.AsSpan(_start, _decodedEnd - _start);

    private void StartBody(BodyFraming framing, long length)
    {
        _framing = framing;
        _remaining = length;
        _chunk = ChunkState.Size;
        _continueSent = false;
        _decodedEnd = _raw = _start;
        Decode();
    }

    /// <summary>Marks <paramref name="count"/> decoded bytes read.</summary>
    internal void ConsumeBody(int count) => _start += count;

    /// <summary>
    /// Blocks until more of the body is decoded (true), or returns false when the body is complete. Only the thread
    /// running the request's handler calls this.
    /// </summary>
    internal bool ReceiveBody(CancellationToken cancellationToken)
    {
        while (true)
        {
            if (BodyReceived)
            {
                return false;
            }

            cancellationToken.ThrowIfCancellationRequested();
            if (_expectContinue && !_continueSent && !_responseStarted)
            {
                _continueSent = true;
                Send(Continue);
            }

            int before = _decodedEnd;
            if (_end == _buffer.Length)
            {
                MakeRoom();
            }

            _end += ReceiveForBody(_buffer.AsSpan(_end));
            Decode();
            if (_decodedEnd > before || BodyReceived)
            {
                return true;
            }
        }
    }

    /// <summary>Reads straight from the socket into <paramref name="destination"/> (a large read of a Content-Length body with nothing buffered).</summary>
    internal int ReceiveBodyDirect(Span<byte> destination)
    {
        int received = ReceiveForBody(destination[..(int)Math.Min(destination.Length, _remaining)]);
        _remaining -= received;
        return received;
    }

    // One blocking receive of body bytes; a client that resets or closes before the body's end fails the handler's read.
    private int ReceiveForBody(Span<byte> destination)
    {
        int received;
        try
        {
            received = _socket.Receive(destination);
        }
        catch (SocketException ex)
        {
            _keepAlive = false;
            CancelRequestAborted();
            throw new IOException("The client closed the connection while sending the request body.", ex);
        }

        if (received == 0)
        {
            _keepAlive = false;
            throw new BadHttpRequestException("Unexpected end of request content.", StatusCodes.Status400BadRequest);
        }

        return received;
    }

    /// <summary>Whether a large read can skip the buffer: a Content-Length body with nothing of it buffered.</summary>
    internal bool CanReceiveDirect => _framing == BodyFraming.Length && _decodedEnd == _start && _raw == _end && _remaining > 0
        && (!_expectContinue || _continueSent || _responseStarted);

    // Moves what arrived of the body (after _raw) into the decoded bytes, removing chunk framing.
    private void Decode()
    {
        if (_framing == BodyFraming.Length)
        {
            int take = (int)Math.Min(_end - _raw, _remaining);
            _remaining -= take;
            _raw += take;
            _decodedEnd = _raw;
            return;
        }

        while (_framing == BodyFraming.Chunked && _chunk != ChunkState.Done && _raw < _end)
        {
            ReadOnlySpan<byte> available = _buffer.AsSpan(_raw, _end - _raw);
            switch (_chunk)
            {
                case ChunkState.Size:
                {
                    int lineEnd = available.IndexOf("\r\n"u8);
                    if (lineEnd < 0)
                    {
                        if (available.Length > 1024)
                        {
                            throw BadChunk();
                        }

                        return;
                    }

                    ReadOnlySpan<byte> line = available[..lineEnd];
                    int extension = line.IndexOf((byte)';');
                    ReadOnlySpan<byte> size = (extension < 0 ? line : line[..extension]).TrimEnd(" \t"u8);
                    if (size.IsEmpty || size.Length > 15 || !Utf8Parser.TryParse(size, out long parsed, out int used, 'X') || used != size.Length)
                    {
                        throw BadChunk();
                    }

                    _raw += lineEnd + 2;
                    _remaining = parsed;
                    _chunk = parsed == 0 ? ChunkState.Trailer : ChunkState.Data;
                    break;
                }

                case ChunkState.Data:
                {
                    int take = (int)Math.Min(available.Length, _remaining);
                    if (_raw != _decodedEnd)
                    {
                        available[..take].CopyTo(_buffer.AsSpan(_decodedEnd));
                    }

                    _decodedEnd += take;
                    _raw += take;
                    _remaining -= take;
                    if (_remaining == 0)
                    {
                        _chunk = ChunkState.DataEnd;
                    }

                    break;
                }

                case ChunkState.DataEnd:
                    if (available.Length < 2)
                    {
                        return;
                    }

                    if (available[0] != '\r' || available[1] != '\n')
                    {
                        throw BadChunk();
                    }

                    _raw += 2;
                    _chunk = ChunkState.Size;
                    break;

                case ChunkState.Trailer:
                {
                    int lineEnd = available.IndexOf("\r\n"u8);
                    if (lineEnd < 0)
                    {
                        if (available.Length > MaxHeadBytes)
                        {
                            throw BadChunk();
                        }

                        return;
                    }

                    // Trailer fields are read past and dropped; an empty line ends the body.
                    _raw += lineEnd + 2;
                    if (lineEnd == 0)
                    {
                        _chunk = ChunkState.Done;
                    }

                    break;
                }
            }
        }
    }

    private BadHttpRequestException BadChunk()
    {
        _keepAlive = false;
        return new BadHttpRequestException("Bad chunked request line.", StatusCodes.Status400BadRequest);
    }

    // Makes room after _end: moves the unread body bytes [_start, _decodedEnd) and the undecoded [_raw, _end) to the
    // front, or into a buffer twice the size when they fill half of it. Between requests _decodedEnd = _raw = _start.
    private void MakeRoom()
    {
        int decoded = _decodedEnd - _start;
        int raw = _end - _raw;
        byte[] target = decoded + raw >= _buffer.Length / 2 ? new byte[_buffer.Length * 2] : _buffer;
        _buffer.AsSpan(_start, decoded).CopyTo(target);
        _buffer.AsSpan(_raw, raw).CopyTo(target.AsSpan(decoded));
        _buffer = target;
        _start = 0;
        _decodedEnd = decoded;
        _raw = decoded;
        _end = decoded + raw;
    }

    // After the answer: drops the unread rest of a body that has arrived whole, so the next request starts at _start;
    // false when the body has not all arrived (the connection then closes rather than read the rest).
    private bool FinishRequestBody()
    {
        if (!RequestBodyArrived())
        {
            return false;
        }

        _start = _raw;
        _decodedEnd = _raw;
        _framing = BodyFraming.None;
        return true;
    }
}
