namespace Kumo.Embedded.S3;

/// <summary>Reads the bodies of a multipart upload's parts (each a range of a file) one after another as a single stream (multipart completion).</summary>
internal sealed class ConcatenatedFileStream(IReadOnlyList<UploadedPart> parts) : ReadOnlyStream
{
    private int _index;
    private StoredBody? _body;
    private Stream? _current;

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        while (true)
        {
            if (_current is null)
            {
                if (_index >= parts.Count)
                {
                    return 0;
                }

                UploadedPart part = parts[_index++];
                _body = StoredBody.Open(part.Path, part.Offset, part.Size);
                _current = _body.Slice(0, part.Size);
            }

            int read = await _current.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
            if (read > 0)
            {
                return read;
            }

            Close(ref _current, ref _body);
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            Close(ref _current, ref _body);
        }

        base.Dispose(disposing);
    }

    private static void Close(ref Stream? current, ref StoredBody? body)
    {
        current?.Dispose();
        body?.Dispose();
        current = null;
        body = null;
    }
}
