using System.Buffers;
using System.Buffers.Text;
using System.IO.Pipelines;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;

namespace Kumo.Embedded.Server;

/// <content>
/// The answer: held in the connection's output buffer until the handler ends (then head and body go in one
/// <c>send</c>, with the Content-Length the body has) or flushes or passes <see cref="FlushBytes"/> (then it is sent
/// as it comes, chunked when the handler set no Content-Length).
/// </content>
internal abstract partial class Http1Connection
{
    /// <summary>Buffered answer bytes that make the connection send what it has.</summary>
    internal const int FlushBytes = 64 * 1024;

    // Room kept before the buffered body for the head (or a chunk's size line), so both go out in one send.
    private const int HeadRoom = 1024;

    private readonly HeaderDictionary _responseHeaders = new();
    private readonly List<KeyValuePair<Func<object, Task>, object>> _onStarting = [];
    private readonly List<KeyValuePair<Func<object, Task>, object>> _onCompleted = [];
    private byte[]? _out;
    private byte[] _head = new byte[HeadRoom];
    private int _outLength;
    private int _statusCode;
    private string? _reasonPhrase;
    private bool _responseStarted;
    private bool _responseCompleted;
    private bool _chunkedResponse;
    private bool _bodyAllowed;
    private long? _declaredLength;
    private long _bodyWritten;
    private Http1ResponseBody.BodyStream? _responseStream;
    private Http1ResponseBody.BodyPipe? _responsePipe;

    private IHeaderDictionary ResponseHeaders => _responseHeaders;

    /// <inheritdoc />
    public int StatusCode
    {
        get => _statusCode;
        set
        {
            ThrowIfStarted();
            _statusCode = value;
        }
    }

    /// <inheritdoc />
    public string? ReasonPhrase
    {
        get => _reasonPhrase;
        set
        {
            ThrowIfStarted();
            _reasonPhrase = value;
        }
    }

    /// <inheritdoc />
    IHeaderDictionary IHttpResponseFeature.Headers
    {
        get => _responseHeaders;
        set => throw new NotSupportedException("The response's headers cannot be replaced on this server.");
    }

    /// <inheritdoc />
    [Obsolete("Use IHttpResponseBodyFeature.Stream instead.")]
    Stream IHttpResponseFeature.Body
    {
        get => Stream;
        set => this[typeof(IHttpResponseBodyFeature)] = new StreamResponseBodyFeature(value, this);
    }

    /// <inheritdoc />
    public bool HasStarted => _responseStarted;

    /// <inheritdoc />
    public Stream Stream => _responseStream ??= new Http1ResponseBody.BodyStream(this);

    /// <inheritdoc />
    public PipeWriter Writer => _responsePipe ??= new Http1ResponseBody.BodyPipe(this);

    /// <inheritdoc />
    public void OnStarting(Func<object, Task> callback, object state)
    {
        ThrowIfStarted();
        _onStarting.Add(new(callback, state));
    }

    /// <inheritdoc />
    public void OnCompleted(Func<object, Task> callback, object state) => _onCompleted.Add(new(callback, state));

    /// <inheritdoc />
    public void DisableBuffering()
    {
    }

    /// <inheritdoc />
    public Task StartAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            FlushBody();
            return Task.CompletedTask;
        }
        catch (Exception ex)
        {
            return Task.FromException(ex);
        }
    }

    /// <inheritdoc />
    public Task SendFileAsync(string path, long offset, long? count, CancellationToken cancellationToken = default) =>
        SendFileFallback.SendFileAsync(Stream, path, offset, count, cancellationToken);

    /// <inheritdoc />
    public Task CompleteAsync()
    {
        try
        {
            CompleteResponse(null);
            return Task.CompletedTask;
        }
        catch (Exception ex)
        {
            return Task.FromException(ex);
        }
    }

    /// <summary>Room for at least <paramref name="sizeHint"/> more body bytes at the end of the output buffer.</summary>
    internal Memory<byte> GetBodyMemory(int sizeHint)
    {
        ThrowIfCompleted();
        int needed = HeadRoom + _outLength + Math.Max(sizeHint, 1) + 2;
        if (_out is null || _out.Length < needed)
        {
            byte[] grown = ArrayPool<byte>.Shared.Rent(Math.Max(needed, _out is null ? 16 * 1024 : _out.Length * 2));
            if (_out is not null)
            {
                _out.AsSpan(HeadRoom, _outLength).CopyTo(grown.AsSpan(HeadRoom));
                ArrayPool<byte>.Shared.Return(_out);
            }

            _out = grown;
        }

        return _out.AsMemory(HeadRoom + _outLength, _out.Length - HeadRoom - _outLength - 2);
    }

    /// <summary>Counts <paramref name="count"/> bytes written into <see cref="GetBodyMemory"/>; sends them once enough are held.</summary>
    internal void AdvanceBody(int count)
    {
        _outLength += count;
        _bodyWritten += count;
        ThrowIfOverDeclared();

        if (_outLength >= FlushBytes)
        {
            FlushBody();
        }
    }

    /// <summary>Writes <paramref name="bytes"/> to the body; a large write goes out directly after what is held.</summary>
    internal void WriteBody(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < FlushBytes)
        {
            bytes.CopyTo(GetBodyMemory(bytes.Length).Span);
            AdvanceBody(bytes.Length);
            return;
        }

        ThrowIfCompleted();
        FlushBody();
        _bodyWritten += bytes.Length;
        ThrowIfOverDeclared();

        if (!_bodyAllowed)
        {
            return;
        }

        if (_chunkedResponse)
        {
            Span<byte> size = stackalloc byte[12];
            int length = ChunkSize(bytes.Length, size);
            Send(size[..length]);
            Send(bytes);
            Send("\r\n"u8);
        }
        else
        {
            Send(bytes);
        }
    }

    /// <summary>Sends the head if not yet sent and every body byte held (the handler flushed).</summary>
    internal void FlushBody()
    {
        ThrowIfCompleted();
        if (!_responseStarted)
        {
            SendHead(final: false);
        }
        else
        {
            SendHeldBody();
        }
    }

    // Before a request: an empty 200 answer.
    private void StartResponse()
    {
        _statusCode = StatusCodes.Status200OK;
        _reasonPhrase = null;
        _responseHeaders.Clear();
        _onStarting.Clear();
        _onCompleted.Clear();
        _outLength = 0;
        _bodyWritten = 0;
        _responseStarted = false;
        _responseCompleted = false;
        _chunkedResponse = false;
        _declaredLength = null;
    }

    // Ends the answer once the handler is done (or failed with error).
    private void CompleteResponse(Exception? error)
    {
        if (_responseCompleted)
        {
            return;
        }

        if (error is not null)
        {
            if (!(error is OperationCanceledException or IOException && (_abortRequested || _aborted)))
            {
                LogRequestFailed(_server.Logger, Method, RawTarget, error);
            }

            if (_responseStarted)
            {
                // Part of the answer is out: the client must not take it for whole.
                _responseCompleted = true;
                _keepAlive = false;
                return;
            }

            ReplaceWithEmptyAnswer(error is BadHttpRequestException bad ? bad.StatusCode : StatusCodes.Status500InternalServerError);
        }

        if (!_responseStarted)
        {
            if (ResponseHeaders.ContentLength is { } declared && _bodyWritten < declared && !ReferenceEquals(Method, HttpMethods.Head)
                && _statusCode is >= 200 and not StatusCodes.Status204NoContent and not StatusCodes.Status304NotModified)
            {
                // As Kestrel: an answer shorter than its Content-Length would leave the client waiting for the rest.
                LogShortAnswer(declared);
                ReplaceWithEmptyAnswer(StatusCodes.Status500InternalServerError);
            }

            SendHead(final: true);
        }
        else
        {
            SendHeldBody();
            if (_chunkedResponse)
            {
                Send("0\r\n\r\n"u8);
            }
            else if (_bodyAllowed && _declaredLength is { } declared && _bodyWritten < declared)
            {
                _keepAlive = false;
                LogShortAnswer(declared);
            }
        }

        _responseCompleted = true;
    }

    // Sends the held body bytes (as a chunk when chunked), the chunk's size line in the room before them.
    private void SendHeldBody()
    {
        if (_outLength == 0)
        {
            return;
        }

        int length = _outLength;
        _outLength = 0;
        if (!_bodyAllowed)
        {
            return;
        }

        byte[] output = _out!;
        if (!_chunkedResponse)
        {
            Send(output.AsSpan(HeadRoom, length));
            return;
        }

        Span<byte> size = stackalloc byte[12];
        int sizeLength = ChunkSize(length, size);
        size[..sizeLength].CopyTo(output.AsSpan(HeadRoom - sizeLength));
        output[HeadRoom + length] = (byte)'\r';
        output[HeadRoom + length + 1] = (byte)'\n';
        Send(output.AsSpan(HeadRoom - sizeLength, sizeLength + length + 2));
    }

    // Writes and sends the status line and headers, with the held body when it is whole (final) or as the first chunk.
    private void SendHead(bool final)
    {
        for (int i = _onStarting.Count - 1; i >= 0; i--)
        {
            (Func<object, Task> callback, object state) = _onStarting[i];
            callback(state).GetAwaiter().GetResult();
        }

        _onStarting.Clear();
        _responseStarted = true;
        int status = _statusCode;
        bool head = ReferenceEquals(Method, HttpMethods.Head);
        bool noBody = status is < 200 or StatusCodes.Status204NoContent or StatusCodes.Status304NotModified;
        _bodyAllowed = !head && !noBody;
        _declaredLength = _responseHeaders.ContentLength;
        if (_declaredLength is null && !noBody)
        {
            if (final && !head)
            {
                _declaredLength = _outLength;
                _responseHeaders.ContentLength = _outLength;
            }
            else if (!final && Protocol == HttpProtocol.Http11)
            {
                _chunkedResponse = _bodyAllowed;
                ResponseHeaders.TransferEncoding = "chunked";
            }
            else if (!final)
            {
                // HTTP/1.0 without a length: the body ends when the connection closes.
                _keepAlive = false;
            }
        }

        if (_bodyAllowed)
        {
            ThrowIfOverDeclared();
        }

        string? connection = ResponseHeaders.Connection;
        if (connection?.Contains("close", StringComparison.OrdinalIgnoreCase) == true)
        {
            _keepAlive = false;
        }
        else if (!_keepAlive || _server.IsStopping || !RequestBodyArrived())
        {
            // Never reuse a connection whose request body has not all arrived: its rest would be read as a request.
            _keepAlive = false;
            ResponseHeaders.Connection = "close";
        }
        else if (Protocol == HttpProtocol.Http10)
        {
            ResponseHeaders.Connection = "keep-alive";
        }

        int length = WriteHead(status);
        int body = _bodyAllowed ? _outLength : 0;
        if (_out is null)
        {
            GetBodyMemory(0);
        }

        byte[] output = _out!;
        if (length <= HeadRoom && (!_chunkedResponse || body == 0))
        {
            _head.AsSpan(0, length).CopyTo(output.AsSpan(HeadRoom - length));
            Send(output.AsSpan(HeadRoom - length, length + body));
            _outLength = 0;
            return;
        }

        Send(_head.AsSpan(0, length));
        SendHeldBody();
    }

    // Whether the request's body has all arrived (a malformed rest counts as not).
    private bool RequestBodyArrived()
    {
        try
        {
            Decode();
        }
        catch (BadHttpRequestException)
        {
            return false;
        }

        return BodyReceived;
    }

    // The head into _head; returns its length.
    private int WriteHead(int status)
    {
        var head = new HeadWriter(this);
        if (_reasonPhrase is { } reason)
        {
            head.Write("HTTP/1.1 "u8);
            head.WriteNumber(status);
            head.Write(" "u8);
            head.WriteAscii(reason);
            head.Write("\r\n"u8);
        }
        else
        {
            head.Write(StatusLines.For(status));
        }

        bool date = false;
        foreach (KeyValuePair<string, Microsoft.Extensions.Primitives.StringValues> header in _responseHeaders)
        {
            date |= header.Key.Equals("Date", StringComparison.OrdinalIgnoreCase);
            foreach (string? value in header.Value)
            {
                head.WriteAscii(header.Key);
                head.Write(": "u8);
                head.WriteAscii(value ?? string.Empty);
                head.Write("\r\n"u8);
            }
        }

        if (!date)
        {
            head.Write(StatusLines.Date());
        }

        head.Write("\r\n"u8);
        return head.Length;
    }

    private static int ChunkSize(int length, Span<byte> destination)
    {
        Utf8Formatter.TryFormat(length, destination, out int written, new StandardFormat('X'));
        destination[written++] = (byte)'\r';
        destination[written++] = (byte)'\n';
        return written;
    }

    private void RunOnCompleted()
    {
        for (int i = _onCompleted.Count - 1; i >= 0; i--)
        {
            (Func<object, Task> callback, object state) = _onCompleted[i];
            try
            {
                callback(state).GetAwaiter().GetResult();
            }
            catch (Exception ex)
            {
                LogRequestFailed(_server.Logger, Method, RawTarget, ex);
            }
        }

        _onCompleted.Clear();
    }

    private void ReturnResponseBuffers()
    {
        if (_out is { } output)
        {
            _out = null;
            ArrayPool<byte>.Shared.Return(output);
        }
    }

    // An answer not started yet becomes an empty one with this status.
    private void ReplaceWithEmptyAnswer(int status)
    {
        _statusCode = status;
        _reasonPhrase = null;
        _responseHeaders.Clear();
        _responseHeaders.ContentLength = 0;
        _outLength = 0;
        _bodyWritten = 0;
    }

    private void LogShortAnswer(long declared) =>
        LogRequestFailed(_server.Logger, Method, RawTarget, new InvalidOperationException($"Response Content-Length mismatch: too few bytes written ({_bodyWritten} of {declared})."));

    // As Kestrel: more body than the Content-Length said is the handler's error, not bytes to send (before the answer
    // starts, the length is the one the handler has set so far).
    private void ThrowIfOverDeclared()
    {
        if ((_responseStarted ? _declaredLength : ResponseHeaders.ContentLength) is { } declared && _bodyWritten > declared)
        {
            throw new InvalidOperationException($"Response Content-Length mismatch: too many bytes written ({_bodyWritten} of {declared}).");
        }
    }

    private void ThrowIfStarted()
    {
        if (_responseStarted)
        {
            throw new InvalidOperationException("The response has already started.");
        }
    }

    private void ThrowIfCompleted()
    {
        if (_responseCompleted)
        {
            throw new InvalidOperationException("The response has already completed.");
        }
    }

    /// <summary>Appends a head's bytes to the connection's head buffer, growing it; header text must be ASCII without control characters.</summary>
    private ref struct HeadWriter(Http1Connection connection)
    {
        public int Length { get; private set; }

        public void Write(ReadOnlySpan<byte> bytes)
        {
            Ensure(bytes.Length);
            bytes.CopyTo(connection._head.AsSpan(Length));
            Length += bytes.Length;
        }

        public void WriteNumber(int value)
        {
            Ensure(11);
            Utf8Formatter.TryFormat(value, connection._head.AsSpan(Length), out int written);
            Length += written;
        }

        public void WriteAscii(string text)
        {
            Ensure(text.Length);
            Span<byte> destination = connection._head.AsSpan(Length);
            for (int i = 0; i < text.Length; i++)
            {
                char c = text[i];
                if (c >= 0x7F || (c < 0x20 && c != '\t'))
                {
                    throw new InvalidOperationException($"Invalid non-ASCII or control character in header: 0x{(int)c:X4}");
                }

                destination[i] = (byte)c;
            }

            Length += text.Length;
        }

        private void Ensure(int more)
        {
            if (Length + more > connection._head.Length)
            {
                Array.Resize(ref connection._head, Math.Max(connection._head.Length * 2, Length + more));
            }
        }
    }
}
