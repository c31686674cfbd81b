namespace Kumo.Embedded.S3;

/// <summary>
/// The one file an upload's parts are written into at their final offsets, (number − 1) × the part size, so that
/// completing parts 1..N of one size (the last one no longer) copies nothing: the file is linked into place as the
/// object's body (<see cref="BlobStore.TryStageAssembly"/>).
/// </summary>
/// <remarks>
/// <para>
/// The part size is the length of the first part claimed that is at least the minimum part size. A part number claims
/// its region once: a second upload of the same number, a part longer than the part size, a small part, a part whose
/// length is not announced or one whose region would end past the largest object goes to a file of its own, as every
/// part did before. So a region is written by one request and never changes once its part is recorded.
/// </para>
/// <para>
/// A completion seals the assembly when no write into it is in flight: from then on no part claims a region, so the
/// file does not change any more and can be the body of the object while the upload still names it. With a write in
/// flight (or parts that are not 1..N at their offsets) the completion copies the listed regions instead.
/// </para>
/// </remarks>
/// <param name="path">The file, in the upload's folder (on the file system of the bodies, so it can be linked there).</param>
/// <param name="minimumPartSize">The least size of any part but the last (5 MiB).</param>
/// <param name="maxObjectSize">The largest object: no region ends past it.</param>
internal sealed class PartAssembly(string path, long minimumPartSize, long maxObjectSize)
{
    private readonly Lock _lock = new();
    private readonly HashSet<int> _claimed = [];
    private long _partSize;
    private int _writing;
    private bool _sealed;

    /// <summary>The file's path.</summary>
    public string Path { get; } = path;

    /// <summary>
    /// Claims the region of part <paramref name="number"/> for a body of <paramref name="length"/> bytes: true with its
    /// offset (the caller writes it, then calls <see cref="EndWrite"/> whatever happens); false when the part must go to a
    /// file of its own.
    /// </summary>
    public bool TryClaim(int number, long? length, out long offset)
    {
        offset = 0;
        if (length is not { } size || size <= BlobStore.SmallBodyBytes)
        {
            return false;
        }

        lock (_lock)
        {
            long partSize = _partSize == 0 ? size : _partSize;
            if (_sealed || _claimed.Contains(number) || size > partSize || partSize < minimumPartSize
                || (number - 1) * partSize > maxObjectSize - size)
            {
                return false;
            }

            _partSize = partSize;
            _claimed.Add(number);
            _writing++;
            offset = (number - 1) * partSize;
            return true;
        }
    }

    /// <summary>Ends a write that <see cref="TryClaim"/> allowed, whether it succeeded or not.</summary>
    public void EndWrite()
    {
        lock (_lock)
        {
            _writing--;
        }
    }

    /// <summary>
    /// Whether <paramref name="parts"/> (validated, in order) are this file from its start: numbers 1..N, each at its
    /// offset here, all of the part size but the last, which is no longer. If so, and no write is in flight, the assembly
    /// is sealed (no region is claimed any more) and true is returned.
    /// </summary>
    public bool TrySeal(IReadOnlyList<UploadedPart> parts)
    {
        lock (_lock)
        {
            for (int i = 0; i < parts.Count; i++)
            {
                UploadedPart part = parts[i];
                bool sized = i < parts.Count - 1 ? part.Size == _partSize : part.Size <= _partSize;
                if (part.Number != i + 1 || !sized || part.Offset != i * _partSize || !string.Equals(part.Path, Path, StringComparison.Ordinal))
                {
                    return false;
                }
            }

            if (_writing > 0)
            {
                return false;
            }

            _sealed = true;
            return true;
        }
    }
}
