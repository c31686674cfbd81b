using Kumo.Embedded.S3;

namespace Kumo.Embedded.Tests.S3;

/// <summary>
/// A bucket's object storage (slots, a key index, reuse of removed slots, growth, trimming and the lazy key order)
/// against a dictionary and a sorted set doing the same operations: every lookup, listing and object must agree.
/// </summary>
public sealed class S3BucketStorageTests
{
        [Fact]
    public void Puts_removes_listings_and_trims_agree_with_a_dictionary()
    {
        var bucket = new S3Bucket("b", TestObjects.Time, "us-east-1");
        var expected = new Dictionary<string, S3Object>(StringComparer.Ordinal);
        var random = new Random(11);
        for (int step = 0; step < 8_000; step++)
        {
            // Grow to a few thousand, drain to a handful (then trim), grow again; list now and then in between.
            bool draining = step is >= 3_000 and < 5_500;
            string key = TestObjects.Key(random.Next(draining ? 4_000 : 6_000));
            int action = random.Next(10);
            if (draining ? action < 9 : action < 3)
            {
                expected.Remove(key, out S3Object? removed);
                Assert.Equal(removed, bucket.Remove(key));
            }
            else
            {
                S3Object value = TestObjects.Variant(key, step);
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
        S3Object plain = TestObjects.Variant("k", 0);
        Assert.NotNull(StoredObject.From(plain).Packed);
        Assert.Equal(plain, StoredObject.From(plain).View());
        for (int variant = 1; variant < 8; variant++)
        {
            StoredObject stored = StoredObject.From(TestObjects.Variant("k", variant));
            Assert.Null(stored.Packed);
            Assert.Same(stored.Rich, stored.View());
        }
    }

    [Fact]
    public void A_key_listed_then_removed_and_put_again_is_listed_once()
    {
        var bucket = new S3Bucket("b", TestObjects.Time, "us-east-1");
        bucket.Put(TestObjects.Variant("a", 0));
        bucket.Put(TestObjects.Variant("b", 0));
        Assert.Equal(["a", "b"], bucket.KeysAfter(null));
        bucket.Remove("a");
        bucket.Put(TestObjects.Variant("c", 0)); // takes the removed key's slot
        bucket.Put(TestObjects.Variant("a", 0));
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
}
