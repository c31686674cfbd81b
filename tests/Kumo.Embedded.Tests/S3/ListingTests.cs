using Amazon.S3.Model;

namespace Kumo.Embedded.Tests.S3;

public sealed class ListingTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly string[] Keys =
    [
        "a.txt", "b.txt",
        "logs/2024/01.log", "logs/2024/02.log", "logs/2025/01.log", "logs/readme",
        "photos/cat.jpg", "photos/dog.jpg", "photos/2024/x.jpg",
        "z",
    ];

    private static async Task<TestEngine> SeededAsync()
    {
        TestEngine engine = await TestEngine.StartAsync(persistent: false);
        await engine.S3.PutBucketAsync("list", Ct);
        foreach (string key in Keys)
        {
            await engine.S3.PutObjectAsync(new PutObjectRequest { BucketName = "list", Key = key, ContentBody = key, UseChunkEncoding = false }, Ct);
        }

        return engine;
    }

    [Fact]
    public async Task Prefix_and_delimiter_fold_keys_into_common_prefixes()
    {
        await using TestEngine engine = await SeededAsync();

        ListObjectsV2Response root = await engine.S3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = "list", Delimiter = "/" }, Ct);
        ListObjectsV2Response logs = await engine.S3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = "list", Prefix = "logs/", Delimiter = "/" }, Ct);

        Assert.Equal(["a.txt", "b.txt", "z"], root.S3Objects.Select(o => o.Key));
        Assert.Equal(["logs/", "photos/"], root.CommonPrefixes);
        Assert.Equal(["logs/readme"], logs.S3Objects.Select(o => o.Key));
        Assert.Equal(["logs/2024/", "logs/2025/"], logs.CommonPrefixes);
        Assert.Equal(5, root.KeyCount);
    }

    [Theory]
    [InlineData(1, null)]
    [InlineData(3, null)]
    [InlineData(4, "/")]
    [InlineData(1, "/")]
    public async Task Pagination_with_continuation_tokens_visits_every_entry_once(int pageSize, string? delimiter)
    {
        await using TestEngine engine = await SeededAsync();
        ListObjectsV2Response all = await engine.S3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = "list", Delimiter = delimiter }, Ct);
        var expected = all.S3Objects.Select(o => o.Key).Concat(all.CommonPrefixes ?? []).Order(StringComparer.Ordinal).ToList();

        var seen = new List<string>();
        string? token = null;
        int pages = 0;
        do
        {
            ListObjectsV2Response page = await engine.S3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = "list", MaxKeys = pageSize, ContinuationToken = token, Delimiter = delimiter }, Ct);
            Assert.True(page.KeyCount <= pageSize);
            seen.AddRange(page.S3Objects?.Select(o => o.Key) ?? []);
            seen.AddRange(page.CommonPrefixes ?? []);
            token = page.IsTruncated == true ? page.NextContinuationToken : null;
            pages++;
            Assert.True(pages < 50, "pagination did not terminate");
        }
        while (token is not null);

        Assert.Equal(expected, seen.Order(StringComparer.Ordinal));
        Assert.Equal(expected.Count, seen.Count);
    }

    [Fact]
    public async Task Start_after_and_max_keys_zero()
    {
        await using TestEngine engine = await SeededAsync();

        ListObjectsV2Response after = await engine.S3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = "list", StartAfter = "photos/dog.jpg" }, Ct);
        ListObjectsV2Response none = await engine.S3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = "list", MaxKeys = 0 }, Ct);

        Assert.Equal(["z"], after.S3Objects.Select(o => o.Key));
        Assert.Empty(none.S3Objects ?? []);
        Assert.True(none.IsTruncated);
    }

    [Fact]
    public async Task List_objects_v1_pages_with_markers()
    {
        await using TestEngine engine = await SeededAsync();
        var seen = new List<string>();
        string? marker = null;
        while (true)
        {
            ListObjectsResponse page = await engine.S3.ListObjectsAsync(new ListObjectsRequest { BucketName = "list", MaxKeys = 3, Marker = marker }, Ct);
            seen.AddRange(page.S3Objects.Select(o => o.Key));
            if (page.IsTruncated != true)
            {
                break;
            }

            marker = page.NextMarker ?? page.S3Objects[^1].Key;
        }

        Assert.Equal(Keys.Order(StringComparer.Ordinal), seen);
    }

    [Fact]
    public async Task Listing_reports_sizes_and_etags()
    {
        await using TestEngine engine = await SeededAsync();

        ListObjectsV2Response list = await engine.S3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = "list", Prefix = "photos/" }, Ct);

        Assert.All(list.S3Objects, o =>
        {
            Assert.Equal(o.Key.Length, o.Size);
            Assert.Matches("^\"[0-9a-f]{32}\"$", o.ETag);
        });
    }

    /// <summary>
    /// The key order is merged lazily (keys written since the last listing wait unordered): listings between runs of
    /// new keys, overwrites and deletes (of keys listed before and of keys never listed) give exactly the keys stored.
    /// </summary>
    [Fact]
    public async Task Listings_between_writes_and_deletes_give_the_stored_keys_in_order()
    {
        await using TestEngine engine = await TestEngine.StartAsync(persistent: false);
        await engine.S3.PutBucketAsync("mixed", Ct);
        var model = new SortedSet<string>(StringComparer.Ordinal);
        var random = new Random(20261205);
        for (int step = 0; step < 240; step++)
        {
            string key = $"k{random.Next(60):D2}/{random.Next(3)}";
            int action = random.Next(10);
            if (action < 6)
            {
                await engine.S3.PutObjectAsync(new PutObjectRequest { BucketName = "mixed", Key = key, ContentBody = key, UseChunkEncoding = false }, Ct);
                model.Add(key);
            }
            else if (action < 9)
            {
                await engine.S3.DeleteObjectAsync("mixed", key, Ct);
                model.Remove(key);
            }
            else
            {
                ListObjectsV2Response listed = await engine.S3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = "mixed" }, Ct);
                Assert.Equal(model, listed.S3Objects.Select(o => o.Key));
            }
        }

        ListObjectsV2Response last = await engine.S3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = "mixed", StartAfter = "k30" }, Ct);
        Assert.Equal(model.Where(k => string.CompareOrdinal(k, "k30") > 0), last.S3Objects.Select(o => o.Key));
    }
}
