using Amazon.DynamoDBv2;
using Amazon.S3;
using Amazon.SQS;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Kumo.Aspire.Hosting.Seeding;
using Kumo.Aspire.Hosting.State;
using Kumo.Clients;
using Kumo.Seeding;
using Kumo.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Kumo.Aspire.Hosting.Testing;

/// <summary>
/// Test helpers for a started <see cref="DistributedApplication"/> that contains kumo resources.
/// </summary>
/// <remarks>
/// <para>
/// The clients come from the core's <see cref="KumoClients"/>: path-style S3, checksums only when required, dummy
/// credentials, region <c>us-east-1</c>, and S3 uploads sent as plain bodies (never <c>aws-chunked</c>, which kumo cannot
/// decode) — every client is kumo-safe without per-request settings.
/// </para>
/// <code lang="csharp">
/// var appHost = await DistributedApplicationTestingBuilder.CreateAsync&lt;Projects.AppHost&gt;(ct);
/// appHost.WithKumoRunContext(new KumoRunContext(KumoRunContext.Current.RunId, "orders-tests"));
/// await using var app = await appHost.BuildAsync(ct);
/// await app.StartAsync(ct);
/// await app.WaitForKumoSeededAsync("kumo", ct);
///
/// using var s3 = app.CreateKumoS3Client("kumo");
/// try { /* test */ }
/// catch (Exception ex) { await app.WriteKumoFailureArtifactsAsync("kumo", nameof(MyTest), ex); throw; }
/// </code>
/// </remarks>
public static class KumoDistributedApplicationExtensions
{
    /// <summary>
    /// Gets the URL of a kumo resource's HTTP endpoint as seen from the test process (the host network).
    /// </summary>
    /// <param name="app">The started application.</param>
    /// <param name="resourceName">The name of the kumo resource.</param>
    /// <returns>The endpoint, e.g. <c>http://localhost:52311/</c>.</returns>
    /// <exception cref="ArgumentException">There is no resource named <paramref name="resourceName"/>, or it is not a kumo resource.</exception>
    /// <exception cref="InvalidOperationException">The endpoint has not been allocated yet (the application has not started).</exception>
    public static Uri GetKumoEndpoint(this DistributedApplication app, string resourceName)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentException.ThrowIfNullOrEmpty(resourceName);

        var kumo = FindKumo(app, resourceName);
        if (!kumo.PrimaryEndpoint.IsAllocated)
        {
            throw new InvalidOperationException(
                $"The endpoint '{kumo.PrimaryEndpoint.EndpointName}' of the kumo resource '{kumo.Name}' is not allocated yet. Start the application (await app.StartAsync()) before creating clients.");
        }

        return new Uri(kumo.PrimaryEndpoint.Url, UriKind.Absolute);
    }

    /// <summary>
    /// Creates a kumo-safe S3 client for a kumo resource (see <see cref="KumoClients"/>).
    /// </summary>
    /// <param name="app">The started application.</param>
    /// <param name="resourceName">The name of the kumo resource.</param>
    /// <returns>A new client; the caller disposes it.</returns>
    /// <remarks>Uploads (<c>PutObject</c>, <c>UploadPart</c>) are sent as plain bodies, which kumo requires; no request needs <c>UseChunkEncoding = false</c>.</remarks>
    /// <exception cref="ArgumentException">There is no resource named <paramref name="resourceName"/>, or it is not a kumo resource.</exception>
    /// <exception cref="InvalidOperationException">The endpoint has not been allocated yet.</exception>
    public static IAmazonS3 CreateKumoS3Client(this DistributedApplication app, string resourceName)
    {
        var endpoint = GetKumoEndpoint(app, resourceName);
        return KumoClientFactory.CreateS3Client(KumoClientFactory.CreateS3Config(endpoint));
    }

    /// <summary>
    /// Creates an SQS client for a kumo resource (see <see cref="KumoClients"/>).
    /// </summary>
    /// <param name="app">The started application.</param>
    /// <param name="resourceName">The name of the kumo resource.</param>
    /// <returns>A new client; the caller disposes it.</returns>
    /// <remarks>kumo returns queue URLs on port 4566 whatever the mapped port is; it matches queues by path, so keep using this client's endpoint.</remarks>
    /// <exception cref="ArgumentException">There is no resource named <paramref name="resourceName"/>, or it is not a kumo resource.</exception>
    /// <exception cref="InvalidOperationException">The endpoint has not been allocated yet.</exception>
    public static IAmazonSQS CreateKumoSqsClient(this DistributedApplication app, string resourceName)
    {
        var endpoint = GetKumoEndpoint(app, resourceName);
        return KumoClientFactory.CreateSqsClient(KumoClientFactory.CreateSqsConfig(endpoint));
    }

    /// <summary>
    /// Creates a kumo-safe DynamoDB client for a kumo resource (see <see cref="KumoClients"/>).
    /// </summary>
    /// <param name="app">The started application.</param>
    /// <param name="resourceName">The name of the kumo resource.</param>
    /// <returns>A new client; the caller disposes it.</returns>
    /// <remarks>
    /// For the object persistence model, build a context over it:
    /// <c>new DynamoDBContextBuilder().WithDynamoDBClient(() =&gt; dynamo).Build()</c>.
    /// </remarks>
    /// <example>
    /// <code>
    /// using IAmazonDynamoDB dynamo = app.CreateKumoDynamoDBClient("kumo");
    /// var item = await dynamo.GetItemAsync("orders", new() { ["id"] = new AttributeValue("o-1") });
    /// </code>
    /// </example>
    /// <exception cref="ArgumentException">There is no resource named <paramref name="resourceName"/>, or it is not a kumo resource.</exception>
    /// <exception cref="InvalidOperationException">The endpoint has not been allocated yet.</exception>
    public static IAmazonDynamoDB CreateKumoDynamoDBClient(this DistributedApplication app, string resourceName)
    {
        var endpoint = GetKumoEndpoint(app, resourceName);
        return KumoClientFactory.CreateDynamoDBClient(KumoClientFactory.CreateDynamoDBConfig(endpoint));
    }

    /// <summary>
    /// Gets the run and worker ids that <c>{run}</c> and <c>{worker}</c> in a kumo resource's seed plans resolve to, so a
    /// test can compute the names it seeded (e.g. with <c>plan.Resolve(context.ToSeedContext())</c> or
    /// <see cref="ResourceNames.Namespaced(string, KumoRunContext)"/>).
    /// </summary>
    /// <param name="app">The application.</param>
    /// <param name="resourceName">The name of the kumo resource.</param>
    /// <returns>The resource's own context (<c>WithRunContext</c>), else the application's (<see cref="KumoTestingBuilderExtensions.WithKumoRunContext(IDistributedApplicationBuilder, KumoRunContext)"/>), else <see cref="KumoRunContext.Current"/>.</returns>
    /// <exception cref="ArgumentException">There is no resource named <paramref name="resourceName"/>, or it is not a kumo resource.</exception>
    public static KumoRunContext GetKumoRunContext(this DistributedApplication app, string resourceName)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentException.ThrowIfNullOrEmpty(resourceName);

        return KumoAppRunContext.For(FindKumo(app, resourceName), app.Services);
    }

    /// <summary>
    /// Waits until a kumo resource runs, is healthy, and is seeded (or restored from its snapshot) in its current run.
    /// </summary>
    /// <param name="app">The application.</param>
    /// <param name="resourceName">The name of the kumo resource.</param>
    /// <param name="cancellationToken">Bounds the wait; pass a token with a timeout.</param>
    /// <returns>A task that completes when the resource is ready for tests.</returns>
    /// <remarks>
    /// Every start (including a restart from the dashboard or <c>ResourceCommands</c>) resets the seed state before the
    /// engine starts, and "seeded" only counts while the resource is <c>Running</c>; so after a restart this waits for the
    /// new run's seed instead of returning on the previous one.
    /// </remarks>
    /// <exception cref="ArgumentException">There is no resource named <paramref name="resourceName"/>, or it is not a kumo resource.</exception>
    /// <exception cref="InvalidOperationException">Seeding or restoring failed, or the resource stopped before it was seeded.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was canceled first.</exception>
    public static Task WaitForKumoSeededAsync(this DistributedApplication app, string resourceName, CancellationToken cancellationToken = default) =>
        WaitForSeedAsync(app, resourceName, afterStart: null, cancellationToken);

    /// <summary>
    /// Waits until a kumo resource is seeded (or restored from its snapshot) in a start later than
    /// <paramref name="afterStart"/>, e.g. after a restart.
    /// </summary>
    /// <param name="app">The application.</param>
    /// <param name="resourceName">The name of the kumo resource.</param>
    /// <param name="afterStart">A start generation read before the restart with <see cref="GetKumoStartGeneration"/>.</param>
    /// <param name="cancellationToken">Bounds the wait; pass a token with a timeout.</param>
    /// <returns>A task that completes when the resource is ready for tests.</returns>
    /// <remarks>
    /// Every start publishes its generation (the <c>kumo.start</c> property: 1, then one more per restart) in the same
    /// update that resets the seed state, so a seed state seen with a newer generation can only belong to the new
    /// process; the stopped process's state, which Aspire may still show right after the restart, cannot end the wait.
    /// Nor can its exit, which DCP may report after the new generation: a stop counts only after the new process was
    /// seen starting (a wait that begins after a quick crash of the new process then ends at the token's timeout).
    /// </remarks>
    /// <example>
    /// <code>
    /// int before = app.GetKumoStartGeneration("kumo");
    /// await app.ResourceCommands.ExecuteCommandAsync("kumo", KnownResourceCommands.RestartCommand, ct);
    /// await app.WaitForKumoSeededAfterStartAsync("kumo", afterStart: before, ct);
    /// </code>
    /// </example>
    /// <exception cref="ArgumentException">There is no resource named <paramref name="resourceName"/>, or it is not a kumo resource.</exception>
    /// <exception cref="InvalidOperationException">Seeding or restoring failed, or the resource stopped before it was seeded.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was canceled first.</exception>
    public static Task WaitForKumoSeededAfterStartAsync(this DistributedApplication app, string resourceName, int afterStart, CancellationToken cancellationToken = default) =>
        WaitForSeedAsync(app, resourceName, afterStart, cancellationToken);

    /// <summary>The start generation of a kumo resource: 0 before its first start, 1 after it, one more for every restart.</summary>
    /// <param name="app">The application.</param>
    /// <param name="resourceName">The name of the kumo resource.</param>
    /// <returns>The generation its current snapshot shows.</returns>
    /// <exception cref="ArgumentException">There is no resource named <paramref name="resourceName"/>, or it is not a kumo resource.</exception>
    public static int GetKumoStartGeneration(this DistributedApplication app, string resourceName)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentException.ThrowIfNullOrEmpty(resourceName);

        var kumo = FindKumo(app, resourceName);
        var notifications = app.Services.GetRequiredService<ResourceNotificationService>();
        return notifications.TryGetCurrentState(kumo.Name, out var current) ? KumoResourceState.StartGeneration(current.Snapshot) : 0;
    }

    private static async Task WaitForSeedAsync(DistributedApplication app, string resourceName, int? afterStart, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentException.ThrowIfNullOrEmpty(resourceName);

        var kumo = FindKumo(app, resourceName);
        var notifications = app.Services.GetRequiredService<ResourceNotificationService>();

        // After a restart the stopped process's exit can be published after the new start's generation (DCP reports it
        // late), so in the new generation a terminal state counts only once the new process was seen starting, or when
        // it can only be the new start's (FailedToStart). A seeded state there is always the new process's: the new
        // generation resets the seed state, and only the new start's seeder sets it again.
        bool newProcessSeen = afterStart is null;
        var resourceEvent = await notifications.WaitForResourceAsync(
            kumo.Name,
            e =>
            {
                if (afterStart is { } before)
                {
                    if (KumoResourceState.StartGeneration(e.Snapshot) <= before)
                    {
                        return false;
                    }

                    string? state = e.Snapshot.State?.Text;
                    newProcessSeen |= state == KnownResourceStates.Starting || state == KnownResourceStates.FailedToStart;
                    if (IsTerminal(e.Snapshot) && !newProcessSeen)
                    {
                        return false;
                    }
                }

                return IsSettled(e.Snapshot);
            },
            cancellationToken).ConfigureAwait(false);

        var snapshot = resourceEvent.Snapshot;
        if (SeedState(snapshot) == KumoSeedState.Failed)
        {
            throw new InvalidOperationException(
                $"The kumo resource '{kumo.Name}' failed to seed: {KumoResourceState.Property(snapshot, KumoProperties.SeedError) ?? "no error recorded"}. See the resource's log for the full exception.");
        }

        if (IsTerminal(snapshot))
        {
            throw new InvalidOperationException(
                $"The kumo resource '{kumo.Name}' reached state '{snapshot.State?.Text}' (exit code {snapshot.ExitCode?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none"}) before it was seeded. See the resource's log.");
        }
    }

    /// <summary>
    /// Writes what is needed to understand a failed test against a kumo resource — the resource's log (engine output and
    /// seeding), a state dump of the engine, the seed manifest and the snapshot manifest — with the core's
    /// <see cref="FailureArtifacts"/>, under <c>&lt;root&gt;/kumo/&lt;run&gt;/&lt;worker&gt;/&lt;test&gt;/</c>.
    /// </summary>
    /// <param name="app">The application.</param>
    /// <param name="resourceName">The name of the kumo resource.</param>
    /// <param name="testName">The test's name (made file-system safe).</param>
    /// <param name="failure">The failure, saved with its stack trace.</param>
    /// <param name="rootDirectory">The results root; <see cref="FailureArtifacts.DefaultRoot"/> (<c>TestResults</c>) when null.</param>
    /// <param name="cancellationToken">Cancels collecting and writing.</param>
    /// <returns>The directory and the files written; parts that could not be saved are listed in <see cref="FailureArtifactSet.Problems"/>.</returns>
    /// <remarks>
    /// <para>
    /// The run and worker are the resource's (<see cref="GetKumoRunContext"/>). The state dump is taken only when the
    /// endpoint is allocated; an unreachable engine gives a partial dump with its errors instead of an exception. Only the
    /// first seed manifest of the resource is copied.
    /// </para>
    /// <code lang="csharp">
    /// catch (Exception ex)
    /// {
    ///     var saved = await app.WriteKumoFailureArtifactsAsync("kumo", TestContext.Current.Test!.TestDisplayName, ex);
    ///     TestContext.Current.SendDiagnosticMessage($"kumo artifacts: {saved.Directory}");
    ///     throw;
    /// }
    /// </code>
    /// </remarks>
    /// <exception cref="ArgumentException">There is no resource named <paramref name="resourceName"/>, or it is not a kumo resource, or <paramref name="testName"/> is empty.</exception>
    public static async Task<FailureArtifactSet> WriteKumoFailureArtifactsAsync(
        this DistributedApplication app,
        string resourceName,
        string testName,
        Exception? failure = null,
        string? rootDirectory = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentException.ThrowIfNullOrEmpty(resourceName);
        ArgumentException.ThrowIfNullOrWhiteSpace(testName);

        var kumo = FindKumo(app, resourceName);
        var logs = await KumoResourceLogs.ReadAsync(app.Services.GetRequiredService<ResourceLoggerService>(), kumo, cancellationToken).ConfigureAwait(false);

        KumoStateDump? dump = null;
        if (kumo.PrimaryEndpoint.IsAllocated)
        {
            using var clients = KumoClients.Create(new Uri(kumo.PrimaryEndpoint.Url, UriKind.Absolute), config => config.MaxErrorRetry = 0);
            dump = await KumoStateDump.CaptureAsync(clients, cancellationToken).ConfigureAwait(false);
        }

        var content = new FailureArtifactContent
        {
            SeedManifestPath = kumo.Annotations.OfType<KumoSeedAnnotation>().Select(s => s.ManifestPath).FirstOrDefault(p => p is not null),
            SnapshotManifestPath = KumoResourceState.CurrentProperty(app.Services.GetRequiredService<ResourceNotificationService>(), kumo, KumoProperties.SnapshotManifest),
            EngineLog = logs,
            StateDump = dump,
            Failure = failure,
        };

        return await FailureArtifacts.WriteAsync(rootDirectory ?? FailureArtifacts.DefaultRoot, KumoAppRunContext.For(kumo, app.Services), testName, content, cancellationToken).ConfigureAwait(false);
    }

    private static IKumoResource FindKumo(DistributedApplication app, string resourceName)
    {
        var model = app.Services.GetRequiredService<DistributedApplicationModel>();
        var resource = model.Resources.FirstOrDefault(r => string.Equals(r.Name, resourceName, StringComparison.OrdinalIgnoreCase));
        return resource switch
        {
            IKumoResource kumo => kumo,
            null => throw new ArgumentException(
                $"The application has no resource named '{resourceName}'. kumo resources: {Describe(model.Resources.OfType<IKumoResource>())}.",
                nameof(resourceName)),
            _ => throw new ArgumentException(
                $"The resource '{resource.Name}' is a {resource.GetType().Name}, not a kumo resource. kumo resources: {Describe(model.Resources.OfType<IKumoResource>())}.",
                nameof(resourceName)),
        };
    }

    private static string Describe(IEnumerable<IKumoResource> resources)
    {
        var names = resources.Select(r => $"'{r.Name}'").ToArray();
        return names.Length == 0 ? "none (add one with AddKumo, AddKumoEmbedded or AddKumoBinary)" : string.Join(", ", names);
    }

    /// <summary>
    /// Stopped, or seeded (or restored) while running, or failed — except while <c>Starting</c>, when the seed state may
    /// still be the previous run's (a restart publishes <c>Starting</c> just before it resets the seed state).
    /// </summary>
    internal static bool IsSettled(CustomResourceSnapshot snapshot) =>
        IsTerminal(snapshot)
        || (SeedState(snapshot) == KumoSeedState.Failed && snapshot.State?.Text != KnownResourceStates.Starting)
        || (KumoSeedState.IsReady(SeedState(snapshot)) && snapshot.State?.Text == KnownResourceStates.Running);

    private static string? SeedState(CustomResourceSnapshot snapshot) => KumoResourceState.Property(snapshot, KumoProperties.Seed);

    private static bool IsTerminal(CustomResourceSnapshot snapshot) =>
        snapshot.State?.Text is { } state && KnownResourceStates.TerminalStates.Contains(state);
}
