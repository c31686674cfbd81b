namespace Kumo.Seeding.Tests;

public sealed class ManifestParsingTests
{
    [Fact]
    public void Full_manifest_becomes_the_expected_plan()
    {
        using var dir = new TempDir();
        string path = Fixtures.WriteFull(dir);

        SeedPlan plan = SeedManifest.Load(path);

        Assert.Equal("v1", plan.FixtureVersion);
        Assert.Equal(path, plan.SourcePath);
        Assert.Equal(dir.Path, plan.BaseDirectory);
        BucketSeed bucket = Assert.Single(plan.Buckets);
        Assert.Equal("orders-{run}-{worker}", bucket.Name);
        Assert.Equal([ObjectSourceKind.Text, ObjectSourceKind.File, ObjectSourceKind.Directory], bucket.Objects.Select(o => o.Kind));
        Assert.Equal("team-a", bucket.Objects[0].Metadata["owner"]);
        Assert.Equal("static/", bucket.Objects[2].Key);
        Assert.Equal(dir.Combine("assets/logo.png"), bucket.Objects[1].FullPath);

        Assert.Equal(["orders-dlq-{worker}", "orders-{worker}", "jobs-{worker}.fifo"], plan.Queues.Select(q => q.Name));
        QueueSeed orders = plan.Queues[1];
        Assert.Equal("30", orders.Attributes["VisibilityTimeout"]);
        Assert.Equal("orders-dlq-{worker}", orders.DeadLetter!.QueueName);
        Assert.Equal(3, orders.DeadLetter.MaxReceiveCount);
        Assert.Equal(["hello", "second"], orders.Messages.Select(m => m.Body));
        Assert.Equal(new MessageAttributeSeed("Number", "5"), orders.Messages[1].Attributes["priority"]);
        Assert.Equal(MessageAttributeSeed.String("a"), orders.Messages[1].Attributes["tenant"]);
        QueueSeed jobs = plan.Queues[2];
        Assert.True(jobs.Fifo);
        Assert.Equal("true", jobs.Attributes["ContentBasedDeduplication"]);
        Assert.All(jobs.Messages, m => Assert.Equal("g", m.GroupId));
    }

    [Fact]
    public void Resolution_replaces_placeholders_and_expands_directories_in_ordinal_order()
    {
        using var dir = new TempDir();
        SeedPlan plan = SeedManifest.Load(Fixtures.WriteFull(dir));

        ResolvedSeedPlan resolved = plan.Resolve(new SeedContext("r42", "w3"));

        ResolvedBucket bucket = Assert.Single(resolved.Buckets);
        Assert.Equal("orders-r42-w3", bucket.Name);
        Assert.Equal(Fixtures.Keys, bucket.Objects.Select(o => o.Key));
        Assert.Equal(
            ["application/json", "image/png", "text/plain", "text/css", "text/html"],
            bucket.Objects.Select(o => o.ContentType));
        Assert.Equal(["orders-dlq-w3", "orders-w3", "jobs-w3.fifo"], resolved.Queues.Select(q => q.Name));
        Assert.Equal("orders-dlq-w3", resolved.Queues[1].DeadLetterQueue);
        Assert.Equal(3, resolved.Queues[1].MaxReceiveCount);
        Assert.Null(resolved.Queues[0].DeadLetterQueue);
    }

    [Fact]
    public void Inline_text_defaults_to_text_plain_and_unknown_extensions_to_octet_stream()
    {
        using var dir = new TempDir();
        dir.Write("data.weird", "x");
        SeedPlan plan = SeedManifest.Parse(
            """{ "version": 1, "fixtureVersion": "v1", "buckets": [ { "name": "abc", "objects": [ { "key": "note", "text": "hi" }, { "key": "blob", "file": "data.weird" }, { "key": "x.json", "file": "data.weird" } ] } ] }""",
            dir.Path,
            "inline-test");

        ResolvedObject[] objects = [.. plan.Resolve(new SeedContext("r", "w")).Buckets[0].Objects];
        Assert.Equal(["blob", "note", "x.json"], objects.Select(o => o.Key));
        Assert.Equal(["application/octet-stream", "text/plain", "application/json"], objects.Select(o => o.ContentType));
        Assert.Equal("hi", objects[1].Text);
        Assert.Null(objects[1].FilePath);
    }

    [Fact]
    public void Parse_names_the_given_source_in_errors()
    {
        SeedManifestException e = Assert.Throws<SeedManifestException>(() =>
            SeedManifest.Parse("""{ "version": 1, "fixtureVersion": "v1", "queues": [ { "name": "bad name" } ] }""", Path.GetTempPath(), "fixtures/inline.json"));
        Assert.Equal("fixtures/inline.json", e.FilePath);
        Assert.Equal("/queues/0/name", e.JsonPointer);
        Assert.Equal(1, e.Line);
    }

    [Fact]
    public void Invalid_context_ids_are_rejected_with_a_fix()
    {
        ArgumentException e = Assert.Throws<ArgumentException>(() => new SeedContext("Run_1", "w"));
        Assert.Contains("Fix:", e.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => new SeedContext("r", "-w"));
        Assert.Throws<ArgumentException>(() => new SeedContext("r", new string('w', 33)));
        Assert.Equal("w", new SeedContext("r", "w").WorkerId);
    }

    [Fact]
    public void Embedded_schema_is_valid_json_and_matches_the_shipped_file()
    {
        using Stream schema = SeedManifest.OpenSchema();
        using var reader = new StreamReader(schema);
        string text = reader.ReadToEnd();
        using var document = System.Text.Json.JsonDocument.Parse(text);
        Assert.Equal("https://json-schema.org/draft/2020-12/schema", document.RootElement.GetProperty("$schema").GetString());
        Assert.False(document.RootElement.GetProperty("additionalProperties").GetBoolean());

        string shipped = Path.Combine(FindRepoRoot(), "src", "Kumo.Seeding", "Schema", SeedManifest.SchemaFileName);
        Assert.Equal(File.ReadAllText(shipped), text);
    }

    [Theory]
    [InlineData("""{ "version": 1, "fixtureVersion": "v1", "queues": [ { "name": "a", "redrive": { "deadLetterQueue": "b", "maxReceiveCount": 2 } }, { "name": "b", "redrive": { "deadLetterQueue": "a", "maxReceiveCount": 2 } } ] }""", "/queues/0/redrive", "break the cycle")]
    [InlineData("""{ "version": 1, "fixtureVersion": "v1", "queues": [ { "name": "a", "redrive": { "deadLetterQueue": "a", "maxReceiveCount": 2 } } ] }""", "/queues/0/redrive/deadLetterQueue", "'a-dlq'")]
    [InlineData("""{ "version": 1, "fixtureVersion": "v1", "queues": [ { "name": "d" }, { "name": "s.fifo", "fifo": true, "redrive": { "deadLetterQueue": "d", "maxReceiveCount": 2 } } ] }""", "/queues/1/redrive/deadLetterQueue", "same kind")]
    [InlineData("""{ "version": 1, "fixtureVersion": "v1", "queues": [ { "name": "s.fifo", "fifo": true, "messages": [ { "body": "x", "groupId": "g" } ] } ] }""", "/queues/0/messages/0/deduplicationId", "ContentBasedDeduplication")]
    [InlineData("""{ "version": 1, "fixtureVersion": "v1", "queues": [ { "name": "s", "attributes": { "ContentBasedDeduplication": true } } ] }""", "/queues/0/attributes/ContentBasedDeduplication", "make the queue FIFO")]
    [InlineData("""{ "version": 1, "fixtureVersion": "v1", "queues": [ { "name": "s", "attributes": { "RedrivePolicy": "{}" } } ] }""", "/queues/0/attributes/RedrivePolicy", "\"redrive\"")]
    [InlineData("""{ "version": 1, "fixtureVersion": "v1", "queues": [ { "name": "s", "messages": [ { "body": "x", "attributes": { "n": { "dataType": "Number", "value": "abc" } } } ] } ] }""", "/queues/0/messages/0/attributes/n", "decimal number")]
    [InlineData("""{ "version": 1, "fixtureVersion": "v1", "buckets": [ { "name": "abc", "objects": [ { "key": "/lead", "text": "x" } ] } ] }""", "/buckets/0/objects/0/key", "remove the leading '/'")]
    [InlineData("""{ "version": 1, "fixtureVersion": "v1", "buckets": [ { "name": "abc", "objects": [ { "key": "k", "text": "x", "metadata": { "bad key": "v" } } ] } ] }""", "/buckets/0/objects/0/metadata/bad key", "letters, digits")]
    [InlineData("""{ "version": 1, "fixtureVersion": "v1", "buckets": [ { "name": "abc", "objects": [ { "key": "k", "directory": "d" } ] } ] }""", "/buckets/0/objects/0/key", "rename \"key\" to \"prefix\"")]
    [InlineData("""{ "version": 1, "fixtureVersion": "v1", "buckets": [ { "name": "abc", "objects": [ { "key": "a", "text": "x" }, { "key": "a", "text": "y" } ] } ] }""", "/buckets/0/objects/1/key", "remove one of the entries")]
    [InlineData("""[ 1, 2 ]""", "", "start the file with {")]
    public void More_rule_violations_name_the_pointer_and_fix(string json, string pointer, string fix)
    {
        using var dir = new TempDir();
        dir.Write("d/file.txt", "x");
        SeedManifestException e = Assert.Throws<SeedManifestException>(() => SeedManifest.Parse(json, dir.Path, "rules.json"));
        Assert.Equal("rules.json", e.FilePath);
        Assert.Equal(pointer, e.JsonPointer);
        Assert.Contains(fix, e.Fix, StringComparison.Ordinal);
    }

    private static string FindRepoRoot()
    {
        string? dir = AppContext.BaseDirectory;
        while (dir is not null && !File.Exists(Path.Combine(dir, "Directory.Packages.props")))
        {
            dir = Path.GetDirectoryName(dir);
        }

        return dir ?? throw new InvalidOperationException("Repository root not found above " + AppContext.BaseDirectory);
    }
}
