namespace Kumo.Embedded.S3;

/// <summary>One stored object: its metadata and the content-addressed blob that holds its bytes.</summary>
internal sealed record S3Object
{
    /// <summary>S3's longest key: 1,024 bytes of UTF-8.</summary>
    public const int MaxKeyBytes = 1024;

    public required string Key { get; init; }

    public required long Size { get; init; }

    /// <summary>The quoted ETag: hex MD5 for single uploads, <c>md5-of-md5s-N</c> for multipart.</summary>
    public required string ETag { get; init; }

    /// <summary>The body's content key in hex (<see cref="ContentKey"/>), which is also the blob's file name.</summary>
    public required string BlobId { get; init; }

    public required DateTimeOffset LastModified { get; init; }

    public string ContentType { get; init; } = "binary/octet-stream";

    public string? ContentEncoding { get; init; }

    public string? ContentDisposition { get; init; }

    public string? ContentLanguage { get; init; }

    public string? CacheControl { get; init; }

    public string? Expires { get; init; }

    /// <summary>A checksum the client supplied (e.g. <c>CRC32</c>), echoed on reads in checksum mode.</summary>
    public string? ChecksumAlgorithm { get; init; }

    public string? ChecksumValue { get; init; }

    /// <summary>The user metadata (<c>x-amz-meta-*</c> without the prefix), names compared ignoring case; never changed once stored.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; init; } = NoMetadata;

    /// <summary>
    /// The metadata of every object that has none, shared: most objects have none, and a map of its own per object was
    /// one more heap object per PUT for every collection to move (and 100,000 of them for 100,000 objects).
    /// </summary>
    public static IReadOnlyDictionary<string, string> NoMetadata { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase).AsReadOnly();

    /// <summary>A stored copy of <paramref name="metadata"/>: names compared ignoring case, <see cref="NoMetadata"/> when empty.</summary>
    public static IReadOnlyDictionary<string, string> CopyMetadata(IReadOnlyDictionary<string, string> metadata) =>
        metadata.Count == 0 ? NoMetadata : new Dictionary<string, string>(metadata, StringComparer.OrdinalIgnoreCase);
}
