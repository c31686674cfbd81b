using System.Globalization;
using System.Text;

namespace Kumo.Embedded.S3;

/// <summary>
/// Decodes an <c>aws-chunked</c> request body (signed or unsigned chunks, optional trailers) into
/// the plain payload, streaming.
/// </summary>
/// <remarks>
/// Wire format: <c>&lt;hex-size&gt;[;chunk-signature=&lt;sig&gt;]\r\n&lt;bytes&gt;\r\n</c> repeated, a
/// final zero-size chunk, then optional trailer lines <c>name:value\r\n</c> and an empty line.
/// Signatures are not verified (kumo has no auth); framing errors raise <c>IncompleteBody</c>.
/// </remarks>
internal sealed class AwsChunkedStream : ReadOnlyStream
{
    private const int MaxLineLength = 4096;
    private readonly Stream _inner;
    private readonly byte[] _buffer = new byte[16 * 1024];
    private int _start;
    private int _end;
    private long _chunkRemaining;
    private bool _finished;

    public AwsChunkedStream(Stream inner) => _inner = inner;

    /// <summary>Trailer headers (e.g. <c>x-amz-checksum-crc32</c>), available once the stream is read to its end.</summary>
    public Dictionary<string, string> Trailers { get; } = new(StringComparer.OrdinalIgnoreCase);

    public override async ValueTask<int> ReadAsync(Memory<byte> destination, CancellationToken cancellationToken = default)
    {
        if (_finished || destination.Length == 0)
        {
            return 0;
        }

        if (_chunkRemaining == 0)
        {
            string header = await ReadLineAsync(cancellationToken).ConfigureAwait(false);
            int semicolon = header.IndexOf(';', StringComparison.Ordinal);
            string hex = semicolon < 0 ? header : header[..semicolon];
            if (!long.TryParse(hex.Trim(), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out long size) || size < 0)
            {
                throw S3Errors.MalformedChunk($"chunk header '{Truncate(header)}' has no hexadecimal size");
            }

            if (size == 0)
            {
                await ReadTrailersAsync(cancellationToken).ConfigureAwait(false);
                _finished = true;
                return 0;
            }

            _chunkRemaining = size;
        }

        if (_start == _end && !await FillAsync(cancellationToken).ConfigureAwait(false))
        {
            throw S3Errors.MalformedChunk("the body ended inside a chunk");
        }

        int count = (int)Math.Min(Math.Min(destination.Length, _end - _start), _chunkRemaining);
        _buffer.AsMemory(_start, count).CopyTo(destination);
        _start += count;
        _chunkRemaining -= count;
        if (_chunkRemaining == 0)
        {
            string terminator = await ReadLineAsync(cancellationToken).ConfigureAwait(false);
            if (terminator.Length != 0)
            {
                throw S3Errors.MalformedChunk("a chunk is longer than its declared size");
            }
        }

        return count;
    }


    private async Task ReadTrailersAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            if (_start == _end && !await FillAsync(cancellationToken).ConfigureAwait(false))
            {
                return; // Body ended right after the last chunk: no trailers and no final CRLF.
            }

            string line = await ReadLineAsync(cancellationToken).ConfigureAwait(false);
            if (line.Length == 0)
            {
                return;
            }

            int colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                throw S3Errors.MalformedChunk($"trailer '{Truncate(line)}' is not 'name:value'");
            }

            Trailers[line[..colon].Trim()] = line[(colon + 1)..].Trim();
        }
    }

    private async Task<string> ReadLineAsync(CancellationToken cancellationToken)
    {
        var line = new StringBuilder();
        while (true)
        {
            if (_start == _end && !await FillAsync(cancellationToken).ConfigureAwait(false))
            {
                throw S3Errors.MalformedChunk("the body ended inside a chunk header");
            }

            int newline = Array.IndexOf(_buffer, (byte)'\n', _start, _end - _start);
            int stop = newline < 0 ? _end : newline;
            line.Append(Encoding.ASCII.GetString(_buffer, _start, stop - _start));
            if (line.Length > MaxLineLength)
            {
                throw S3Errors.MalformedChunk("a chunk header line is too long");
            }

            if (newline < 0)
            {
                _start = _end;
                continue;
            }

            _start = newline + 1;
            if (line.Length > 0 && line[^1] == '\r')
            {
                line.Length--;
            }

            return line.ToString();
        }
    }

    private async Task<bool> FillAsync(CancellationToken cancellationToken)
    {
        _start = 0;
        _end = await _inner.ReadAsync(_buffer, cancellationToken).ConfigureAwait(false);
        return _end > 0;
    }

    private static string Truncate(string value) => value.Length <= 64 ? value : value[..64] + "…";
}
