using Microsoft.Win32.SafeHandles;

namespace Kumo.Embedded.S3;

/// <summary>
/// A stored body open for reading: a file of its own (a large body, or one of an old data directory)
/// or an extent of a shared segment file (<see cref="BodySegments"/>). Either stays readable, whole and
/// unchanged, until disposed, whatever happens to the object meanwhile.
/// </summary>
internal sealed class StoredBody : IDisposable
{
    private readonly Action? _release;
    private int _disposed;

    /// <summary>A body that owns its file handle (closed on dispose).</summary>
    public StoredBody(SafeFileHandle handle, long length)
        : this(handle, 0, length, release: handle.Dispose)
    {
    }

    /// <summary>A body at <paramref name="start"/> of a handle it shares; <paramref name="release"/> ends its lease.</summary>
    public StoredBody(SafeFileHandle handle, long start, long length, Action? release)
    {
        Handle = handle;
        Start = start;
        Length = length;
        _release = release;
    }

    /// <summary>
    /// Opens the <paramref name="length"/> bytes at <paramref name="start"/> of the file at <paramref name="path"/> (a
    /// multipart part's region) as a body that owns its handle; the file may still be written elsewhere, not there.
    /// </summary>
    public static StoredBody Open(string path, long start, long length)
    {
        SafeFileHandle handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        return new StoredBody(handle, start, length, handle.Dispose);
    }

    /// <summary>A body held in memory (<see cref="BodyCache"/>): no file, nothing to release.</summary>
    public StoredBody(byte[] memory)
    {
        Memory = memory;
        Length = memory.Length;
    }

    /// <summary>The file holding the body, or null when it is held in <see cref="Memory"/>.</summary>
    public SafeFileHandle? Handle { get; }

    /// <summary>The whole body when it is held in memory, else null.</summary>
    public byte[]? Memory { get; }

    /// <summary>Where the body starts in <see cref="Handle"/>'s file.</summary>
    public long Start { get; }

    public long Length { get; }

    /// <summary>Reads up to <paramref name="buffer"/>'s length from <paramref name="offset"/> of the body.</summary>
    public int Read(Span<byte> buffer, long offset)
    {
        Span<byte> destination = buffer[..Within(buffer.Length, offset)];
        if (Memory is { } memory)
        {
            memory.AsSpan((int)offset, destination.Length).CopyTo(destination);
            return destination.Length;
        }

        return RandomAccess.Read(Handle!, destination, Start + offset);
    }

    /// <inheritdoc cref="Read"/>
    public ValueTask<int> ReadAsync(Memory<byte> buffer, long offset, CancellationToken cancellationToken) =>
        Memory is not null
            ? ValueTask.FromResult(Read(buffer.Span, offset))
            : RandomAccess.ReadAsync(Handle!, buffer[..Within(buffer.Length, offset)], Start + offset, cancellationToken);

    /// <summary>How many of <paramref name="wanted"/> bytes from <paramref name="offset"/> lie within the body (0 past its end).</summary>
    private int Within(int wanted, long offset) => (int)Math.Min(wanted, Math.Max(0, Length - offset));

    /// <summary>The whole body, read into a new array of <see cref="Length"/> bytes.</summary>
    /// <exception cref="IOException">The stored body is shorter than its recorded size.</exception>
    public byte[] ReadAll()
    {
        byte[] body = GC.AllocateUninitializedArray<byte>((int)Length);
        return Read(body, 0) == body.Length ? body : throw ShorterThanRecorded();
    }

    private static IOException ShorterThanRecorded() => new("The object's stored body is shorter than its recorded size.");

    /// <summary>A forward-only stream of <paramref name="length"/> bytes from <paramref name="offset"/> (which does not own this body).</summary>
    public Stream Slice(long offset, long length) => new SliceStream(this, offset, length);

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _release?.Invoke();
        }
    }

    private sealed class SliceStream(StoredBody body, long offset, long length) : ReadOnlyStream
    {
        private long _position;

        public override long Length => length;

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            long remaining = length - _position;
            if (remaining <= 0)
            {
                return 0;
            }

            int read = await body.ReadAsync(buffer[..(int)Math.Min(buffer.Length, remaining)], offset + _position, cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                throw ShorterThanRecorded();
            }

            _position += read;
            return read;
        }
    }
}
