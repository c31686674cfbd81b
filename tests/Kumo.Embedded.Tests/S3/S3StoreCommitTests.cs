using Kumo.Embedded.S3;
using Microsoft.Extensions.Logging.Abstractions;

namespace Kumo.Embedded.Tests.S3;

/// <summary>What <see cref="S3Store.Commit(string, S3Object, StagedBlob, Action{S3Object?}?)"/> pins and publishes: the staged body's own key.</summary>
public sealed class S3StoreCommitTests
{
    [Fact]
    public async Task An_object_is_committed_with_the_body_staged_for_it_and_refused_with_another()
    {
        string root = TestEngine.NewDataDir();
        try
        {
            using var store = new S3Store(root, durable: false, syncEachBlob: false, TimeProvider.System, NullLogger.Instance);
            store.CreateBucket("b", "us-east-1");
            CancellationToken ct = TestContext.Current.CancellationToken;
            byte[] body = "the staged body"u8.ToArray();

            StagedBlob staged = await store.Blobs.StageAsync(new MemoryStream(body), 1 << 20, body.Length, ct);
            Assert.Equal(BodyKey.Parse(staged.BlobId), staged.Key);
            store.Commit("b", TestObjects.Variant("k", 0) with { BlobId = staged.BlobId, Size = body.Length }, staged, check: null);
            (S3Object value, StoredBody content) = store.Open("b", "k");
            using (content)
            {
                Assert.Equal(staged.BlobId, value.BlobId);
                Assert.Equal(body.Length, content.Length);
            }

            StagedBlob other = await store.Blobs.StageAsync(new MemoryStream("another body"u8.ToArray()), 1 << 20, 12, ct);
            S3Object mismatched = TestObjects.Variant("k2", 0) with { BlobId = staged.BlobId };
            ArgumentException refused = Assert.Throws<ArgumentException>(() => store.Commit("b", mismatched, other, check: null));
            Assert.Contains(other.BlobId, refused.Message, StringComparison.Ordinal);
            Assert.Null(other.Buffer); // discarded: its pooled buffer went back
            Assert.Null(store.Find("b", "k2"));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
