using System.Text.Json.Serialization;

namespace Kumo.Snapshots;

/// <summary>Source-generated (reflection-free) JSON for manifests.</summary>
[JsonSourceGenerationOptions(
    WriteIndented = true,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    RespectNullableAnnotations = true,
    RespectRequiredConstructorParameters = true)]
[JsonSerializable(typeof(SnapshotManifest))]
internal sealed partial class SnapshotJsonContext : JsonSerializerContext
{
}
