using System.Collections.Concurrent;

namespace Kumo.Embedded.S3;

/// <summary>An open multipart upload: its target, the metadata it will commit with, and its parts on disk.</summary>
/// <remarks>Like kumo, open uploads live in memory only; their parts' files are discarded on restart.</remarks>
internal sealed class MultipartUpload
{
    public required string Id { get; init; }

    public required string Bucket { get; init; }

    public required string Key { get; init; }

    public required string Directory { get; init; }

    public required DateTimeOffset Initiated { get; init; }

    public required S3Object Template { get; init; }

    /// <summary>The file its parts are written into at their final offsets when they can be.</summary>
    public required PartAssembly Assembly { get; init; }

    public ConcurrentDictionary<int, UploadedPart> Parts { get; } = new();
}

/// <summary>
/// One uploaded part: its body is <paramref name="Size"/> bytes at <paramref name="Offset"/> of the file <paramref name="Path"/>
/// (the upload's <see cref="PartAssembly"/>, or a file of its own from offset 0); <paramref name="Key"/> is its body's key
/// (MD5 and XXH128), from which a completed upload's key is made.
/// </summary>
internal sealed record UploadedPart(int Number, string ETag, byte[] Md5, BodyKey Key, long Size, string Path, long Offset, DateTimeOffset LastModified);
