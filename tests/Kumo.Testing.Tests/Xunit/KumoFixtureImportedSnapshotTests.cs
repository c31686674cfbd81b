using Amazon.S3.Model;
using Kumo.Snapshots;

namespace Kumo.Testing.Tests.Xunit;

/// <summary>A snapshot that travelled as an archive (as through a CI cache) is used by a fixture on another store without rebuilding.</summary>
public sealed class KumoFixtureImportedSnapshotTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_fixture_on_a_store_holding_an_imported_snapshot_restores_it_without_seeding()
    {
        string builderStore = TestStore.NewDirectory("archive-builder");
        string runnerStore = TestStore.NewDirectory("archive-runner");
        string archives = TestStore.NewDirectory("archives");
        try
        {
            string buildId;
            await using (var builder = new StoreBoundFixture(builderStore))
            {
                await builder.InitializeAsync();
                Assert.True(builder.Snapshot.Built);
                buildId = builder.Snapshot.Manifest.BuildId;
                ExportedSnapshotArchive archive = await SnapshotArchive.ExportAsync(new SnapshotStore(builderStore), builder.Snapshot, archives, Ct);
                Assert.True((await SnapshotArchive.ImportAsync(new SnapshotStore(runnerStore), archive.Path, cancellationToken: Ct)).Published);
            }

            await using var runner = new StoreBoundFixture(runnerStore);
            await runner.InitializeAsync();

            Assert.False(runner.Snapshot.Built, "the imported snapshot is found by key; nothing is rebuilt");
            Assert.Equal(buildId, runner.Snapshot.Manifest.BuildId);
            using GetObjectResponse got = await runner.S3.GetObjectAsync(StoreBoundFixture.Bucket, "a.txt", Ct);
            Assert.Equal("travelled", await new StreamReader(got.ResponseStream).ReadToEndAsync(Ct));
        }
        finally
        {
            TestStore.Delete(builderStore);
            TestStore.Delete(runnerStore);
            TestStore.Delete(archives);
        }
    }

    private sealed class StoreBoundFixture(string store) : KumoFixture(seed => seed.FixtureVersion("archive-1").Bucket(Bucket, b => b.Object("a.txt", "travelled")))
    {
        public const string Bucket = "archived";

        protected override string GetSnapshotDirectory() => store;
    }
}
