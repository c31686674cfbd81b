using System.Diagnostics;
using Amazon.DynamoDBv2;
using Amazon.S3;
using Amazon.SQS;
using Kumo.Clients;
using Kumo.Engines;
using Kumo.Seeding;
using Kumo.Snapshots;
using Kumo.Storage;
using Xunit;

namespace Kumo.Testing;

/// <summary>
/// An xunit.v3 fixture that gives a test class (or collection, or assembly) its own engine, already
/// holding a seed plan's buckets, objects, queues and messages — restored from a snapshot that is
/// built once and shared by every fixture, process and (with a cached directory) CI job.
/// </summary>
/// <remarks>
/// <para>
/// <see cref="InitializeAsync"/> resolves the plan for <see cref="RunContext"/> (<c>KUMO_RUN_ID</c>,
/// <c>KUMO_WORKER_ID</c> or CI variables), computes its content hash, gets or builds the snapshot
/// in <see cref="KumoSnapshotDirectory"/> (<c>KUMO_SNAPSHOT_DIR</c>; exactly one process builds, the
/// others wait and reuse), restores it into a data directory of its own under
/// <c>&lt;snapshot dir&gt;/.work/</c>, and starts the embedded engine as a process on it on a free
/// loopback port. <see cref="DisposeAsync"/> stops the engine and deletes that directory; the
/// directories of processes that died are swept by the next fixture.
/// </para>
/// <para>
/// Every fixture instance has its own engine, so fixtures running in parallel never see each
/// other's writes, whatever the names. <c>{run}</c> and <c>{worker}</c> in plan names still work
/// (<see cref="Names"/> maps them), but they make the snapshot specific to the run or worker;
/// plain names let one snapshot serve every run.
/// </para>
/// <para>
/// Put <c>[assembly: KumoArtifactsOnFailure]</c> (or the attribute on a class) in the test project
/// and every failed test of a class using a <see cref="KumoFixture"/> leaves the seed manifest, the
/// snapshot manifest, the engine log and a state dump under
/// <c>TestResults/kumo/&lt;run&gt;/&lt;worker&gt;/&lt;test&gt;/</c>; see
/// <see cref="WriteFailureArtifactsAsync"/> to do it by hand.
/// </para>
/// <para>
/// Supply the plan with the manifest-path or builder constructor, or override <see cref="CreatePlan"/>.
/// The other <c>protected virtual</c> members choose the run context, snapshot directory, engine,
/// engine options and artifacts root.
/// </para>
/// </remarks>
/// <example>
/// <code>
/// public sealed class OrdersFixture() : KumoFixture(seed => seed
///     .Bucket("orders", b => b.Object("1.json", "{\"id\":1}"))
///     .Queue("jobs", q => q.Message("job-1")));
///
/// public sealed class OrdersTests(OrdersFixture kumo) : IClassFixture&lt;OrdersFixture&gt;
/// {
///     [Fact]
///     public async Task Order_is_seeded()
///     {
///         var order = await kumo.S3.GetObjectAsync(kumo.Names["orders"], "1.json", TestContext.Current.CancellationToken);
///         Assert.Equal(HttpStatusCode.OK, order.HttpStatusCode);
///     }
/// }
/// </code>
/// </example>
public abstract class KumoFixture : IAsyncLifetime
{
    /// <summary>The fixture version given to plans made by the builder constructor, unless the callback sets one.</summary>
    public const string DefaultFixtureVersion = "1";

    /// <summary>The subdirectory of the snapshot directory that holds the fixtures' working directories.</summary>
    internal const string WorkDirectoryName = ".work";

    /// <summary>The engine's data directory inside a fixture's working directory.</summary>
    internal const string DataDirectoryName = "data";

    /// <summary>The engine's log inside a fixture's working directory (outside the data directory).</summary>
    internal const string EngineLogFileName = "engine.log";

    private const int ArtifactLogLines = 200;
    private const int MaxFixtureNameLength = 40;
    private static readonly TimeSpan StopGracePeriod = TimeSpan.FromSeconds(10);

    private readonly Func<SeedPlan>? _planFactory;
    private Started? _started;

    /// <summary>Creates a fixture whose plan comes from <see cref="CreatePlan"/>, which the subclass overrides.</summary>
    protected KumoFixture()
    {
    }

    /// <summary>Creates a fixture whose plan is the seed manifest at <paramref name="manifestPath"/>.</summary>
    /// <param name="manifestPath">The manifest; a relative path is relative to <see cref="AppContext.BaseDirectory"/> (copy it to the output directory).</param>
    protected KumoFixture(string manifestPath)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(manifestPath);
        _planFactory = () => SeedManifest.Load(Path.Combine(AppContext.BaseDirectory, manifestPath));
    }

    /// <summary>Creates a fixture whose plan is built in C#.</summary>
    /// <param name="seed">Adds buckets and queues; the fixture version is <see cref="DefaultFixtureVersion"/> unless it sets one. File paths are relative to <see cref="AppContext.BaseDirectory"/>.</param>
    protected KumoFixture(Action<SeedPlanBuilder> seed)
    {
        ArgumentNullException.ThrowIfNull(seed);
        _planFactory = () =>
        {
            SeedPlanBuilder builder = new SeedPlanBuilder().FixtureVersion(DefaultFixtureVersion);
            seed(builder);
            return builder.Build();
        };
    }

    /// <summary>True once <see cref="InitializeAsync"/> has completed and until <see cref="DisposeAsync"/>.</summary>
    public bool IsStarted => Volatile.Read(ref _started) is not null;

    /// <summary>The engine's base URL, e.g. <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri Endpoint => Require().Engine.Endpoint;

    /// <summary>A kumo-safe S3 client for the engine (<see cref="KumoClients"/>); owned by the fixture.</summary>
    public IAmazonS3 S3 => Require().Clients.S3;

    /// <summary>A kumo-safe SQS client for the engine (<see cref="KumoClients"/>); owned by the fixture.</summary>
    public IAmazonSQS Sqs => Require().Clients.Sqs;

    /// <summary>A kumo-safe DynamoDB client for the engine (<see cref="KumoClients"/>); owned by the fixture.</summary>
    public IAmazonDynamoDB DynamoDB => Require().Clients.DynamoDB;

    /// <summary>The run and worker the plan was resolved for and artifacts are filed under.</summary>
    public KumoRunContext RunContext => Require().Context;

    /// <summary>Maps names as written in the plan (e.g. <c>orders-{run}</c>) to the engine's concrete names.</summary>
    public KumoNames Names => Require().Names;

    /// <summary>The seed plan.</summary>
    public SeedPlan Plan => Require().Resolved.Plan;

    /// <summary>The plan with concrete names.</summary>
    public ResolvedSeedPlan ResolvedPlan => Require().Resolved;

    /// <summary>The snapshot the engine started from; <see cref="Snapshot.Built"/> tells whether this fixture built it.</summary>
    public Snapshot Snapshot => Require().Snapshot;

    /// <summary>The engine's data directory, restored from <see cref="Snapshot"/>.</summary>
    public RestoredDataDir DataDir => Require().Data;

    /// <summary>The engine process.</summary>
    public RunningEngine Engine => Require().Engine;

    /// <summary>This fixture's working directory (data directory and engine log); deleted on dispose.</summary>
    public string WorkDirectory => Require().WorkDirectory;

    /// <summary>How long <see cref="InitializeAsync"/> took (snapshot, restore and engine start).</summary>
    public TimeSpan StartupTime => Require().StartupTime;

    /// <summary>Gets or builds the snapshot, restores it and starts the engine.</summary>
    /// <returns>A task that completes when the engine is healthy.</returns>
    /// <exception cref="InvalidOperationException">The fixture was already initialized, or no plan was supplied.</exception>
    /// <exception cref="SeedManifestException">The plan is invalid; the message names the file, the JSON pointer and the fix.</exception>
    /// <exception cref="SnapshotBuildException">Building the snapshot failed.</exception>
    /// <exception cref="EngineStartException">The engine did not become healthy.</exception>
    public async ValueTask InitializeAsync()
    {
        if (IsStarted)
        {
            throw new InvalidOperationException($"{GetType().Name} is already initialized; xunit initializes each fixture once.");
        }

        CancellationToken cancellationToken = TestContext.Current.CancellationToken;
        var clock = Stopwatch.StartNew();
        SeedPlan plan = CreatePlan() ?? throw new InvalidOperationException($"{GetType().Name}.{nameof(CreatePlan)} returned null. Fix: return a SeedPlan.");
        KumoRunContext context = CreateRunContext() ?? throw new InvalidOperationException($"{GetType().Name}.{nameof(CreateRunContext)} returned null. Fix: return a KumoRunContext, e.g. KumoRunContext.Current.");
        ResolvedSeedPlan resolved = plan.Resolve(context.ToSeedContext());
        EngineDefinition engine = CreateEngineDefinition();
        var store = new SnapshotStore(GetSnapshotDirectory());
        SnapshotRequest request = await PlanSnapshots.CreateRequestAsync([resolved], engine, cancellationToken: cancellationToken).ConfigureAwait(false);
        string work = PlanSnapshots.NewOwnedDirectory(Path.Combine(store.Root, WorkDirectoryName), id => $"{context.RunId}-{context.WorkerId}-{FixtureName()}-{id}");
        RunningEngine? running = null;
        KumoClients? clients = null;
        try
        {
            Directory.CreateDirectory(work);
            RestoredSnapshot restored = await PlanSnapshots.GetAndRestoreAsync(store, request, Path.Combine(work, DataDirectoryName), cancellationToken).ConfigureAwait(false);
            Snapshot snapshot = restored.Snapshot;
            RestoredDataDir data = restored.DataDirectory;
            EngineStartOptions options = CreateEngineStartOptions(data.Path, Path.Combine(work, EngineLogFileName));
            running = await EngineProcess.StartAsync(engine, options, cancellationToken).ConfigureAwait(false);
            clients = KumoClients.Create(running.Endpoint);
            Volatile.Write(ref _started, new Started(context, resolved, new KumoNames(resolved, context), snapshot, data, running, clients, work, clock.Elapsed));
        }
        catch
        {
            clients?.Dispose();
            if (running is not null)
            {
                await running.DisposeAsync().ConfigureAwait(false);
            }

            DeleteDirectory(work);
            throw;
        }
    }

    /// <summary>Stops the engine and deletes the working directory (the snapshot stays).</summary>
    /// <returns>A task that completes when the engine has exited.</returns>
    public async ValueTask DisposeAsync()
    {
        Started? started = Interlocked.Exchange(ref _started, null);
        if (started is null)
        {
            return;
        }

        try
        {
            started.Clients.Dispose();
            await started.Engine.StopAsync(StopGracePeriod, CancellationToken.None).ConfigureAwait(false);
        }
        finally
        {
            await started.Engine.DisposeAsync().ConfigureAwait(false);
            DeleteDirectory(started.WorkDirectory);
            GC.SuppressFinalize(this);
        }
    }

    /// <summary>
    /// Saves what explains a failed test — seed manifest (when the plan came from a file), snapshot
    /// manifest, the engine's last log lines, a dump of the engine's state and the failure — under
    /// <c>&lt;artifacts root&gt;/kumo/&lt;run&gt;/&lt;worker&gt;/&lt;test&gt;/</c>.
    /// </summary>
    /// <param name="testName">The test's name (made file-system safe).</param>
    /// <param name="failure">The failure's messages and stack traces; null writes no <c>failure.txt</c>.</param>
    /// <param name="cancellationToken">Cancels the dump and the writes.</param>
    /// <returns>The directory and files written, and any part that could not be saved.</returns>
    /// <exception cref="InvalidOperationException">The fixture is not started.</exception>
    public async Task<FailureArtifactSet> WriteFailureArtifactsAsync(string testName, string? failure, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(testName);
        Started started = Require();
        KumoStateDump dump = await KumoStateDump.CaptureAsync(started.Clients, cancellationToken).ConfigureAwait(false);
        string? manifest = started.Resolved.Plan.SourcePath is { } source && Path.IsPathFullyQualified(source) ? source : null;
        var content = new FailureArtifactContent
        {
            SeedManifestPath = manifest,
            SnapshotManifestPath = started.Snapshot.ManifestPath,
            EngineLog = started.Engine.LogTail(ArtifactLogLines),
            StateDump = dump,
            FailureText = failure,
        };
        return await FailureArtifacts.WriteAsync(GetArtifactsRoot(), started.Context, testName, content, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public override string ToString() =>
        Volatile.Read(ref _started) is { } started
            ? $"{GetType().Name}: {started.Engine} on {started.Snapshot} ({started.Context})"
            : $"{GetType().Name} (not started)";

    /// <summary>Creates the seed plan. The default uses the manifest path or builder given to the constructor.</summary>
    /// <returns>The plan.</returns>
    /// <exception cref="InvalidOperationException">No plan was given to the constructor and this was not overridden.</exception>
    protected virtual SeedPlan CreatePlan() =>
        _planFactory is { } factory
            ? factory()
            : throw new InvalidOperationException(
                $"{GetType().Name} has no seed plan. Fix: call the KumoFixture(string manifestPath) or KumoFixture(Action<SeedPlanBuilder>) constructor, or override CreatePlan().");

    /// <summary>The run and worker to resolve the plan for. Default <see cref="KumoRunContext.Current"/>.</summary>
    /// <returns>The context.</returns>
    protected virtual KumoRunContext CreateRunContext() => KumoRunContext.Current;

    /// <summary>The snapshot store directory. Default <see cref="KumoSnapshotDirectory.Resolve()"/> (<c>KUMO_SNAPSHOT_DIR</c>).</summary>
    /// <returns>The directory (created on first use).</returns>
    protected virtual string GetSnapshotDirectory() => KumoSnapshotDirectory.Resolve();

    /// <summary>The engine to build snapshots with and run. Default <see cref="EngineDefinition.Embedded()"/> (<c>KUMO_EMBEDDED_PATH</c>, else the copy next to the tests).</summary>
    /// <returns>The engine.</returns>
    protected virtual EngineDefinition CreateEngineDefinition() => EngineDefinition.Embedded();

    /// <summary>How the engine is started. Default: the restored data directory, a free loopback port, the log file in the working directory.</summary>
    /// <param name="dataDirectory">The restored data directory.</param>
    /// <param name="logFile">The log file (outside the data directory).</param>
    /// <returns>The options.</returns>
    protected virtual EngineStartOptions CreateEngineStartOptions(string dataDirectory, string logFile) =>
        new() { DataDir = dataDirectory, LogFile = logFile };

    /// <summary>Where failure artifacts go. Default <see cref="FailureArtifacts.DefaultRoot"/> (<c>TestResults</c> under the current directory).</summary>
    /// <returns>The results root.</returns>
    protected virtual string GetArtifactsRoot() => FailureArtifacts.DefaultRoot;

    private static void DeleteDirectory(string directory)
    {
        try
        {
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Left for StaleTemporaryFiles: the name carries this process's id.
        }
    }

    private string FixtureName()
    {
        string name = ResourceNames.Clean(GetType().Name);
        name = name.Length > MaxFixtureNameLength ? name[..MaxFixtureNameLength].TrimEnd('-') : name;
        return name.Length == 0 ? "fixture" : name;
    }

    private Started Require() =>
        Volatile.Read(ref _started) ?? throw new InvalidOperationException(
            $"{GetType().Name} is not started: xunit starts it when it is used as IClassFixture<>, ICollectionFixture<> or [assembly: AssemblyFixture], before the tests run; " +
            "call InitializeAsync() first when creating it by hand, and do not use it after DisposeAsync().");

    private sealed record Started(
        KumoRunContext Context,
        ResolvedSeedPlan Resolved,
        KumoNames Names,
        Snapshot Snapshot,
        RestoredDataDir Data,
        RunningEngine Engine,
        KumoClients Clients,
        string WorkDirectory,
        TimeSpan StartupTime);
}
