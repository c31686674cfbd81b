namespace Kumo.Seeding.Tests;

public sealed class FluentBuilderTests
{
    [Fact]
    public void Builder_errors_use_the_same_pointers_as_the_manifest()
    {
        using var dir = new TempDir();
        SeedManifestException e = Assert.Throws<SeedManifestException>(() => new SeedPlanBuilder(dir.Path)
            .FixtureVersion("v1")
            .Bucket("ok-bucket", b => b.File("a", "missing.txt"))
            .Queue("dlq")
            .Queue("src", q => q.DeadLetter("dlq", maxReceiveCount: 0))
            .Queue("jobs-{wroker}")
            .Build());

        Assert.Null(e.FilePath);
        Assert.Null(e.Line);
        Assert.Equal(["/buckets/0/objects/0/file", "/queues/1/redrive/maxReceiveCount", "/queues/2/name"], e.Errors.Select(x => x.JsonPointer));
        Assert.Contains("did you mean '{worker}'?", e.Message, StringComparison.Ordinal);
        Assert.Contains("fluent", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Builder_requires_a_fixture_version()
    {
        SeedManifestException e = Assert.Throws<SeedManifestException>(() => new SeedPlanBuilder().Queue("q").Build());
        Assert.Equal("/fixtureVersion", e.JsonPointer);
    }

    [Fact]
    public void Builder_can_build_twice_and_sees_file_changes()
    {
        using var dir = new TempDir();
        dir.Write("wwwroot/a.txt", "a");
        var builder = new SeedPlanBuilder(dir.Path).FixtureVersion("v1").Bucket("abc", b => b.Directory("", "wwwroot"));

        SeedPlan first = builder.Build();
        dir.Write("wwwroot/b.txt", "b");
        SeedPlan second = builder.Build();

        var context = new SeedContext("r", "w");
        Assert.Equal(["a.txt"], first.Resolve(context).Buckets[0].Objects.Select(o => o.Key));
        Assert.Equal(["a.txt", "b.txt"], second.Resolve(context).Buckets[0].Objects.Select(o => o.Key));
    }

    [Fact]
    public void Metadata_keys_differing_only_in_case_are_an_error()
    {
        using var dir = new TempDir();
        SeedManifestException e = Assert.Throws<SeedManifestException>(() => new SeedPlanBuilder(dir.Path)
            .FixtureVersion("v1")
            .Bucket("abc", b => b.Object("k", "v", metadata: new Dictionary<string, string> { ["Owner"] = "a", ["owner"] = "b" }))
            .Build());
        Assert.StartsWith("/buckets/0/objects/0/metadata/", e.JsonPointer, StringComparison.Ordinal);
    }
}
