using Aspire.Hosting;
using Kumo.Aspire.Hosting.Tests.Utils;
using Kumo.Snapshots;
using Kumo.Testing;

namespace Kumo.Aspire.Hosting.Tests;

/// <summary>
/// WithSnapshot on a store that holds a snapshot imported from an archive (as a CI cache delivers it): the before-start
/// event finds it by key and restores it; nothing is built or seeded.
/// </summary>
public class KumoSnapshotImportTests
{
    private static readonly string EmbeddedDll = typeof(global::Kumo.Embedded.KumoEngine).Assembly.Location;

    [Fact]
    public async Task ASnapshotImportedIntoTheStoreIsRestoredWithoutBuilding()
    {
        var ct = TestContext.Current.CancellationToken;
        using var directory = new TestDirectory();
        var manifest = SeedFixtures.WriteOrders(directory);
        var run = new KumoRunContext("import", "w1");

        // The runner that built the snapshot exports it.
        string key;
        {
            var builder = DistributedApplication.CreateBuilder();
            var kumo = builder.AddKumoEmbedded("kumo", EmbeddedDll).WithSeed(manifest).WithRunContext(run).WithSnapshot(directory.Combine("builder-store")).AllocateHttp(52370);
            using var app = builder.Build();
            await SimulatedDcp.BeforeStartAsync(builder, app, kumo.Resource);
            key = ResourceProperties.Of(app, "kumo.snapshot")!;
        }

        var builderStore = new SnapshotStore(directory.Combine("builder-store"));
        var exported = await SnapshotArchive.ExportAsync(builderStore, builderStore.List().Single(s => s.Key == key), directory.Combine("archives"), ct);
        var imported = await SnapshotArchive.ImportAsync(new SnapshotStore(directory.Combine("runner-store")), exported.Path, cancellationToken: ct);
        Assert.True(imported.Published);

        // Another runner's AppHost on the store the archive was imported into.
        {
            var builder = DistributedApplication.CreateBuilder();
            var kumo = builder.AddKumoEmbedded("kumo", EmbeddedDll).WithSeed(manifest).WithRunContext(run).WithSnapshot(directory.Combine("runner-store")).AllocateHttp(52371);
            using var app = builder.Build();
            await SimulatedDcp.BeforeStartAsync(builder, app, kumo.Resource);

            Assert.Equal(key, ResourceProperties.Of(app, "kumo.snapshot"));
            var log = await KumoCommandTests.LogAsync(app, kumo.Resource);
            Assert.Contains(log, l => l.Contains($"kumo: reused snapshot {key}", StringComparison.Ordinal));
            Assert.DoesNotContain(log, l => l.Contains("kumo: built snapshot", StringComparison.Ordinal));
            var dataDir = (await ExecutionConfiguration.GetEnvironmentAsync(kumo.Resource, app.Services))["KUMO_DATA_DIR"];
            Assert.True(File.Exists(Path.Combine(dataDir, "s3.json")), $"restored data in {dataDir}");
        }
    }
}
