using System.Text.Json;
using Kumo.Embedded.S3;

namespace Kumo.Embedded.Tests.S3;

/// <summary>
/// <c>s3.json</c> written from the slots is the document the generated serializer writes, byte for byte, and it loads
/// back to the same objects.
/// </summary>
public sealed class S3CheckpointWriterTests
{
    [Fact]
    public void The_checkpoint_written_from_slots_is_the_generated_serializers_byte_for_byte()
    {
        // Every key kind and every kind of object (plain and each reason to stay rich); enough of them that the writer
        // hands its bytes to the stream many times; an empty bucket; characters the JSON encoder escapes.
        var large = new S3Bucket("large", TestObjects.Time, "us-east-1");
        var expected = new Dictionary<string, S3Object>(StringComparer.Ordinal);
        for (int n = 0; n < 6_000; n++)
        {
            S3Object value = TestObjects.Variant(TestObjects.Key(n), n);
            large.Put(value);
            expected[value.Key] = value;
        }

        var escaped = new S3Bucket("escaped", TestObjects.Time.AddDays(1), "eu-west-1");
        foreach (string key in new[] { "quote\"<tag>&amp;+'", "tab\tnew\nline", "back\\slash", "control\u0001" })
        {
            escaped.Put(TestObjects.Variant(key, 16) with { ContentType = "text/plain; charset=\"utf-8\"" });
        }

        S3Document document = Snapshot(large, escaped, new S3Bucket("empty", TestObjects.Time, "ap-south-1"));

        byte[] generated = JsonSerializer.SerializeToUtf8Bytes(document, S3JsonContext.Default.S3Document);
        using var written = new MemoryStream();
        S3CheckpointWriter.Write(written, document);

        Assert.Equal(System.Text.Encoding.UTF8.GetString(generated), System.Text.Encoding.UTF8.GetString(written.ToArray()));
        Assert.Equal(generated, written.ToArray());

        S3Document loaded = JsonSerializer.Deserialize(written.ToArray(), S3JsonContext.Default.S3Document)!;
        BucketDocument bucket = Assert.Single(loaded.Buckets, b => b.Name == "large");
        Assert.Equal(expected.Count, bucket.Objects.Count);
        foreach (S3Object value in bucket.Objects)
        {
            if (value.Key.Contains('\uFFFD'))
            {
                continue; // an unpaired surrogate cannot be written as JSON (either writer writes U+FFFD); no request can name one
            }

            Assert.Equal(expected[value.Key] with { Metadata = value.Metadata }, value);
            Assert.Equal(expected[value.Key].Metadata, value.Metadata);
        }
    }

    [Fact]
    public void A_bucket_given_as_a_list_is_written_like_one_given_as_slots()
    {
        S3Object[] objects = [.. Enumerable.Range(0, 40).Select(n => TestObjects.Variant($"k{n:D2}", n))];
        var document = new S3Document
        {
            Journal = 7,
            Buckets = [new BucketDocument { Name = "b", Created = TestObjects.Time, Region = "us-east-1", Objects = objects }],
        };

        using var written = new MemoryStream();
        S3CheckpointWriter.Write(written, document);

        Assert.Equal(JsonSerializer.SerializeToUtf8Bytes(document, S3JsonContext.Default.S3Document), written.ToArray());
    }

    /// <summary>The document a checkpoint takes: buckets by name, each bucket's slots by key.</summary>
    private static S3Document Snapshot(params S3Bucket[] buckets)
    {
        var document = new S3Document
        {
            Journal = 3,
            Buckets = [.. buckets.Select(b => new BucketDocument { Name = b.Name, Created = b.Created, Region = b.Region, Objects = b.Snapshot() })],
        };
        document.Buckets.Sort(static (a, b) => string.CompareOrdinal(a.Name, b.Name));
        foreach (BucketDocument bucket in document.Buckets)
        {
            ((ObjectSnapshot)bucket.Objects).SortByKey();
        }

        return document;
    }
}
