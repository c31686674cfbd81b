using System.Text.Json.Serialization;

namespace Kumo.Testing;

/// <summary>Source-generated JSON for <see cref="KumoStateDump"/> (no reflection, trim-safe).</summary>
[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(KumoStateDump))]
internal sealed partial class StateDumpJsonContext : JsonSerializerContext
{
}
