namespace Kumo.Seeding.Tests;

/// <summary>A complete seed fixture (every feature), as a manifest on disk and as the equivalent fluent plan.</summary>
internal static class Fixtures
{
    public const string FullManifest =
        """
        {
          "$schema": "./kumo-seed.schema.json",
          "version": 1,
          "fixtureVersion": "v1",
          // comments and trailing commas are accepted
          "buckets": [
            {
              "name": "orders-{run}-{worker}",
              "objects": [
                { "key": "a.json", "text": "{\"id\":1}", "contentType": "application/json", "metadata": { "Owner": "team-a" } },
                { "key": "logo.png", "file": "assets/logo.png" },
                { "prefix": "static", "directory": "wwwroot" },
              ]
            }
          ],
          "queues": [
            { "name": "orders-dlq-{worker}" },
            {
              "name": "orders-{worker}",
              "attributes": { "VisibilityTimeout": 30 },
              "redrive": { "deadLetterQueue": "orders-dlq-{worker}", "maxReceiveCount": 3 },
              "messages": [
                "hello",
                { "body": "second", "attributes": { "tenant": "a", "priority": { "dataType": "Number", "value": 5 } } }
              ]
            },
            {
              "name": "jobs-{worker}.fifo",
              "fifo": true,
              "attributes": { "ContentBasedDeduplication": true },
              "messages": [ { "body": "j1", "groupId": "g" }, { "body": "j2", "groupId": "g" } ]
            }
          ]
        }
        """;

    /// <summary>The object keys of the bucket, in ordinal order.</summary>
    public static readonly string[] Keys = ["a.json", "logo.png", "static/B.txt", "static/css/site.css", "static/index.html"];

    /// <summary>Writes the fixture files and the manifest; returns the manifest path.</summary>
    public static string WriteFull(TempDir dir)
    {
        WriteFiles(dir);
        return dir.Write("seed.json", FullManifest);
    }

    public static void WriteFiles(TempDir dir)
    {
        dir.Write("assets/logo.png", Enumerable.Range(0, 256).Select(i => (byte)i).ToArray());
        dir.Write("wwwroot/index.html", "<h1>hi</h1>");
        dir.Write("wwwroot/css/site.css", "h1 { color: red; }");
        dir.Write("wwwroot/B.txt", "upper-case B sorts first");
    }

    /// <summary>The same plan as <see cref="FullManifest"/>, written with the builder.</summary>
    public static SeedPlan Fluent(string baseDirectory) =>
        new SeedPlanBuilder(baseDirectory)
            .FixtureVersion("v1")
            .Bucket("orders-{run}-{worker}", b => b
                .Object("a.json", "{\"id\":1}", contentType: "application/json", metadata: new Dictionary<string, string> { ["Owner"] = "team-a" })
                .File("logo.png", "assets/logo.png")
                .Directory("static/", "wwwroot"))
            .Queue("orders-dlq-{worker}")
            .Queue("orders-{worker}", q => q
                .Attribute("VisibilityTimeout", "30")
                .DeadLetter("orders-dlq-{worker}", maxReceiveCount: 3)
                .Message("hello")
                .Message("second", m => m.Attribute("tenant", "a").Attribute("priority", "5", "Number")))
            .Queue("jobs-{worker}.fifo", q => q
                .Fifo()
                .Attribute("ContentBasedDeduplication", "true")
                .Message("j1", m => m.GroupId("g"))
                .Message("j2", m => m.GroupId("g")))
            .Build();
}
