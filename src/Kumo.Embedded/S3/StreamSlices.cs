namespace Kumo.Embedded.S3;

/// <summary>Reads at most a fixed number of bytes from an inner stream (which it does not own).</summary>
internal sealed class LimitedStream : ReadOnlyStream
{
    private readonly Stream _inner;
    private readonly long _length;
    private long _remaining;

    public LimitedStream(Stream inner, long length)
    {
        _inner = inner;
        _length = length;
        _remaining = length;
    }

    public override long Length => _length;

    public override long Position
    {
        get => _length - _remaining;
        set => throw new NotSupportedException();
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_remaining <= 0)
        {
            return 0;
        }

        int read = await _inner.ReadAsync(buffer[..(int)Math.Min(buffer.Length, _remaining)], cancellationToken).ConfigureAwait(false);
        _remaining -= read;
        return read;
    }

}

/// <summary>Reads several files one after another as a single stream (multipart completion).</summary>
internal sealed class ConcatenatedFileStream(IReadOnlyList<string> paths) : ReadOnlyStream
{
    private int _index;
    private FileStream? _current;

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        while (true)
        {
            if (_current is null)
            {
                if (_index >= paths.Count)
                {
                    return 0;
                }

                _current = new FileStream(paths[_index++], FileMode.Open, FileAccess.Read, FileShare.Read, 1, useAsync: true);
            }

            int read = await _current.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
            if (read > 0)
            {
                return read;
            }

            await _current.DisposeAsync().ConfigureAwait(false);
            _current = null;
        }
    }


    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _current?.Dispose();
        }

        base.Dispose(disposing);
    }
}
