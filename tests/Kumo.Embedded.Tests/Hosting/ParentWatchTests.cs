using System.Diagnostics;
using Amazon.S3;
using Kumo.Engines;

namespace Kumo.Embedded.Tests.Hosting;

public sealed class ParentWatchTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Engine_stops_gracefully_when_its_owner_is_killed()
    {
        using Process owner = Process.Start(new ProcessStartInfo("sleep", "60") { UseShellExecute = false })!;
        string dataDir = TestEngine.NewDataDir();
        await using RunningEngine engine = await EngineProcess.StartAsync(
            EngineDefinition.Embedded(Path.Combine(AppContext.BaseDirectory, "kumo-embedded.dll")),
            new EngineStartOptions
            {
                DataDir = dataDir,
                Environment = new Dictionary<string, string?>
                {
                    ["KUMO_PARENT_PID"] = owner.Id.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    ["KUMO_PERSIST_FLUSH_INTERVAL_MS"] = "600000",
                },
            },
            Ct);
        using (var s3 = new AmazonS3Client(TestEngine.Credentials, TestEngine.S3Config(engine.Endpoint)))
        {
            await s3.PutBucketAsync("orphan-check", Ct);
        }

        owner.Kill();
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        deadline.CancelAfter(TimeSpan.FromSeconds(15));
        int exitCode = await engine.WaitForExitAsync(deadline.Token);

        Assert.Equal(0, exitCode);
        Assert.Contains("orphan-check", await File.ReadAllTextAsync(Path.Combine(dataDir, "s3.json"), Ct), StringComparison.Ordinal);
        Assert.Contains(engine.LogTail(50), line => line.Contains("KUMO_PARENT_PID", StringComparison.Ordinal));
    }
}
