using System.Text.Json;

namespace Kumo.Embedded.S3;

/// <summary>
/// Writes <c>s3.json</c> as the generated serializer writes an <see cref="S3Document"/>, byte for byte, but writes each
/// bucket's objects from their slots (<see cref="StoredObject.WriteJson"/>) instead of making an <see cref="S3Object"/>
/// of every one. A load reads the document with the generated serializer, as before.
/// </summary>
/// <remarks>
/// A checkpoint writes every object, about twice over a store's growth; in a young data-dir engine its JSON was the
/// largest part of the checkpoint's CPU (<c>bench/results/request-cost.md</c> section 15).
/// </remarks>
internal static class S3CheckpointWriter
{
    /// <summary>How many bytes the writer gathers before it hands them to the stream.</summary>
    private const int FlushBytes = 64 * 1024;

    /// <summary>Writes <paramref name="document"/> to <paramref name="stream"/>, flushing as it goes.</summary>
    public static void Write(Stream stream, S3Document document)
    {
        using var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Encoder = S3JsonContext.Default.Options.Encoder });
        writer.WriteStartObject();
        writer.WriteNumber(Names.Format, document.Format);
        writer.WriteNumber(Names.Journal, document.Journal);
        writer.WriteStartArray(Names.Buckets);
        foreach (BucketDocument bucket in document.Buckets)
        {
            writer.WriteStartObject();
            writer.WriteString(Names.Name, bucket.Name);
            writer.WriteString(Names.Created, bucket.Created);
            if (bucket.Region is not null)
            {
                writer.WriteString(Names.Region, bucket.Region);
            }

            writer.WriteStartArray(Names.Objects);
            if (bucket.Objects is ObjectSnapshot snapshot)
            {
                snapshot.WriteJson(writer, FlushBytes);
            }
            else
            {
                foreach (S3Object value in bucket.Objects)
                {
                    JsonSerializer.Serialize(writer, value, S3JsonContext.Default.S3Object);
                }
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
        writer.Flush();
    }

    /// <summary>The property names the generated serializer writes for the S3 document and its objects (camel case).</summary>
    internal static class Names
    {
        public static readonly JsonEncodedText Format = JsonEncodedText.Encode("format");
        public static readonly JsonEncodedText Journal = JsonEncodedText.Encode("journal");
        public static readonly JsonEncodedText Buckets = JsonEncodedText.Encode("buckets");
        public static readonly JsonEncodedText Name = JsonEncodedText.Encode("name");
        public static readonly JsonEncodedText Created = JsonEncodedText.Encode("created");
        public static readonly JsonEncodedText Region = JsonEncodedText.Encode("region");
        public static readonly JsonEncodedText Objects = JsonEncodedText.Encode("objects");
        public static readonly JsonEncodedText Key = JsonEncodedText.Encode("key");
        public static readonly JsonEncodedText Size = JsonEncodedText.Encode("size");
        public static readonly JsonEncodedText ETag = JsonEncodedText.Encode("eTag");
        public static readonly JsonEncodedText BlobId = JsonEncodedText.Encode("blobId");
        public static readonly JsonEncodedText LastModified = JsonEncodedText.Encode("lastModified");
        public static readonly JsonEncodedText ContentType = JsonEncodedText.Encode("contentType");
        public static readonly JsonEncodedText Metadata = JsonEncodedText.Encode("metadata");
    }
}
