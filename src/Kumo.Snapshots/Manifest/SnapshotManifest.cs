using System.Text.Json.Serialization;

namespace Kumo.Snapshots;

/// <summary>
/// The description of a published snapshot: what it was built from, by which engine, and the size
/// and SHA-256 of every file of its data directory. Stored as <c>manifest.json</c>, written last.
/// </summary>
/// <remarks>
/// A directory under the store root is a snapshot only if its manifest parses, matches the
/// directory's key, and every listed file exists with the recorded size (and, on restore, hash).
/// Readers trust nothing else in the directory.
/// </remarks>
public sealed record SnapshotManifest
{
    /// <summary>The snapshot format version (<see cref="SnapshotStore.FormatVersion"/> when it was written).</summary>
    [JsonPropertyName("formatVersion")]
    public required int FormatVersion { get; init; }

    /// <summary>The content-addressed key; equals the snapshot directory's name.</summary>
    [JsonPropertyName("key")]
    public required string Key { get; init; }

    /// <summary>A unique id of the build that produced this snapshot.</summary>
    [JsonPropertyName("buildId")]
    public required string BuildId { get; init; }

    /// <summary>The seed plan's content hash.</summary>
    [JsonPropertyName("planHash")]
    public required string PlanHash { get; init; }

    /// <summary>The fixture version.</summary>
    [JsonPropertyName("fixtureVersion")]
    public required string FixtureVersion { get; init; }

    /// <summary>The engine that built the snapshot.</summary>
    [JsonPropertyName("engine")]
    public required SnapshotEngine Engine { get; init; }

    /// <summary>When the build finished (UTC).</summary>
    [JsonPropertyName("createdUtc")]
    public required DateTimeOffset CreatedUtc { get; init; }

    /// <summary>How long the build took, in milliseconds (engine start, seed, verify, stop, hashing).</summary>
    [JsonPropertyName("buildMilliseconds")]
    public required long BuildMilliseconds { get; init; }

    /// <summary>Every file of the data directory, ordered by path.</summary>
    [JsonPropertyName("files")]
    public required IReadOnlyList<SnapshotFile> Files { get; init; }

    /// <summary>The sum of all file sizes.</summary>
    [JsonIgnore]
    public long TotalBytes => Files.Sum(f => f.Size);
}
