using System.Globalization;
using Kumo.Seeding;

namespace Kumo.Testing;

/// <summary>
/// Identifies the current test run and worker, so that resources can be namespaced and artifacts
/// filed per run and worker.
/// </summary>
/// <remarks>
/// <para>
/// <see cref="RunId"/> comes from the first variable that is set: <c>KUMO_RUN_ID</c>;
/// <c>GITHUB_RUN_ID</c> (plus <c>-GITHUB_RUN_ATTEMPT</c> when set, so a re-run is a new run);
/// <c>CI_PIPELINE_ID</c> (GitLab); <c>BUILD_BUILDID</c> (Azure Pipelines). Otherwise an id of the
/// form <c>local-xxxxxxxx</c> is generated once per process.
/// </para>
/// <para>
/// <see cref="WorkerId"/> comes from <c>KUMO_WORKER_ID</c>, then <c>CI_NODE_INDEX</c> (GitLab
/// <c>parallel:</c> jobs), otherwise <c>p&lt;process id&gt;</c> — different test processes on one
/// machine are then different workers. Set <c>KUMO_WORKER_ID</c> explicitly for any other sharding
/// scheme (e.g. a GitHub matrix index).
/// </para>
/// <para>
/// Values are normalised to what <see cref="SeedContext"/> accepts: lower-case letters, digits and
/// hyphens, at most 32 characters (longer values keep a prefix and gain a short hash).
/// </para>
/// </remarks>
/// <example>
/// <code>
/// KumoRunContext context = KumoRunContext.Current;   // e.g. RunId "9876543210-1", WorkerId "p4242"
/// ResolvedSeedPlan resolved = plan.Resolve(context.ToSeedContext());
/// string bucket = ResourceNames.Namespaced("orders", context);
/// </code>
/// </example>
public sealed class KumoRunContext
{
    /// <summary>Overrides the run id.</summary>
    public const string RunIdVariable = "KUMO_RUN_ID";

    /// <summary>Overrides the worker id.</summary>
    public const string WorkerIdVariable = "KUMO_WORKER_ID";


    private static readonly Lazy<string> GeneratedRunId = new(() => "local-" + Guid.NewGuid().ToString("N")[..HashSuffix.Length]);
    private static readonly Lazy<KumoRunContext> ProcessContext = new(() => FromEnvironment(Environment.GetEnvironmentVariable));

    /// <summary>Creates a context from explicit ids (normalised as described in the remarks).</summary>
    /// <param name="runId">The run id.</param>
    /// <param name="workerId">The worker id.</param>
    /// <exception cref="ArgumentException">An id has no letter or digit.</exception>
    public KumoRunContext(string runId, string workerId)
        : this(runId, "explicit", workerId, "explicit")
    {
    }

    private KumoRunContext(string runId, string runIdSource, string workerId, string workerIdSource)
    {
        RunId = Normalize(runId, runIdSource);
        WorkerId = Normalize(workerId, workerIdSource);
        RunIdSource = runIdSource;
        WorkerIdSource = workerIdSource;
    }

    /// <summary>The context of this process, read from the environment once.</summary>
    public static KumoRunContext Current => ProcessContext.Value;

    /// <summary>The run id: 1-32 of [a-z0-9-].</summary>
    public string RunId { get; }

    /// <summary>The worker id: 1-32 of [a-z0-9-].</summary>
    public string WorkerId { get; }

    /// <summary>Where <see cref="RunId"/> came from, e.g. <c>GITHUB_RUN_ID+GITHUB_RUN_ATTEMPT</c> or <c>generated</c>.</summary>
    public string RunIdSource { get; }

    /// <summary>Where <see cref="WorkerId"/> came from, e.g. <c>KUMO_WORKER_ID</c> or <c>process id</c>.</summary>
    public string WorkerIdSource { get; }

    /// <summary>Reads a context from variables (the process environment for <see cref="Current"/>).</summary>
    /// <param name="getVariable">Returns a variable's value, or null when unset.</param>
    /// <returns>The context.</returns>
    /// <exception cref="ArgumentException">A variable is set but has no letter or digit.</exception>
    public static KumoRunContext FromEnvironment(Func<string, string?> getVariable)
    {
        ArgumentNullException.ThrowIfNull(getVariable);
        string? Get(string name) => getVariable(name) is { Length: > 0 } value && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;

        (string run, string runSource) = Get(RunIdVariable) is { } kumo ? (kumo, RunIdVariable)
            : Get("GITHUB_RUN_ID") is { } github ? (Get("GITHUB_RUN_ATTEMPT") is { } attempt ? ($"{github}-{attempt}", "GITHUB_RUN_ID+GITHUB_RUN_ATTEMPT") : (github, "GITHUB_RUN_ID"))
            : Get("CI_PIPELINE_ID") is { } gitlab ? (gitlab, "CI_PIPELINE_ID")
            : Get("BUILD_BUILDID") is { } azure ? (azure, "BUILD_BUILDID")
            : (GeneratedRunId.Value, "generated");

        (string worker, string workerSource) = Get(WorkerIdVariable) is { } kumoWorker ? (kumoWorker, WorkerIdVariable)
            : Get("CI_NODE_INDEX") is { } node ? (node, "CI_NODE_INDEX")
            : ("p" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture), "process id");

        return new KumoRunContext(run, runSource, worker, workerSource);
    }

    /// <summary>The placeholder values for <see cref="SeedPlan.Resolve"/>.</summary>
    /// <returns><c>new SeedContext(RunId, WorkerId)</c>.</returns>
    public SeedContext ToSeedContext() => new(RunId, WorkerId);

    /// <summary>Formats the context as <c>run &lt;id&gt; (source), worker &lt;id&gt; (source)</c>.</summary>
    /// <returns>A description for logs.</returns>
    public override string ToString() => $"run {RunId} ({RunIdSource}), worker {WorkerId} ({WorkerIdSource})";

    /// <summary>Lower-cases, replaces other characters with '-', and shortens with a hash suffix.</summary>
    internal static string Normalize(string value, string source)
    {
        ArgumentNullException.ThrowIfNull(value);
        string cleaned = ResourceNames.Clean(value);
        if (cleaned.Length == 0)
        {
            throw new ArgumentException($"The id '{value}' (from {source}) has no letter or digit. Fix: set it to letters, digits and hyphens, e.g. 'ci-42'.", nameof(value));
        }

        return HashSuffix.Shorten(cleaned, SeedContext.MaxIdLength, value, trimHyphens: true);
    }
}
