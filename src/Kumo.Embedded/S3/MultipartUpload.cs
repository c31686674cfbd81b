using System.Collections.Concurrent;

namespace Kumo.Embedded.S3;

/// <summary>An open multipart upload: its target, the metadata it will commit with, and its parts on disk.</summary>
/// <remarks>Like kumo, open uploads live in memory only; their part files are discarded on restart.</remarks>
internal sealed class MultipartUpload
{
    public required string Id { get; init; }

    public required string Bucket { get; init; }

    public required string Key { get; init; }

    public required string Directory { get; init; }

    public required DateTimeOffset Initiated { get; init; }

    public required S3Object Template { get; init; }

    public ConcurrentDictionary<int, UploadedPart> Parts { get; } = new();
}

/// <summary>One uploaded part; <paramref name="Key"/> is its body's key (MD5 and XXH128), which names a completed upload copied in the kernel.</summary>
internal sealed record UploadedPart(int Number, string ETag, byte[] Md5, BodyKey Key, long Size, string Path, DateTimeOffset LastModified);
