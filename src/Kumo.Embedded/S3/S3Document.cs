using System.Text.Json.Serialization;

namespace Kumo.Embedded.S3;

/// <summary>The persisted shape of the S3 state, <c>s3.json</c>.</summary>
internal sealed class S3Document
{
    public int Format { get; set; } = EngineIdentity.PersistenceFormat;

    public List<BucketDocument> Buckets { get; set; } = [];
}

/// <summary>A persisted bucket.</summary>
internal sealed class BucketDocument
{
    public required string Name { get; set; }

    public DateTimeOffset Created { get; set; }

    public string Region { get; set; } = EngineContext.Region;

    public List<S3Object> Objects { get; set; } = [];
}

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(S3Document))]
internal sealed partial class S3JsonContext : JsonSerializerContext;
