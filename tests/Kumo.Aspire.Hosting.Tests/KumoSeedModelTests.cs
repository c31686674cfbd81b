using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Kumo.Aspire.Hosting.Seeding;
using Kumo.Aspire.Hosting.Snapshots;
using Kumo.Aspire.Hosting.Testing;
using Kumo.Aspire.Hosting.Tests.Utils;
using Kumo.Seeding;
using Kumo.Testing;

namespace Kumo.Aspire.Hosting.Tests;

/// <summary>WithSeed, WithRunContext and WithSnapshot in the application model: annotations, early validation, run contexts.</summary>
public class KumoSeedModelTests
{
    [Fact]
    public void WithSeedLoadsTheManifestRelativeToTheAppHostWhenTheModelIsBuilt()
    {
        using var directory = new TestDirectory();
        var manifest = SeedFixtures.WriteOrders(directory);
        var builder = DistributedApplication.CreateBuilder();

        var kumo = builder.AddKumo("kumo").WithSeed(Path.GetRelativePath(builder.AppHostDirectory, manifest));

        var seed = Assert.Single(kumo.Resource.Annotations.OfType<KumoSeedAnnotation>());
        Assert.Equal(manifest, seed.ManifestPath);
        Assert.Equal($"seed manifest '{manifest}'", seed.Description);
        Assert.Equal("orders-{run}-{worker}", Assert.Single(seed.Plan.Buckets).Name);
        Assert.Equal(["orders-dlq-{worker}", "orders-{worker}"], seed.Plan.Queues.Select(q => q.Name));
    }

    [Fact]
    public void AnInvalidManifestStopsTheAppHostAtModelBuildWithFileLinePointerAndFix()
    {
        using var directory = new TestDirectory();
        var manifest = directory.Write("kumo-seed.json", """
            {
              "version": 1,
              "fixtureVersion": "v1",
              "queues": [
                { "name": "orders-dlq" },
                { "name": "orders", "redrive": { "deadLetterQueue": "orders-dlq", "maxReceiveCount": 0 } }
              ]
            }
            """);
        var builder = DistributedApplication.CreateBuilder();
        var kumo = builder.AddKumo("kumo");

        var ex = Assert.Throws<SeedManifestException>(() => kumo.WithSeed(manifest));

        Assert.Equal(manifest, ex.FilePath);
        Assert.Equal("/queues/1/redrive/maxReceiveCount", ex.JsonPointer);
        Assert.Equal(6, ex.Line);
        Assert.Contains("maxReceiveCount", ex.Fix, StringComparison.Ordinal);
        Assert.Contains(manifest, ex.Message, StringComparison.Ordinal);
        Assert.Empty(kumo.Resource.Annotations.OfType<KumoSeedAnnotation>());
    }

    [Fact]
    public void AMissingManifestNamesTheResolvedPath()
    {
        var builder = DistributedApplication.CreateBuilder();
        var kumo = builder.AddKumoEmbedded("kumo", enginePath: typeof(global::Kumo.Embedded.KumoEngine).Assembly.Location);

        var ex = Assert.Throws<SeedManifestException>(() => kumo.WithSeed("seed/missing.json"));

        Assert.Equal(Path.GetFullPath("seed/missing.json", builder.AppHostDirectory), ex.FilePath);
        Assert.Contains("does not exist", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void PublishModeNeitherLoadsNorChecksTheManifest()
    {
        var builder = DistributedApplication.CreateBuilder(["AppHost:Operation=publish"]);
        var kumo = builder.AddKumo("kumo").WithSeed("seed/missing.json").WithSeed(_ => throw new InvalidOperationException("must not run"));

        Assert.Equal(2, kumo.Resource.Annotations.OfType<KumoSeedAnnotation>().Count());
    }

    [Fact]
    public void AFluentPlanIsBuiltAndCheckedWhenTheModelIsBuilt()
    {
        var builder = DistributedApplication.CreateBuilder();
        var kumo = builder.AddKumo("kumo").WithSeed(plan => plan.FixtureVersion("v1").Bucket("uploads-{worker}", b => b.Object("a.txt", "a")));

        var seed = Assert.Single(kumo.Resource.Annotations.OfType<KumoSeedAnnotation>());
        Assert.Null(seed.ManifestPath);
        Assert.Equal(builder.AppHostDirectory, seed.Plan.BaseDirectory);

        var ex = Assert.Throws<SeedManifestException>(() => kumo.WithSeed(plan => plan.FixtureVersion("v1").Bucket("Not_A_Bucket")));
        Assert.Equal("/buckets/0/name", ex.JsonPointer);
        Assert.Null(ex.FilePath);
    }

    [Fact]
    public void WithSeedAcceptsAReadyPlanAndKeepsItsManifestPath()
    {
        using var directory = new TestDirectory();
        var plan = SeedManifest.Load(SeedFixtures.WriteOrders(directory));
        var builder = DistributedApplication.CreateBuilder();

        var kumo = builder.AddKumo("kumo").WithSeed(plan).WithSeed(new SeedPlanBuilder(directory.Path).FixtureVersion("v2").Queue("extra").Build());

        var seeds = kumo.Resource.Annotations.OfType<KumoSeedAnnotation>().ToArray();
        Assert.Same(plan, seeds[0].Plan);
        Assert.Equal(plan.SourcePath, seeds[0].ManifestPath);
        Assert.Null(seeds[1].ManifestPath);
        Assert.Equal("seed plan", seeds[1].Description);
    }

    [Fact]
    public void TheRunContextIsTheResourcesOwnThenTheApplicationsThenTheProcesss()
    {
        var builder = DistributedApplication.CreateBuilder();
        builder.AddKumo("plain");
        builder.AddKumo("own").WithRunContext("CI 42", "Shard_3");
        using (var app = builder.Build())
        {
            Assert.Same(KumoRunContext.Current, app.GetKumoRunContext("plain"));
            var own = app.GetKumoRunContext("own");
            // Normalized as KumoRunContext does, so the ids are valid in bucket and queue names.
            Assert.Equal(("ci-42", "shard-3"), (own.RunId, own.WorkerId));
        }

        var testing = DistributedApplication.CreateBuilder();
        testing.AddKumo("plain");
        testing.WithKumoRunContext(new KumoRunContext("run-7", "app-a"));
        testing.AddKumo("later").WithRunContext(new KumoRunContext("run-7", "mine"));
        using var testingApp = testing.Build();

        Assert.Equal("app-a", testingApp.GetKumoRunContext("plain").WorkerId);
        Assert.Equal("mine", testingApp.GetKumoRunContext("later").WorkerId);
    }

    [Fact]
    public void WithKumoWorkerKeepsTheRunAndGivesTheApplicationItsOwnWorker()
    {
        var builder = DistributedApplication.CreateBuilder();
        builder.AddKumo("kumo");
        builder.WithKumoWorker("Checkout Tests");
        using var app = builder.Build();

        var context = app.GetKumoRunContext("kumo");
        Assert.Equal(KumoRunContext.Current.RunId, context.RunId);
        Assert.StartsWith(KumoRunContext.Current.WorkerId + "-", context.WorkerId, StringComparison.Ordinal);
        Assert.True(SeedContext.IsValidId(context.WorkerId), context.WorkerId);
    }

    [Fact]
    public void WithSnapshotDefaultsToTheRepositorysKumoSnapshotsOrKumoSnapshotDir()
    {
        var builder = DistributedApplication.CreateBuilder();
        var byDefault = builder.AddKumo("a").WithSnapshot();
        var relative = builder.AddKumo("b").WithSnapshot("../snapshots");
        builder.Configuration["KUMO_SNAPSHOT_DIR"] = "/var/cache/kumo";
        var configured = builder.AddKumo("c").WithSnapshot();

        // The one default of KumoSnapshotDirectory (shared with KumoFixture and kumoctl): .kumo/snapshots at the root of the
        // repository that holds the AppHost (this test's output folder is inside this repository).
        var repository = new DirectoryInfo(builder.AppHostDirectory);
        while (!Directory.Exists(Path.Combine(repository.FullName, ".git")) && !File.Exists(Path.Combine(repository.FullName, ".git")))
        {
            repository = repository.Parent ?? throw new InvalidOperationException($"'{builder.AppHostDirectory}' is not inside a git repository.");
        }

        Assert.Equal(Path.Combine(repository.FullName, ".kumo", "snapshots"), Assert.Single(byDefault.Resource.Annotations.OfType<KumoSnapshotAnnotation>()).StoreDirectory);
        Assert.Equal(Path.GetFullPath("../snapshots", builder.AppHostDirectory), Assert.Single(relative.Resource.Annotations.OfType<KumoSnapshotAnnotation>()).StoreDirectory);
        Assert.Equal("/var/cache/kumo", Assert.Single(configured.Resource.Annotations.OfType<KumoSnapshotAnnotation>()).StoreDirectory);
    }

    [Fact]
    public void SeedAndSnapshotMethodsValidateTheirArguments()
    {
        IResourceBuilder<KumoResource> nullKumo = null!;
        Assert.Throws<ArgumentNullException>("builder", () => nullKumo.WithSeed("seed.json"));
        Assert.Throws<ArgumentNullException>("builder", () => nullKumo.WithSeed(_ => { }));
        Assert.Throws<ArgumentNullException>("builder", () => nullKumo.WithRunContext("r", "w"));
        Assert.Throws<ArgumentNullException>("builder", () => nullKumo.WithSnapshot());

        var builder = DistributedApplication.CreateBuilder();
        var kumo = builder.AddKumo("kumo");
        Assert.Throws<ArgumentException>("manifestPath", () => kumo.WithSeed(" "));
        Assert.Throws<ArgumentNullException>("configure", () => kumo.WithSeed((Action<SeedPlanBuilder>)null!));
        Assert.Throws<ArgumentNullException>("plan", () => kumo.WithSeed((SeedPlan)null!));
        Assert.Throws<ArgumentException>("runId", () => kumo.WithRunContext("", "w"));
        Assert.Throws<ArgumentNullException>("context", () => kumo.WithRunContext(null!));
        Assert.Throws<ArgumentException>("value", () => kumo.WithRunContext("---", "w"));
        Assert.Throws<ArgumentException>("storeDirectory", () => kumo.WithSnapshot(""));
        Assert.Throws<ArgumentNullException>("context", () => builder.WithKumoRunContext(null!));
        Assert.Throws<ArgumentException>("workerSuffix", () => builder.WithKumoWorker(" "));
    }
}
