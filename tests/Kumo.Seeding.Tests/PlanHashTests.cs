namespace Kumo.Seeding.Tests;

public sealed class PlanHashTests
{
    private const string GoldenHash = "95446bb96dc65a4a7319f1dff84f179be065391aa1236cd80ee20b91b85bd96d";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Json_and_fluent_forms_of_the_same_plan_have_the_same_hash()
    {
        using var dir = new TempDir();
        SeedPlan json = SeedManifest.Load(Fixtures.WriteFull(dir));
        SeedPlan fluent = Fixtures.Fluent(dir.Path);

        string a = await json.ComputeHashAsync(Ct);
        string b = await fluent.ComputeHashAsync(Ct);

        Assert.Matches("^[0-9a-f]{64}$", a);
        Assert.Equal(a, b);
    }

    [Fact]
    public async Task Hash_is_stable_across_runs_directories_and_machines()
    {
        using var first = new TempDir();
        using var second = new TempDir();
        string a = await SeedManifest.Load(Fixtures.WriteFull(first)).ComputeHashAsync(Ct);
        string again = await SeedManifest.Load(Path.Combine(first.Path, "seed.json")).ComputeHashAsync(Ct);
        string b = await SeedManifest.Load(Fixtures.WriteFull(second)).ComputeHashAsync(Ct);

        Assert.Equal(a, again);
        Assert.Equal(a, b);
        // The canonical encoding is fixed: this value may only change together with PlanHasher.FormatVersion.
        Assert.Equal(GoldenHash, a);
    }

    [Fact]
    public async Task Hash_ignores_whitespace_field_order_comments_and_entry_order()
    {
        using var dir = new TempDir();
        string reference = await SeedManifest.Load(Fixtures.WriteFull(dir)).ComputeHashAsync(Ct);
        const string reordered =
            """
            {"queues":[{"messages":[{"body":"j1","groupId":"g"},{"groupId":"g","body":"j2"}],"attributes":{"ContentBasedDeduplication":"true"},"fifo":true,"name":"jobs-{worker}.fifo"},
            {"redrive":{"maxReceiveCount":3,"deadLetterQueue":"orders-dlq-{worker}"},"name":"orders-{worker}","messages":["hello",{"attributes":{"priority":{"value":"5","dataType":"Number"},"tenant":"a"},"body":"second"}],"attributes":{"VisibilityTimeout":"30"}},
            {"name":"orders-dlq-{worker}"}],
            "buckets":[{"objects":[{"directory":"wwwroot","prefix":"static/"},{"file":"assets/logo.png","key":"logo.png"},{"metadata":{"owner":"team-a"},"contentType":"application/json","text":"{\"id\":1}","key":"a.json"}],"name":"orders-{run}-{worker}"}],
            "fixtureVersion":"v1","version":1}
            """;
        string other = await SeedManifest.Parse(reordered, dir.Path).ComputeHashAsync(Ct);
        Assert.Equal(reference, other);
    }

    [Theory]
    [InlineData("file byte")]
    [InlineData("file in directory")]
    [InlineData("new file in directory")]
    [InlineData("fixture version")]
    [InlineData("bucket name")]
    [InlineData("object key")]
    [InlineData("content type")]
    [InlineData("metadata value")]
    [InlineData("queue name")]
    [InlineData("queue attribute")]
    [InlineData("max receive count")]
    [InlineData("message body")]
    [InlineData("message order")]
    [InlineData("message attribute type")]
    [InlineData("group id")]
    [InlineData("replace messages")]
    [InlineData("placeholder")]
    public async Task Hash_changes_when_anything_seeded_changes(string change)
    {
        using var dir = new TempDir();
        string path = Fixtures.WriteFull(dir);
        string before = await SeedManifest.Load(path).ComputeHashAsync(Ct);
        string manifest = Fixtures.FullManifest;

        switch (change)
        {
            case "file byte":
                byte[] logo = File.ReadAllBytes(dir.Combine("assets/logo.png"));
                logo[^1] ^= 1;
                dir.Write("assets/logo.png", logo);
                break;
            case "file in directory":
                dir.Write("wwwroot/css/site.css", "h1 { color: blue; }");
                break;
            case "new file in directory":
                dir.Write("wwwroot/extra.txt", "x");
                break;
            default:
                manifest = change switch
                {
                    "fixture version" => Replace(manifest, "\"fixtureVersion\": \"v1\"", "\"fixtureVersion\": \"v2\""),
                    "bucket name" => Replace(manifest, "orders-{run}-{worker}", "orders2-{run}-{worker}"),
                    "object key" => Replace(manifest, "\"key\": \"a.json\"", "\"key\": \"b.json\""),
                    "content type" => Replace(manifest, "\"contentType\": \"application/json\"", "\"contentType\": \"text/json\""),
                    "metadata value" => Replace(manifest, "\"team-a\"", "\"team-b\""),
                    "queue name" => Replace(manifest, "\"name\": \"jobs-{worker}.fifo\"", "\"name\": \"jobz-{worker}.fifo\""),
                    "queue attribute" => Replace(manifest, "\"VisibilityTimeout\": 30", "\"VisibilityTimeout\": 31"),
                    "max receive count" => Replace(manifest, "\"maxReceiveCount\": 3", "\"maxReceiveCount\": 4"),
                    "message body" => Replace(manifest, "\"hello\"", "\"hello!\""),
                    "message order" => Replace(Replace(Replace(manifest, "\"j1\"", "\"tmp\""), "\"j2\"", "\"j1\""), "\"tmp\"", "\"j2\""),
                    "message attribute type" => Replace(manifest, "\"dataType\": \"Number\"", "\"dataType\": \"String\""),
                    "group id" => Replace(manifest, "{ \"body\": \"j2\", \"groupId\": \"g\" }", "{ \"body\": \"j2\", \"groupId\": \"h\" }"),
                    "replace messages" => Replace(manifest, "\"fifo\": true,", "\"fifo\": true, \"replaceMessages\": true,"),
                    "placeholder" => Replace(manifest, "orders-{run}-{worker}", "orders-{worker}-{run}"),
                    _ => throw new ArgumentOutOfRangeException(nameof(change)),
                };
                dir.Write("seed.json", manifest);
                break;
        }

        string after = await SeedManifest.Load(path).ComputeHashAsync(Ct);
        Assert.NotEqual(before, after);
    }

    [Fact]
    public async Task Placeholders_are_hashed_unresolved()
    {
        using var dir = new TempDir();
        SeedPlan templated = SeedManifest.Parse("""{ "version": 1, "fixtureVersion": "v1", "queues": [ { "name": "q-{run}" } ] }""", dir.Path);
        SeedPlan literal = SeedManifest.Parse("""{ "version": 1, "fixtureVersion": "v1", "queues": [ { "name": "q-r1" } ] }""", dir.Path);

        var context = new SeedContext("r1", "w1");
        Assert.Equal(templated.Resolve(context).Queues[0].Name, literal.Resolve(context).Queues[0].Name);
        Assert.NotEqual(await templated.ComputeHashAsync(Ct), await literal.ComputeHashAsync(Ct));
    }

    [Fact]
    public async Task Large_file_is_streamed_and_its_last_byte_counts()
    {
        using var dir = new TempDir();
        byte[] big = new byte[3 * 1024 * 1024 + 7];
        new Random(42).NextBytes(big);
        dir.Write("big.bin", big);
        const string json = """{ "version": 1, "fixtureVersion": "v1", "buckets": [ { "name": "abc", "objects": [ { "key": "big.bin", "file": "big.bin" } ] } ] }""";
        string before = await SeedManifest.Parse(json, dir.Path).ComputeHashAsync(Ct);

        big[^1] ^= 0xFF;
        dir.Write("big.bin", big);
        string after = await SeedManifest.Parse(json, dir.Path).ComputeHashAsync(Ct);

        Assert.NotEqual(before, after);
    }

    [Fact]
    public async Task Inline_text_and_a_file_with_the_same_bytes_hash_the_same()
    {
        using var dir = new TempDir();
        dir.Write("a.txt", "same bytes");
        string inline = await SeedManifest.Parse("""{ "version": 1, "fixtureVersion": "v1", "buckets": [ { "name": "abc", "objects": [ { "key": "a.txt", "text": "same bytes" } ] } ] }""", dir.Path).ComputeHashAsync(Ct);
        string file = await SeedManifest.Parse("""{ "version": 1, "fixtureVersion": "v1", "buckets": [ { "name": "abc", "objects": [ { "key": "a.txt", "file": "a.txt" } ] } ] }""", dir.Path).ComputeHashAsync(Ct);
        Assert.Equal(inline, file);
    }

    private static string Replace(string text, string from, string to)
    {
        Assert.Contains(from, text, StringComparison.Ordinal);
        return text.Replace(from, to, StringComparison.Ordinal);
    }
}
