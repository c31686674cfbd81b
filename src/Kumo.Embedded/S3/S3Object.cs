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

    /// <summary>The SHA-256 (hex) of the body, which is also the blob's file name.</summary>
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

    public Dictionary<string, string> Metadata { get; init; } = new(StringComparer.OrdinalIgnoreCase);
}
