using System.Collections.Concurrent;
using Amazon.S3.Model;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Kumo.Aspire.Hosting.Lifecycle;
using Kumo.Aspire.Hosting.Testing;
using Kumo.Aspire.Hosting.Tests.Utils;
using Kumo.Clients;
using Kumo.Seeding;

namespace Kumo.Aspire.Hosting.Tests;

/// <summary>
/// The ready-step seam seeding plugs into: steps run in order on <see cref="ResourceReadyEvent"/> (raised here as
/// Aspire raises it once /health passes), against a real engine, and <c>WaitForKumoSeededAsync</c> reports the outcome.
/// </summary>
public class KumoReadinessTests
{
    /// <summary>How long a wait that should already be satisfied may take before the test fails instead of hanging.</summary>
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task ReadyStepsRunInOrderAgainstTheEngineThenTheResourceIsSeeded()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var engine = await InProcessKumo.StartAsync();
        var builder = DistributedApplication.CreateBuilder();
        var kumo = builder.AddKumo("kumo").AllocateHttp(engine.Port);
        var order = new ConcurrentQueue<string>();

        KumoReadiness.AddReadyCallback(kumo, "create bucket 'orders'", async (context, token) =>
        {
            order.Enqueue("bucket");
            using var clients = KumoClients.Create(context.Endpoint);
            await clients.S3.PutBucketAsync(new PutBucketRequest { BucketName = "orders" }, token);
        });
        KumoReadiness.AddReadyCallback(kumo, "upload 'orders/welcome.txt'", async (context, token) =>
        {
            order.Enqueue("object");
            using var clients = KumoClients.Create(context.Endpoint);
            // Fails with NoSuchBucket unless the first step already ran.
            await clients.S3.PutObjectAsync(new PutObjectRequest { BucketName = "orders", Key = "welcome.txt", ContentBody = "hello" }, token);
        });
        using var app = builder.Build();

        var seeded = app.WaitForKumoSeededAsync("kumo", ct);
        await SimulatedDcp.BeforeStartAsync(builder, app, kumo.Resource);
        await SimulatedDcp.RunningAsync(app, kumo.Resource);
        Assert.False(seeded.IsCompleted, "Seeded before the resource was ready.");

        await SimulatedDcp.ReadyAsync(builder, app, kumo.Resource);
        await seeded.WaitAsync(Bound, ct);

        Assert.Equal(["bucket", "object"], order.ToArray());
        using var client = app.CreateKumoS3Client("kumo");
        using var response = await client.GetObjectAsync("orders", "welcome.txt", ct);
        using var reader = new StreamReader(response.ResponseStream);
        Assert.Equal("hello", await reader.ReadToEndAsync(ct));
    }

    [Fact]
    public async Task AFailingStepStopsTheChainFailsTheReadyEventAndIsReported()
    {
        var ct = TestContext.Current.CancellationToken;
        var builder = DistributedApplication.CreateBuilder();
        var kumo = builder.AddKumo("kumo").AllocateHttp(52330);
        var laterStepRan = false;

        KumoReadiness.AddReadyCallback(kumo, "seed manifest 'seed/orders.json'", (_, _) => throw new InvalidOperationException("queue 'orders-dlq' is referenced but not declared"));
        KumoReadiness.AddReadyCallback(kumo, "later step", (_, _) =>
        {
            laterStepRan = true;
            return Task.CompletedTask;
        });
        using var app = builder.Build();

        await SimulatedDcp.BeforeStartAsync(builder, app, kumo.Resource);
        await SimulatedDcp.RunningAsync(app, kumo.Resource);

        // Aspire keeps dependents waiting on this task, so a failure here keeps them from starting.
        await Assert.ThrowsAsync<InvalidOperationException>(() => SimulatedDcp.ReadyAsync(builder, app, kumo.Resource));

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => app.WaitForKumoSeededAsync("kumo", ct).WaitAsync(Bound, ct));
        Assert.Contains("seed manifest 'seed/orders.json' failed", ex.Message, StringComparison.Ordinal);
        Assert.Contains("queue 'orders-dlq' is referenced but not declared", ex.Message, StringComparison.Ordinal);
        Assert.False(laterStepRan);
    }

    [Fact]
    public async Task WithoutStepsTheResourceIsSeededAsSoonAsItIsReady()
    {
        var ct = TestContext.Current.CancellationToken;
        var builder = DistributedApplication.CreateBuilder();
        var kumo = builder.AddKumoEmbedded("kumo", enginePath: typeof(global::Kumo.Embedded.KumoEngine).Assembly.Location).AllocateHttp(52331);
        using var app = builder.Build();

        await SimulatedDcp.StartAsync(builder, app, kumo.Resource);

        await app.WaitForKumoSeededAsync("kumo", ct).WaitAsync(Bound, ct);
        Assert.True(app.ResourceNotifications.TryGetCurrentState("kumo", out var state));
        Assert.Contains(state!.Snapshot.Properties, p => p.Name == "kumo.seed" && Equals(p.Value, "Seeded"));

        // The dashboard shows the seed state without "Show all", under a readable name; bookkeeping stays behind it.
        var seed = Assert.Single(state.Snapshot.Properties, p => p.Name == "kumo.seed");
        Assert.True(seed.IsHighlighted);
        Assert.Equal("Seed", seed.DisplayName);
        var start = Assert.Single(state.Snapshot.Properties, p => p.Name == "kumo.start");
        Assert.False(start.IsHighlighted);
        Assert.Equal("Start generation", start.DisplayName);
    }

    [Fact]
    public async Task WaitForKumoSeededFailsWhenTheResourceExitsFirst()
    {
        var ct = TestContext.Current.CancellationToken;
        var builder = DistributedApplication.CreateBuilder();
        var kumo = builder.AddKumo("kumo");
        using var app = builder.Build();

        await app.ResourceNotifications.PublishUpdateAsync(kumo.Resource, s => s with { State = KnownResourceStates.Exited, ExitCode = 2 });

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => app.WaitForKumoSeededAsync("kumo", ct).WaitAsync(Bound, ct));
        Assert.Contains("'Exited'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("exit code 2", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WaitForKumoSeededHonoursCancellation()
    {
        var builder = DistributedApplication.CreateBuilder();
        builder.AddKumo("kumo");
        using var app = builder.Build();
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        cts.CancelAfter(TimeSpan.FromMilliseconds(200));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => app.WaitForKumoSeededAsync("kumo", cts.Token));
    }

    [Fact]
    public async Task AfterARestartWaitForKumoSeededWaitsForTheNewRunInsteadOfReturningOnThePreviousOne()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var engine = await InProcessKumo.StartAsync();
        var builder = DistributedApplication.CreateBuilder();
        var kumo = builder.AddKumo("kumo").AllocateHttp(engine.Port);
        var runs = 0;
        var secondRunMayFinish = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        KumoReadiness.AddReadyCallback(kumo, "count runs", async (_, token) =>
        {
            if (Interlocked.Increment(ref runs) == 2)
            {
                await secondRunMayFinish.Task.WaitAsync(token);
            }
        });
        using var app = builder.Build();
        await SimulatedDcp.StartAsync(builder, app, kumo.Resource);
        await app.WaitForKumoSeededAsync("kumo", ct).WaitAsync(Bound, ct);

        // A restart from the dashboard: the resource is Starting again while the previous run's "Seeded" is still shown.
        await app.ResourceNotifications.PublishUpdateAsync(kumo.Resource, s => s with { State = KnownResourceStates.Starting });
        var afterRestart = app.WaitForKumoSeededAsync("kumo", ct);
        await SimulatedDcp.BeforeStartAsync(builder, app, kumo.Resource);
        Assert.Equal("Pending", Property(app, "kumo.seed"));
        await SimulatedDcp.RunningAsync(app, kumo.Resource);
        var ready = SimulatedDcp.ReadyAsync(builder, app, kumo.Resource);
        await app.ResourceNotifications.WaitForResourceAsync("kumo", e => runs == 2 && e.Snapshot.Properties.Any(p => p.Name == "kumo.seed" && Equals(p.Value, "Seeding")), ct).WaitAsync(Bound, ct);

        Assert.False(afterRestart.IsCompleted, "WaitForKumoSeededAsync returned on the previous run's seed state.");
        secondRunMayFinish.SetResult();
        await ready.WaitAsync(Bound, ct);
        await afterRestart.WaitAsync(Bound, ct);
        Assert.Equal(2, runs);
    }

    [Fact]
    public async Task AfterARestartOnlyTheNewProcessesExitEndsTheWaitNotTheStoppedOnesLateExit()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var engine = await InProcessKumo.StartAsync();
        var builder = DistributedApplication.CreateBuilder();
        var kumo = builder.AddKumo("kumo").AllocateHttp(engine.Port);
        using var app = builder.Build();

        // The order seen on a loaded machine: the new start's generation is published (before-start), and only then
        // does DCP report that the stopped process finished (exit code 0), before the new process starts.
        var before = await SeedThenRestartAsync(builder, app, kumo.Resource, ct);
        var afterRestart = app.WaitForKumoSeededAfterStartAsync("kumo", afterStart: before, ct);
        await app.ResourceNotifications.PublishUpdateAsync(kumo.Resource, s => s with { State = KnownResourceStates.Finished, ExitCode = 0 });
        await app.ResourceNotifications.PublishUpdateAsync(kumo.Resource, s => s with { State = KnownResourceStates.Starting, ExitCode = null });
        await SimulatedDcp.RunningAsync(app, kumo.Resource);
        await SimulatedDcp.ReadyAsync(builder, app, kumo.Resource).WaitAsync(Bound, ct);

        await afterRestart.WaitAsync(Bound, ct); // threw "reached state 'Finished' (exit code 0) before it was seeded"
        Assert.Equal(before + 1, app.GetKumoStartGeneration("kumo"));
        Assert.Equal("Seeded", Property(app, "kumo.seed"));

        // Another restart whose new process exits before it is seeded: that exit still ends the wait, with its code.
        await SimulatedDcp.BeforeStartAsync(builder, app, kumo.Resource);
        var afterCrash = app.WaitForKumoSeededAfterStartAsync("kumo", afterStart: before + 1, ct);
        await app.ResourceNotifications.PublishUpdateAsync(kumo.Resource, s => s with { State = KnownResourceStates.Starting });
        await app.ResourceNotifications.PublishUpdateAsync(kumo.Resource, s => s with { State = KnownResourceStates.Exited, ExitCode = 3 });

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => afterCrash.WaitAsync(Bound, ct));
        Assert.Contains("exit code 3", ex.Message, StringComparison.Ordinal);
    }

    /// <summary>A whole start seeded, then a restart up to its before-start (the new generation); returns the generation before it.</summary>
    private static async Task<int> SeedThenRestartAsync(IDistributedApplicationBuilder builder, DistributedApplication app, IResource resource, CancellationToken ct)
    {
        await SimulatedDcp.StartAsync(builder, app, resource);
        await app.WaitForKumoSeededAsync(resource.Name, ct).WaitAsync(Bound, ct);
        var before = app.GetKumoStartGeneration(resource.Name);
        await SimulatedDcp.BeforeStartAsync(builder, app, resource);
        return before;
    }

    [Theory]
    [InlineData("Starting", "Seeded", false)] // a restart before the new run reset the seed state

    [InlineData("Starting", "Failed", false)] // the same after a failed run
    [InlineData("Running", "Pending", false)]
    [InlineData("Running", "Seeding", false)]
    [InlineData("Running", "Seeded", true)]
    [InlineData("Running", "Restored", true)]
    [InlineData("Seed failed", "Failed", true)]
    [InlineData("Exited", "Seeded", true)] // settled, and reported as "stopped before it was seeded"
    [InlineData("FailedToStart", null, true)]
    public void OnlyTheCurrentRunsOutcomeSettlesTheWait(string state, string? seed, bool settled)
    {
        var snapshot = new CustomResourceSnapshot
        {
            ResourceType = "Container",
            State = state,
            Properties = seed is null ? [] : [new ResourcePropertySnapshot("kumo.seed", seed)],
        };

        Assert.Equal(settled, KumoDistributedApplicationExtensions.IsSettled(snapshot));
    }

    private static string? Property(DistributedApplication app, string name) => ResourceProperties.Of(app, name);

    [Fact]
    public void AddReadyCallbackValidatesItsArguments()
    {
        var kumo = DistributedApplication.CreateBuilder().AddKumo("kumo");

        Assert.Throws<ArgumentException>("name", () => KumoReadiness.AddReadyCallback(kumo, " ", (_, _) => Task.CompletedTask));
        Assert.Throws<ArgumentNullException>("callback", () => KumoReadiness.AddReadyCallback(kumo, "step", null!));
    }
}
