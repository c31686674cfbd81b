using Kumo.Clients;

namespace Kumo.Seeding.Tests;

/// <summary>
/// Malformed manifests. Each test runs the whole pipeline — load, resolve, create clients, seed —
/// against a live engine and proves that the failure happens before any client exists: the
/// request log stays empty and the engine's buckets and queues are unchanged.
/// </summary>
public sealed class ManifestErrorTests(SharedEngine shared) : IClassFixture<SharedEngine>
{
    private static readonly SeedContext Context = new("run1", "w0");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Bad_json_syntax_names_line_and_column()
    {
        SeedManifestException e = await AssertRejectedAsync(
            """
            {
              "version": 1,
              "fixtureVersion": "v1"
              "buckets": []
            }
            """,
            pointer: "",
            fix: "correct the JSON syntax at line 4");
        Assert.Equal(4, e.Line);
        Assert.Contains("not valid JSON", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Truncated_json_inside_a_queue_points_at_the_queue()
    {
        SeedManifestException e = await AssertRejectedAsync(
            """
            { "version": 1, "fixtureVersion": "v1",
              "queues": [ { "name": "a" }, { "name": "b",
            """,
            pointer: "/queues/1",
            fix: "correct the JSON syntax");
        Assert.Equal(2, e.Line);
    }

    [Fact]
    public async Task Wrong_type_for_fixture_version()
    {
        SeedManifestException e = await AssertRejectedAsync(
            """
            {
              "version": 1,
              "fixtureVersion": 7,
              "queues": [ { "name": "a" } ]
            }
            """,
            pointer: "/fixtureVersion",
            fix: "write it as a string");
        Assert.Equal(3, e.Line);
    }

    [Fact]
    public async Task Unknown_field_at_the_root_suggests_the_nearest()
    {
        await AssertRejectedAsync(
            """{ "version": 1, "fixtureVersion": "v1", "bucket": [ { "name": "abc" } ] }""",
            pointer: "/bucket",
            fix: "did you mean \"buckets\"?");
    }

    [Fact]
    public async Task Unknown_field_in_an_object_entry()
    {
        SeedManifestException e = await AssertRejectedAsync(
            """
            { "version": 1, "fixtureVersion": "v1",
              "buckets": [ { "name": "abc", "objects": [
                { "key": "a.txt", "text": "x",
                  "contentTyp": "text/plain" } ] } ] }
            """,
            pointer: "/buckets/0/objects/0/contentTyp",
            fix: "did you mean \"contentType\"?");
        Assert.Equal(4, e.Line);
    }

    [Fact]
    public async Task Unknown_field_in_a_redrive_policy()
    {
        await AssertRejectedAsync(
            """
            { "version": 1, "fixtureVersion": "v1", "queues": [
              { "name": "dlq" },
              { "name": "src", "redrive": { "deadLetterQueue": "dlq", "maxReceiveCount": 3, "maxRecieveCount": 4 } } ] }
            """,
            pointer: "/queues/1/redrive/maxRecieveCount",
            fix: "did you mean \"maxReceiveCount\"?");
    }

    [Fact]
    public async Task Bad_bucket_name_suggests_a_valid_one()
    {
        SeedManifestException e = await AssertRejectedAsync(
            """{ "version": 1, "fixtureVersion": "v1", "buckets": [ { "name": "Orders_Bucket" } ] }""",
            pointer: "/buckets/0/name",
            fix: "'orders-bucket'");
        Assert.Contains("upper-case", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bucket_name_in_ip_form_is_rejected()
    {
        SeedManifestException e = await AssertRejectedAsync(
            """{ "version": 1, "fixtureVersion": "v1", "buckets": [ { "name": "192.168.10.1" } ] }""",
            pointer: "/buckets/0/name",
            fix: "not an IP address");
        Assert.Contains("IP address", e.Errors[0].Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bad_queue_name()
    {
        SeedManifestException e = await AssertRejectedAsync(
            """{ "version": 1, "fixtureVersion": "v1", "queues": [ { "name": "orders queue!" } ] }""",
            pointer: "/queues/0/name",
            fix: "letters, digits, hyphens or underscores");
        Assert.Contains("contains ' '", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Fifo_suffix_without_the_fifo_flag()
    {
        await AssertRejectedAsync(
            """{ "version": 1, "fixtureVersion": "v1", "queues": [ { "name": "jobs.fifo" } ] }""",
            pointer: "/queues/0/name",
            fix: "set \"fifo\": true");
    }

    [Fact]
    public async Task Fifo_flag_without_the_suffix()
    {
        await AssertRejectedAsync(
            """{ "version": 1, "fixtureVersion": "v1", "queues": [ { "name": "jobs", "fifo": true } ] }""",
            pointer: "/queues/0/name",
            fix: "rename it to 'jobs.fifo'");
    }

    [Fact]
    public async Task Missing_file_is_found_at_load_time()
    {
        SeedManifestException e = await AssertRejectedAsync(
            """{ "version": 1, "fixtureVersion": "v1", "buckets": [ { "name": "abc", "objects": [ { "key": "a.json", "file": "data/missing.json" } ] } ] }""",
            pointer: "/buckets/0/objects/0/file",
            fix: "create the file or correct the path");
        Assert.Contains("data/missing.json", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task File_path_escaping_the_manifest_directory()
    {
        await AssertRejectedAsync(
            """{ "version": 1, "fixtureVersion": "v1", "buckets": [ { "name": "abc", "objects": [ { "key": "p", "file": "../outside.txt" } ] } ] }""",
            pointer: "/buckets/0/objects/0/file",
            fix: "keep seeded files inside the manifest's directory",
            files: new() { ["../outside.txt"] = "secret" });
    }

    [Fact]
    public async Task Directory_escaping_the_manifest_directory()
    {
        await AssertRejectedAsync(
            """{ "version": 1, "fixtureVersion": "v1", "buckets": [ { "name": "abc", "objects": [ { "prefix": "p/", "directory": "sub/../../elsewhere" } ] } ] }""",
            pointer: "/buckets/0/objects/0/directory",
            fix: "without '..' segments");
    }

    [Fact]
    public async Task Placeholder_typo_suggests_the_nearest_placeholder()
    {
        SeedManifestException e = await AssertRejectedAsync(
            """{ "version": 1, "fixtureVersion": "v1", "buckets": [ { "name": "orders-{wokrer}" } ] }""",
            pointer: "/buckets/0/name",
            fix: "did you mean '{worker}'?");
        Assert.Contains("unknown placeholder '{wokrer}'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Placeholder_in_wrong_case_is_a_typo_too()
    {
        await AssertRejectedAsync(
            """{ "version": 1, "fixtureVersion": "v1", "queues": [ { "name": "orders-{Run}" } ] }""",
            pointer: "/queues/0/name",
            fix: "did you mean '{run}'?");
    }

    [Fact]
    public async Task Duplicate_names_after_resolution()
    {
        SeedManifestException e = await AssertRejectedAsync(
            """
            { "version": 1, "fixtureVersion": "v1", "queues": [
              { "name": "jobs-{run}" },
              { "name": "jobs-{worker}" } ] }
            """,
            pointer: "/queues/1/name",
            fix: "make the names differ after resolution",
            context: new SeedContext("same", "same"));
        Assert.Contains("resolves to 'jobs-same'", e.Message, StringComparison.Ordinal);
        Assert.Equal(3, e.Line);
    }

    [Fact]
    public async Task Name_too_long_after_resolution()
    {
        string stem = new('a', 50);
        await AssertRejectedAsync(
            $$"""{ "version": 1, "fixtureVersion": "v1", "buckets": [ { "name": "{{stem}}-{run}-{worker}" } ] }""",
            pointer: "/buckets/0/name",
            fix: "use shorter run/worker ids",
            context: new SeedContext("run-0123456789", "worker-0123456789"));
    }

    [Fact]
    public async Task Dead_letter_target_missing_suggests_the_nearest_queue()
    {
        await AssertRejectedAsync(
            """
            { "version": 1, "fixtureVersion": "v1", "queues": [
              { "name": "orders-dlq-{worker}" },
              { "name": "orders-{worker}", "redrive": { "deadLetterQueue": "orders-dlq", "maxReceiveCount": 3 } } ] }
            """,
            pointer: "/queues/1/redrive/deadLetterQueue",
            fix: "did you mean 'orders-dlq-{worker}'?");
    }

    [Fact]
    public async Task Bad_max_receive_count()
    {
        SeedManifestException e = await AssertRejectedAsync(
            """
            { "version": 1, "fixtureVersion": "v1", "queues": [
              { "name": "a" },
              { "name": "dlq" },
              { "name": "src",
                "redrive": { "deadLetterQueue": "dlq",
                             "maxReceiveCount": 0 } } ] }
            """,
            pointer: "/queues/2/redrive/maxReceiveCount",
            fix: "from 1 to 1000");
        Assert.Equal(6, e.Line);
    }

    [Fact]
    public async Task Max_receive_count_as_a_string_is_a_type_error()
    {
        await AssertRejectedAsync(
            """{ "version": 1, "fixtureVersion": "v1", "queues": [ { "name": "dlq" }, { "name": "src", "redrive": { "deadLetterQueue": "dlq", "maxReceiveCount": "3" } } ] }""",
            pointer: "/queues/1/redrive/maxReceiveCount",
            fix: "write it as a number without quotes");
    }

    [Fact]
    public async Task Unsupported_version()
    {
        SeedManifestException e = await AssertRejectedAsync(
            """{ "version": 2, "fixtureVersion": "v1", "queues": [ { "name": "a" } ] }""",
            pointer: "/version",
            fix: "upgrade the Kumo.Seeding package");
        Assert.Single(e.Errors);
    }

    [Fact]
    public async Task Missing_version()
    {
        await AssertRejectedAsync(
            """{ "fixtureVersion": "v1", "queues": [ { "name": "a" } ] }""",
            pointer: "/version",
            fix: "add \"version\": 1");
    }

    [Fact]
    public async Task Empty_fixture_version()
    {
        await AssertRejectedAsync(
            """{ "version": 1, "fixtureVersion": "", "queues": [ { "name": "a" } ] }""",
            pointer: "/fixtureVersion",
            fix: "e.g. \"v1\"");
    }

    [Fact]
    public async Task Empty_bucket_name()
    {
        await AssertRejectedAsync(
            """{ "version": 1, "fixtureVersion": "v1", "buckets": [ { "name": "" } ] }""",
            pointer: "/buckets/0/name",
            fix: "set \"name\"");
    }

    [Fact]
    public async Task Plan_that_seeds_nothing()
    {
        await AssertRejectedAsync(
            """{ "version": 1, "fixtureVersion": "v1", "buckets": [], "queues": [] }""",
            pointer: "",
            fix: "add at least one entry");
    }

    [Fact]
    public async Task Object_with_two_sources()
    {
        await AssertRejectedAsync(
            """{ "version": 1, "fixtureVersion": "v1", "buckets": [ { "name": "abc", "objects": [ { "key": "a", "text": "x", "file": "a.txt" } ] } ] }""",
            pointer: "/buckets/0/objects/0/file",
            fix: "keep exactly one of",
            files: new() { ["a.txt"] = "a" });
    }

    [Fact]
    public async Task Fifo_message_without_group_id()
    {
        await AssertRejectedAsync(
            """{ "version": 1, "fixtureVersion": "v1", "queues": [ { "name": "jobs.fifo", "fifo": true, "messages": [ { "body": "a", "deduplicationId": "1" } ] } ] }""",
            pointer: "/queues/0/messages/0/groupId",
            fix: "add \"groupId\"");
    }

    [Fact]
    public async Task Misspelt_queue_attribute()
    {
        await AssertRejectedAsync(
            """{ "version": 1, "fixtureVersion": "v1", "queues": [ { "name": "a", "attributes": { "VisibilityTimout": "30" } } ] }""",
            pointer: "/queues/0/attributes/VisibilityTimout",
            fix: "did you mean 'VisibilityTimeout'?");
    }

    [Fact]
    public async Task Duplicate_property()
    {
        await AssertRejectedAsync(
            """{ "version": 1, "fixtureVersion": "v1", "queues": [ { "name": "a", "name": "b" } ] }""",
            pointer: "/queues/0/name",
            fix: "only one value is allowed");
    }

    [Fact]
    public async Task Several_errors_are_reported_together_in_document_order()
    {
        SeedManifestException e = await AssertRejectedAsync(
            """
            { "version": 1, "fixtureVersion": "v1",
              "buckets": [ { "name": "UPPER" }, { "name": "ok-bucket", "objects": [ { "key": "k", "file": "nope.txt" } ] } ],
              "queues": [ { "name": "dlq" }, { "name": "src", "redrive": { "deadLetterQueue": "dlq", "maxReceiveCount": 5000 } } ] }
            """,
            pointer: "/buckets/0/name",
            fix: "rename it");
        Assert.Equal(["/buckets/0/name", "/buckets/1/objects/0/file", "/queues/1/redrive/maxReceiveCount"], e.Errors.Select(x => x.JsonPointer));
        Assert.All(e.Errors, x => Assert.Contains(x.JsonPointer, e.Message, StringComparison.Ordinal));
        Assert.Contains("3 errors", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_manifest_file_names_the_path()
    {
        using var dir = new TempDir();
        string path = dir.Combine("nope/seed.json");
        SeedManifestException e = Assert.Throws<SeedManifestException>(() => SeedManifest.Load(path));
        Assert.Equal(path, e.FilePath);
        Assert.Equal(string.Empty, e.JsonPointer);
        Assert.Contains("does not exist", e.Message, StringComparison.Ordinal);
    }

    /// <summary>
    /// Writes the manifest (and extra files) to a fresh directory and runs load → resolve → create
    /// clients → seed against the shared engine. Asserts the failure happened before the clients
    /// were created, that no request was sent, and that the engine's inventory is unchanged.
    /// </summary>
    private async Task<SeedManifestException> AssertRejectedAsync(string json, string pointer, string fix, SeedContext? context = null, Dictionary<string, string>? files = null)
    {
        using var dir = new TempDir();
        string manifestDir = dir.Combine("fixture");
        Directory.CreateDirectory(manifestDir);
        foreach ((string relative, string content) in files ?? [])
        {
            dir.Write("fixture/" + relative, content);
        }

        string path = dir.Write("fixture/seed.json", json);
        var log = new RequestLog();
        var before = await shared.Engine.InventoryAsync(Ct);
        string stage = "load";
        KumoClients? clients = null;

        SeedManifestException e = await Assert.ThrowsAsync<SeedManifestException>(async () =>
        {
            SeedPlan plan = SeedManifest.Load(path);
            stage = "resolve";
            ResolvedSeedPlan resolved = plan.Resolve(context ?? Context);
            stage = "seed";
            clients = shared.Engine.NewClients(log);
            await new KumoSeeder(clients.S3, clients.Sqs).SeedAsync(resolved, cancellationToken: Ct);
        });
        clients?.Dispose();

        Assert.True(stage is "load" or "resolve", $"the error surfaced at stage '{stage}', after clients existed");
        Assert.Null(clients);
        Assert.Empty(log.All);
        var after = await shared.Engine.InventoryAsync(Ct);
        Assert.Equal(before.Buckets, after.Buckets);
        Assert.Equal(before.Queues, after.Queues);

        Assert.Equal(path, e.FilePath);
        Assert.Equal(pointer, e.JsonPointer);
        Assert.Contains(fix, e.Fix, StringComparison.Ordinal);
        Assert.Contains(fix, e.Message, StringComparison.Ordinal);
        Assert.Contains(path, e.Message, StringComparison.Ordinal);
        Assert.True(e.Line > 0, "the error names a line");
        Assert.Contains("Fix: ", e.Message, StringComparison.Ordinal);
        return e;
    }
}
