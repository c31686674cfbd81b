using System.Buffers.Text;
using System.Net.Sockets;
using System.Text;
using System.Text.Unicode;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace Kumo.Embedded.Server;

/// <content>Reading and parsing a request's head: the request line and the header lines.</content>
internal abstract partial class Http1Connection
{
    private readonly HeaderDictionary _requestHeaders = new();
    private CachedHeader?[] _headerCache = new CachedHeader?[24];
    private readonly KeptBytes _lastTarget = new(256);
    private string? _lastTargetString;

    // Reads until a whole head is buffered and parses it; false when the connection is to close without an answer.
    private bool ReadHead()
    {
        int searched = 0;
        while (true)
        {
            while (_end - _start >= 2 && _buffer[_start] == '\r' && _buffer[_start + 1] == '\n')
            {
                // Empty lines before a request line are allowed (RFC 9112 section 2.2).
                _start += 2;
            }

            int from = Math.Max(_start, _start + searched - 3);
            int found = _buffer.AsSpan(from, _end - from).IndexOf("\r\n\r\n"u8);
            if (found >= 0)
            {
                int headStart = _start;
                int headEnd = from + found + 4;
                if (headEnd - headStart > MaxHeadBytes)
                {
                    Refuse(StatusCodes.Status431RequestHeaderFieldsTooLarge, "request head too large");
                    return false;
                }

                _start = _raw = _decodedEnd = headEnd;
                return ParseHead(_buffer.AsSpan(headStart, headEnd - headStart));
            }

            searched = _end - _start;
            if (searched > MaxHeadBytes)
            {
                Refuse(StatusCodes.Status431RequestHeaderFieldsTooLarge, "request head too large");
                return false;
            }

            if (_start == _end)
            {
                _start = _end = 0;
                _idle = true;
                if (_server.IsStopping)
                {
                    return false;
                }
            }

            int received;
            _raw = _decodedEnd = _start;
            try
            {
                received = Receive();
            }
            catch (SocketException ex) when (ex.SocketErrorCode == SocketError.TimedOut)
            {
                return false;
            }

            _idle = false;
            if (received == 0)
            {
                return false;
            }
        }
    }

    // Parses the head (ending with its empty line) into the request's fields; false (after a refusal) when it cannot.
    private bool ParseHead(ReadOnlySpan<byte> head)
    {
        StartRequest();
        int lineEnd = head.IndexOf("\r\n"u8);
        if (lineEnd > MaxRequestLineBytes)
        {
            Refuse(StatusCodes.Status414UriTooLong, "request line too long");
            return false;
        }

        if (!ParseRequestLine(head[..lineEnd], out string? problem, out int status))
        {
            Refuse(status, problem!);
            return false;
        }

        bool http10 = Protocol == HttpProtocol.Http10;
        _keepAlive = !http10;
        long? contentLength = null;
        bool chunked = false;
        int hosts = 0;
        int index = 0;
        ReadOnlySpan<byte> rest = head[(lineEnd + 2)..];
        while (rest.Length > 2)
        {
            int end = rest.IndexOf("\r\n"u8);
            ReadOnlySpan<byte> line = rest[..end];
            rest = rest[(end + 2)..];
            if (!ParseHeader(line, index++, out string name, out string value))
            {
                Refuse(StatusCodes.Status400BadRequest, "malformed header line");
                return false;
            }

            if (ReferenceEquals(name, KnownHeaders.ContentLength))
            {
                ReadOnlySpan<byte> digits = line[(line.IndexOf((byte)':') + 1)..].Trim(" \t"u8);
                if (!Utf8Parser.TryParse(digits, out long length, out int used) || used != digits.Length || length < 0
                    || (contentLength is { } other && other != length))
                {
                    Refuse(StatusCodes.Status400BadRequest, "invalid Content-Length");
                    return false;
                }

                contentLength = length;
            }
            else if (ReferenceEquals(name, KnownHeaders.TransferEncoding))
            {
                int comma = value.LastIndexOf(',');
                if (!value.AsSpan(comma + 1).Trim().Equals("chunked", StringComparison.OrdinalIgnoreCase))
                {
                    Refuse(StatusCodes.Status400BadRequest, "the final transfer coding is not chunked");
                    return false;
                }

                chunked = true;
            }
            else if (ReferenceEquals(name, KnownHeaders.Connection))
            {
                if (value.Contains("close", StringComparison.OrdinalIgnoreCase))
                {
                    _keepAlive = false;
                }
                else if (http10 && value.Contains("keep-alive", StringComparison.OrdinalIgnoreCase))
                {
                    _keepAlive = true;
                }
            }
            else if (ReferenceEquals(name, KnownHeaders.Expect))
            {
                _expectContinue = value.Equals("100-continue", StringComparison.OrdinalIgnoreCase);
            }
            else if (ReferenceEquals(name, KnownHeaders.Host))
            {
                hosts++;
            }

            if (_requestHeaders.TryGetValue(name, out StringValues existing))
            {
                _requestHeaders[name] = StringValues.Concat(existing, value);
            }
            else
            {
                _requestHeaders[name] = value;
            }
        }

        if (hosts > 1 || (hosts == 0 && !http10))
        {
            Refuse(StatusCodes.Status400BadRequest, "an HTTP/1.1 request needs exactly one Host header");
            return false;
        }

        try
        {
            if (chunked)
            {
                // Transfer-Encoding wins over Content-Length (RFC 9112 section 6.3); the length is not passed on.
                _requestHeaders.Remove(KnownHeaders.ContentLength);
                StartBody(BodyFraming.Chunked, 0);
            }
            else
            {
                StartBody(contentLength > 0 ? BodyFraming.Length : BodyFraming.None, contentLength ?? 0);
            }
        }
        catch (BadHttpRequestException ex)
        {
            Refuse(ex.StatusCode, ex.Message);
            return false;
        }

        return true;
    }

    private bool ParseRequestLine(ReadOnlySpan<byte> line, out string? problem, out int status)
    {
        status = StatusCodes.Status400BadRequest;
        problem = null;
        int space = line.IndexOf((byte)' ');
        int last = line.LastIndexOf((byte)' ');
        if (space <= 0 || last == space)
        {
            problem = "malformed request line";
            return false;
        }

        ReadOnlySpan<byte> version = line[(last + 1)..];
        if (version.SequenceEqual("HTTP/1.1"u8))
        {
            Protocol = HttpProtocol.Http11;
        }
        else if (version.SequenceEqual("HTTP/1.0"u8))
        {
            Protocol = HttpProtocol.Http10;
        }
        else
        {
            status = version.StartsWith("HTTP/"u8) ? StatusCodes.Status505HttpVersionNotsupported : StatusCodes.Status400BadRequest;
            problem = "unsupported HTTP version";
            return false;
        }

        if (KnownMethod(line[..space]) is not { } method)
        {
            problem = "invalid method";
            return false;
        }

        Method = method;
        ReadOnlySpan<byte> target = line[(space + 1)..last];
        foreach (byte b in target)
        {
            if (b <= 0x20 || b >= 0x7F)
            {
                problem = "invalid character in the request target";
                return false;
            }
        }

        if (target.SequenceEqual("*"u8))
        {
            RawTarget = "*";
            Path = string.Empty;
            QueryString = string.Empty;
            return true;
        }

        if (target.StartsWith("http://"u8) || target.StartsWith("https://"u8))
        {
            // Absolute form (a proxy's): the path is what follows the authority.
            int authority = target.IndexOf("//"u8) + 2;
            int slash = target[authority..].IndexOfAny((byte)'/', (byte)'?');
            target = slash < 0 ? "/"u8 : target[(authority + slash)..];
        }

        if (target.IsEmpty || target[0] != '/')
        {
            problem = "the request target is not a path";
            return false;
        }

        string raw = TargetString(target);
        RawTarget = raw;
        int query = target.IndexOf((byte)'?');
        ReadOnlySpan<byte> pathBytes = query < 0 ? target : target[..query];
        QueryString = query < 0 ? string.Empty : raw[query..];
        if (pathBytes.IndexOf((byte)'%') < 0 && pathBytes.IndexOf("/."u8) < 0)
        {
            Path = query < 0 ? raw : raw[..query];
            return true;
        }

        if (DecodePath(pathBytes) is not { } path)
        {
            problem = "the request path is not percent-encoded UTF-8";
            return false;
        }

        Path = path;
        return true;
    }

    // The target as a string, the previous request's string again when the bytes are the same.
    private string TargetString(ReadOnlySpan<byte> target)
    {
        if (_lastTarget.Matches(target))
        {
            return _lastTargetString!;
        }

        string text = Encoding.ASCII.GetString(target);
        _lastTarget.Keep(target);
        _lastTargetString = text;
        return text;
    }

    // Percent-decodes a path (except %2F, which stays encoded so a path segment can hold a slash, as on Kestrel),
    // removes dot segments, and checks it is UTF-8; null when it is not.
    private static string? DecodePath(ReadOnlySpan<byte> encoded)
    {
        Span<byte> decoded = encoded.Length <= 1024 ? stackalloc byte[encoded.Length] : new byte[encoded.Length];
        int length = 0;
        for (int i = 0; i < encoded.Length; i++)
        {
            byte b = encoded[i];
            if (b == '%')
            {
                if (i + 2 >= encoded.Length || !IsHex(encoded[i + 1]) || !IsHex(encoded[i + 2]))
                {
                    return null;
                }

                int value = (HexValue(encoded[i + 1]) << 4) | HexValue(encoded[i + 2]);
                if (value != '/')
                {
                    decoded[length++] = (byte)value;
                    i += 2;
                    continue;
                }
            }

            decoded[length++] = b;
        }

        decoded = decoded[..RemoveDotSegments(decoded[..length])];
        return Utf8.IsValid(decoded) ? Encoding.UTF8.GetString(decoded) : null;
    }

    // RFC 3986 section 5.2.4 in place, on a path that starts with '/'; returns the new length.
    private static int RemoveDotSegments(Span<byte> path)
    {
        int read = 0;
        int write = 0;
        while (read < path.Length)
        {
            ReadOnlySpan<byte> rest = path[read..];
            if (rest.StartsWith("/./"u8))
            {
                read += 2;
            }
            else if (rest.SequenceEqual("/."u8))
            {
                path[read + 1] = (byte)'/';
                read += 1;
            }
            else if (rest.StartsWith("/../"u8) || rest.SequenceEqual("/.."u8))
            {
                int previous = write > 0 ? path[..write].LastIndexOf((byte)'/') : 0;
                write = Math.Max(previous, 0);
                if (rest.Length == 3)
                {
                    path[write++] = (byte)'/';
                    read = path.Length;
                }
                else
                {
                    read += 3;
                }
            }
            else
            {
                int next = rest[1..].IndexOf((byte)'/');
                int segment = next < 0 ? rest.Length : next + 1;
                rest[..segment].CopyTo(path[write..]);
                write += segment;
                read += segment;
            }
        }

        return Math.Max(write, 1);
    }

    private static bool IsHex(byte b) => char.IsAsciiHexDigit((char)b);

    private static int HexValue(byte b) => b <= '9' ? b - '0' : (b | 0x20) - 'a' + 10;

    private static string? KnownMethod(ReadOnlySpan<byte> method)
    {
        switch (method.Length)
        {
            case 3 when method.SequenceEqual("GET"u8):
                return HttpMethods.Get;
            case 3 when method.SequenceEqual("PUT"u8):
                return HttpMethods.Put;
            case 4 when method.SequenceEqual("POST"u8):
                return HttpMethods.Post;
            case 4 when method.SequenceEqual("HEAD"u8):
                return HttpMethods.Head;
            case 6 when method.SequenceEqual("DELETE"u8):
                return HttpMethods.Delete;
            case 7 when method.SequenceEqual("OPTIONS"u8):
                return HttpMethods.Options;
            case 5 when method.SequenceEqual("PATCH"u8):
                return HttpMethods.Patch;
        }

        return KnownHeaders.IsToken(method) ? Encoding.ASCII.GetString(method) : null;
    }

    // One header line into its name and value; the previous request's strings when its line at this place was the same.
    private bool ParseHeader(ReadOnlySpan<byte> line, int index, out string name, out string value)
    {
        name = value = string.Empty;
        if (index >= _headerCache.Length)
        {
            Array.Resize(ref _headerCache, _headerCache.Length * 2);
        }

        CachedHeader cached = _headerCache[index] ??= new CachedHeader();
        if (cached.Matches(line))
        {
            name = cached.Name!;
            value = cached.Value!;
            return true;
        }

        int colon = line.IndexOf((byte)':');
        if (colon <= 0)
        {
            return false;
        }

        ReadOnlySpan<byte> nameBytes = line[..colon];
        ReadOnlySpan<byte> valueBytes = line[(colon + 1)..].Trim(" \t"u8);
        if (cached.HasName(nameBytes))
        {
            name = cached.Name!;
        }
        else if (KnownHeaders.Find(nameBytes) is { } known)
        {
            name = known;
        }
        else if (KnownHeaders.IsToken(nameBytes))
        {
            name = Encoding.ASCII.GetString(nameBytes);
        }
        else
        {
            return false;
        }

        if (valueBytes.IndexOfAny((byte)0, (byte)'\r', (byte)'\n') >= 0)
        {
            return false;
        }

        if (System.Text.Ascii.IsValid(valueBytes))
        {
            value = Encoding.ASCII.GetString(valueBytes);
        }
        else if (Utf8.IsValid(valueBytes))
        {
            value = Encoding.UTF8.GetString(valueBytes);
        }
        else
        {
            return false;
        }

        cached.Keep(line, name, value);
        return true;
    }

    // Answers a request the server cannot read and closes the connection after it.
    private void Refuse(int status, string reason)
    {
        LogBadRequest(_server.Logger, status, reason);
        _keepAlive = false;
        Send(StatusLines.Refusal(status));
    }

    /// <summary>
    /// The header line of the previous request at the same place, with the strings made from it: a client sends the
    /// same names, and many of the same values, in the same order on every request of a connection.
    /// </summary>
    private sealed class CachedHeader
    {
        private readonly KeptBytes _line = new(512);
        private int _colon;

        public string? Name { get; private set; }

        public string? Value { get; private set; }

        public bool Matches(ReadOnlySpan<byte> line) => _line.Matches(line);

        public bool HasName(ReadOnlySpan<byte> name) => name.Length == _colon && _line.Bytes.StartsWith(name);

        public void Keep(ReadOnlySpan<byte> line, string name, string value)
        {
            Name = name;
            Value = value;
            _line.Keep(line);
            _colon = line.IndexOf((byte)':');
        }
    }

    /// <summary>A copy of the bytes a string was last made from (up to a capacity; longer ones are not kept), to tell when the same bytes come again.</summary>
    private sealed class KeptBytes(int capacity)
    {
        private readonly byte[] _bytes = new byte[capacity];
        private int _length = -1;

        /// <summary>The kept bytes; empty when none are kept.</summary>
        public ReadOnlySpan<byte> Bytes => _length < 0 ? default : _bytes.AsSpan(0, _length);

        public bool Matches(ReadOnlySpan<byte> bytes) => bytes.Length == _length && bytes.SequenceEqual(_bytes.AsSpan(0, _length));

        public void Keep(ReadOnlySpan<byte> bytes)
        {
            if (bytes.Length > _bytes.Length)
            {
                _length = -1;
                return;
            }

            bytes.CopyTo(_bytes);
            _length = bytes.Length;
        }
    }
}
