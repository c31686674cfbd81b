using System.Diagnostics;
using Amazon.S3.Model;
using Kumo.Seeding;
using Kumo.Snapshots;

namespace Kumo.Testing.Tests.Xunit;

/// <summary>
/// The whole failure path, for real: this test assembly is run again as a child process in which one
/// deliberately failing test (<see cref="FailingScenario"/>) exists; the assembly-level
/// <see cref="KumoArtifactsOnFailureAttribute"/> must leave that test's artifacts behind.
/// </summary>
public sealed class FailureArtifactsEndToEndTests
{
    /// <summary>The in-process console runner exits with 1 when a test failed.</summary>
    private const int FailedExitCode = 1;
    private static readonly TimeSpan ChildTimeout = TimeSpan.FromSeconds(90);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_failing_test_of_a_fixture_class_leaves_manifests_log_state_and_failure()
    {
        string run = KumoRunContext.Current.RunId;
        string workerId = $"scenario-{Guid.NewGuid().ToString("N")[..8]}";

        // The child runs in the output directory (as xunit's runners do), so its TestResults are this assembly's.
        string worker = Path.Combine(AppContext.BaseDirectory, "TestResults", "kumo", run, workerId);
        try
        {
            (int exitCode, string output) = await RunChildAsync(run, workerId, nameof(FailingScenario.Order_total_is_what_the_invoice_says));

            Assert.True(exitCode == FailedExitCode, $"the child run should fail its one scenario test (exit code {FailedExitCode}), but exited with {exitCode}:\n{output}");
            Assert.Contains("Total: 1, Errors: 0, Failed: 1", output, StringComparison.Ordinal);
            Assert.True(Directory.Exists(worker), $"no artifacts under {worker}; child output:\n{output}");
            string dir = Assert.Single(Directory.GetDirectories(worker));
            Assert.Equal("Kumo.Testing.Tests.Xunit.FailingScenario.Order_total_is_what_the_invoice_says", Path.GetFileName(dir));
            Assert.Contains($"kumo: failure artifacts of ScenarioFixture in {dir}", output, StringComparison.Ordinal);
            Assert.Equal(
                ["engine.log", "failure.txt", "seed-manifest.json", "snapshot-manifest.json", "state.json"],
                Directory.GetFiles(dir).Select(Path.GetFileName).Order(StringComparer.Ordinal));

            string manifest = Path.Combine(AppContext.BaseDirectory, OrdersFixture.ManifestPath);
            string planHash = await SeedManifest.Load(manifest).ComputeHashAsync(Ct);
            Assert.Equal(await File.ReadAllTextAsync(manifest, Ct), await File.ReadAllTextAsync(Path.Combine(dir, "seed-manifest.json"), Ct));
            Assert.Contains(planHash, await File.ReadAllTextAsync(Path.Combine(dir, "snapshot-manifest.json"), Ct), StringComparison.Ordinal);
            Assert.Contains("KUMO_ENDPOINT=http://127.0.0.1:", await File.ReadAllTextAsync(Path.Combine(dir, "engine.log"), Ct), StringComparison.Ordinal);

            // The dump is of the engine as the test left it: the object it wrote before failing is there.
            KumoStateDump state = KumoStateDump.FromJson(await File.ReadAllTextAsync(Path.Combine(dir, "state.json"), Ct));
            Assert.Equal(["orders/1.json", "orders/2.json", "orders/3.json"], state.Buckets.Single(b => b.Name == $"orders-{run}").Objects.Select(o => o.Key));

            string failure = await File.ReadAllTextAsync(Path.Combine(dir, "failure.txt"), Ct);
            Assert.Contains($"run {run} (KUMO_RUN_ID), worker {workerId} (KUMO_WORKER_ID)", failure, StringComparison.Ordinal);
            Assert.Contains("Result: Failed (Assertion)", failure, StringComparison.Ordinal);
            Assert.Contains("Assert.Equal() Failure", failure, StringComparison.Ordinal);
            Assert.Contains(nameof(FailingScenario.Order_total_is_what_the_invoice_says), failure, StringComparison.Ordinal);

            // The child's engine is gone and its working directory deleted; the snapshot was reused from KUMO_SNAPSHOT_DIR.
            string work = Path.Combine(TestStore.Root, KumoFixture.WorkDirectoryName);
            Assert.DoesNotContain(Directory.GetDirectories(work), d => Path.GetFileName(d).Contains($"-{workerId}-scenariofixture-", StringComparison.Ordinal));
        }
        finally
        {
            TestStore.DeleteArtifacts(Path.Combine(worker, "Kumo.Testing.Tests.Xunit.FailingScenario.Order_total_is_what_the_invoice_says"));
        }
    }

    /// <summary>Runs this test assembly again (xunit's in-process console runner) with only <paramref name="scenario"/> discoverable.</summary>
    private static async Task<(int ExitCode, string Output)> RunChildAsync(string run, string workerId, string scenario)
    {
        string host = Environment.ProcessPath ?? throw new InvalidOperationException("The test host's path is unknown.");
        var start = new ProcessStartInfo(host)
        {
            WorkingDirectory = AppContext.BaseDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (Path.GetFileNameWithoutExtension(host) == "dotnet")
        {
            start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Kumo.Testing.Tests.dll"));
        }

        foreach (string argument in (string[])["-class", typeof(FailingScenario).FullName!, "-noColor"])
        {
            start.ArgumentList.Add(argument);
        }

        foreach (string name in start.Environment.Keys.Where(k => k.StartsWith("KUMO_", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(name);
        }

        start.Environment[KumoRunContext.RunIdVariable] = run;
        start.Environment[KumoRunContext.WorkerIdVariable] = workerId;
        start.Environment[KumoSnapshotDirectory.Variable] = TestStore.Root;
        start.Environment[ScenarioFactAttribute.Variable] = scenario;

        using Process child = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {host}.");
        Task<string> stdout = child.StandardOutput.ReadToEndAsync(Ct);
        Task<string> stderr = child.StandardError.ReadToEndAsync(Ct);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        deadline.CancelAfter(ChildTimeout);
        try
        {
            await child.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            child.Kill(entireProcessTree: true);
            throw new TimeoutException($"The child test run did not finish within {ChildTimeout.TotalSeconds} s.");
        }

        return (child.ExitCode, await stdout + await stderr);
    }
}

/// <summary>The child run's fixture: every default (KUMO_SNAPSHOT_DIR, KUMO_RUN_ID, KUMO_WORKER_ID, TestResults under the current directory).</summary>
public sealed class ScenarioFixture() : KumoFixture(OrdersFixture.ManifestPath);

/// <summary>Exists only in the child run of <see cref="FailureArtifactsEndToEndTests"/>; fails on purpose.</summary>
public sealed class FailingScenario(ScenarioFixture kumo) : IClassFixture<ScenarioFixture>
{
    [ScenarioFact]
    public async Task Order_total_is_what_the_invoice_says()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        string bucket = kumo.Names["orders-{run}"];
        await kumo.S3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "orders/3.json", ContentBody = "{\"id\":3}" }, ct);
        using GetObjectResponse order = await kumo.S3.GetObjectAsync(bucket, "orders/1.json", ct);
        using var reader = new StreamReader(order.ResponseStream);

        Assert.Equal("{\"id\":1,\"total\":99}", await reader.ReadToEndAsync(ct));
    }
}
