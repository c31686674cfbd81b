using Kumo.Embedded.S3;

namespace Kumo.Embedded.Tests.S3;

/// <summary>
/// A bucket's object storage (slots, a key index, reuse of removed slots, growth, trimming and the lazy key order)
/// against a dictionary and a sorted set doing the same operations: every lookup, listing and object must agree.
/// </summary>
public sealed class S3BucketStorageTests
{
    private static readonly DateTimeOffset Time = new(2026, 12, 6, 16, 30, 0, TimeSpan.Zero);

    [Fact]
    public void Puts_removes_listings_and_trims_agree_with_a_dictionary()
    {
        var bucket = new S3Bucket("b", Time, "us-east-1");
        var expected = new Dictionary<string, S3Object>(StringComparer.Ordinal);
        var random = new Random(11);
        for (int step = 0; step < 8_000; step++)
        {
            // Grow to a few thousand, drain to a handful (then trim), grow again; list now and then in between.
            bool draining = step is >= 3_000 and < 5_500;
            string key = Key(random.Next(draining ? 4_000 : 6_000));
            int action = random.Next(10);
            if (draining ? action < 9 : action < 3)
            {
                expected.Remove(key, out S3Object? removed);
                Assert.Equal(removed, bucket.Remove(key));
            }
            else
            {
                S3Object value = Variant(key, step);
                expected.Remove(key, out S3Object? previous);
                expected[key] = value;
                Assert.Equal(previous, bucket.Put(value));
            }

            if (step % 700 == 0)
            {
                AssertSame(expected, bucket);
            }

            if (step == 5_500)
            {
                bucket.TrimExcess();
                AssertSame(expected, bucket);
            }
        }

        AssertSame(expected, bucket);
        Assert.False(bucket.TryGet("missing", out _));
        Assert.Null(bucket.Remove("missing"));
    }

    [Fact]
    public void Only_an_object_that_comes_back_the_same_is_packed()
    {
        S3Object plain = Variant("k", 0);
        Assert.NotNull(StoredObject.From(plain).Packed);
        Assert.Equal(plain, StoredObject.From(plain).View());
        for (int variant = 1; variant < 8; variant++)
        {
            StoredObject stored = StoredObject.From(Variant("k", variant));
            Assert.Null(stored.Packed);
            Assert.Same(stored.Rich, stored.View());
        }
    }

    [Fact]
    public void A_key_listed_then_removed_and_put_again_is_listed_once()
    {
        var bucket = new S3Bucket("b", Time, "us-east-1");
        bucket.Put(Variant("a", 0));
        bucket.Put(Variant("b", 0));
        Assert.Equal(["a", "b"], bucket.KeysAfter(null));
        bucket.Remove("a");
        bucket.Put(Variant("c", 0)); // takes the removed key's slot
        bucket.Put(Variant("a", 0));
        Assert.Equal(["a", "b", "c"], bucket.KeysAfter(null));
        Assert.Equal(["b", "c"], bucket.KeysAfter("a"));
    }

    private static void AssertSame(Dictionary<string, S3Object> expected, S3Bucket bucket)
    {
        Assert.Equal(expected.Count, bucket.Count);
        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), bucket.KeysAfter(null));
        Assert.Equal(expected.Values.OrderBy(o => o.Key, StringComparer.Ordinal), bucket.Objects);
        Assert.Equal(expected.Values.OrderBy(o => o.Key, StringComparer.Ordinal), bucket.Snapshot().OrderBy(o => o.Key, StringComparer.Ordinal));
        foreach ((string key, S3Object value) in expected)
        {
            Assert.True(bucket.TryGet(key, out S3Object found), key);
            Assert.Equal(value, found);
            Assert.Equal(value.LastModified.Offset, found.LastModified.Offset);
        }
    }

    /// <summary>Keys of every kind: ASCII, non-ASCII, a surrogate pair, an unpaired surrogate, the empty string.</summary>
    private static string Key(int n) => (n % 5) switch
    {
        0 => $"k/{n}",
        1 => $"dossier/é-{n}",
        2 => $"emoji-\U0001F600-{n}",
        3 => $"lone-\uD800-{n}",
        _ => n == 4 ? string.Empty : $"x{n}",
    };

    /// <summary>A plain object for 0 (mod 8); each other remainder sets one thing that keeps an object rich.</summary>
    private static S3Object Variant(string key, int n)
    {
        string id = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(BitConverter.GetBytes(n)));
        var plain = new S3Object
        {
            Key = key,
            Size = n * 3L,
            ETag = $"\"{id[..32]}\"",
            BlobId = id,
            LastModified = Time.AddSeconds(n),
            ContentType = n % 2 == 0 ? "application/octet-stream" : "text/plain",
        };
        return (n % 8) switch
        {
            0 => plain,
            1 => plain with { ETag = $"\"{id[..32]}-2\"" }, // multipart
            2 => plain with { ETag = $"\"{id[32..]}\"" }, // an id of an earlier version (SHA-256)
            3 => plain with { Metadata = new Dictionary<string, string> { ["a"] = "b" }.AsReadOnly() },
            4 => plain with { LastModified = Time.ToOffset(TimeSpan.FromHours(2)) },
            5 => plain with { BlobId = id.ToUpperInvariant(), ETag = $"\"{id[..32].ToUpperInvariant()}\"" },
            6 => plain with { ChecksumAlgorithm = "CRC32", ChecksumValue = "AAAAAA==" },
            _ => plain with { CacheControl = "no-cache" },
        };
    }
}
