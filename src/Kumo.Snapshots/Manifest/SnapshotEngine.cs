using System.Text.Json.Serialization;

namespace Kumo.Snapshots;

/// <summary>The engine that produced a snapshot, as recorded in its manifest.</summary>
public sealed record SnapshotEngine
{
    /// <summary>The engine name, e.g. <c>kumo-embedded</c> or <c>kumo</c>.</summary>
    [JsonPropertyName("name")]
    public required string Name { get; init; }

    /// <summary>The engine version.</summary>
    [JsonPropertyName("version")]
    public required string Version { get; init; }

    /// <summary>The engine kind (<c>Embedded</c> or <c>KumoBinary</c>).</summary>
    [JsonPropertyName("kind")]
    public required string Kind { get; init; }
}
