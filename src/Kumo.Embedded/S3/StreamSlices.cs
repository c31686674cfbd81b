namespace Kumo.Embedded.S3;

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
