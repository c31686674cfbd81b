using System.Text.Json.Serialization;

namespace Kumo.Embedded.S3;

/// <summary>The persisted shape of the S3 state, <c>s3.json</c>.</summary>
internal sealed class S3Document
{
    public int Format { get; set; } = EngineIdentity.PersistenceFormat;

    /// <summary>The first journal segment to replay on top of this checkpoint.</summary>
    public long Journal { get; set; } = 1;

    public List<BucketDocument> Buckets { get; set; } = [];
}

/// <summary>A persisted bucket.</summary>
internal sealed class BucketDocument
{
    public required string Name { get; set; }

    public DateTimeOffset Created { get; set; }

    public string Region { get; set; } = EngineContext.Region;

    /// <summary>The objects in key order; a checkpoint writes an <see cref="ObjectSnapshot"/>, a load reads a list.</summary>
    public IReadOnlyList<S3Object> Objects { get; set; } = [];
}

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, RespectNullableAnnotations = true)]
[JsonSerializable(typeof(S3Document))]
[JsonSerializable(typeof(S3JournalRecord))]
internal sealed partial class S3JsonContext : JsonSerializerContext;
