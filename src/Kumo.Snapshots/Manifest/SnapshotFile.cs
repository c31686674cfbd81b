using System.Text.Json.Serialization;

namespace Kumo.Snapshots;

/// <summary>One file of a snapshot's data directory, as recorded in its manifest.</summary>
public sealed record SnapshotFile
{
    /// <summary>The path relative to the data directory, with <c>/</c> separators (e.g. <c>s3-objects/ab12…</c>).</summary>
    [JsonPropertyName("path")]
    public required string Path { get; init; }

    /// <summary>The size in bytes.</summary>
    [JsonPropertyName("size")]
    public required long Size { get; init; }

    /// <summary>The SHA-256 of the content, lowercase hex.</summary>
    [JsonPropertyName("sha256")]
    public required string Sha256 { get; init; }
}
