using System.Globalization;
using Kumo.Contract;
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
/// <c>CI_PIPELINE_ID</c> (GitLab); <c>BUILD_BUILDID</c> (Azure Pipelines, plus <c>-SYSTEM_JOBATTEMPT</c> when set).
/// Otherwise an id of the form <c>local-xxxxxxxx</c> is generated once per process. Every shard of one CI run gets
/// the same run id.
/// </para>
/// <para>
/// The shard (<see cref="ShardIndex"/> of <see cref="ShardCount"/>, 1-based) comes from <c>KUMO_SHARD_INDEX</c> /
/// <c>KUMO_SHARD_COUNT</c> (set them in a GitHub Actions matrix, which exports no index of its own), then GitLab's
/// <c>CI_NODE_INDEX</c> / <c>CI_NODE_TOTAL</c> (<c>parallel:</c> jobs), then Azure Pipelines'
/// <c>SYSTEM_JOBPOSITIONINPHASE</c> / <c>SYSTEM_TOTALJOBSINPHASE</c> (parallel and matrix jobs). A count of 1 means
/// no sharding. A shard index that is not a whole number from 1 to the count is an error naming the variable.
/// </para>
/// <para>
/// <see cref="WorkerId"/> comes from <c>KUMO_WORKER_ID</c>, then the shard (<c>shard-2-of-4</c>: names with
/// <c>{worker}</c> differ per shard and say which), otherwise <c>p&lt;process id&gt;</c> — different test processes
/// on one machine are then different workers. Failure artifacts are filed under the worker, prefixed with the shard
/// when the worker id does not already name it (<see cref="ArtifactWorkerSegment"/>).
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
    public const string RunIdVariable = KumoEnvironment.RunId;

    /// <summary>Overrides the worker id.</summary>
    public const string WorkerIdVariable = KumoEnvironment.WorkerId;

    /// <summary>The 1-based shard index, for CIs that export none (a GitHub Actions matrix value).</summary>
    public const string ShardIndexVariable = KumoEnvironment.ShardIndex;

    /// <summary>The number of shards that go with <see cref="ShardIndexVariable"/> (e.g. <c>strategy.job-total</c>).</summary>
    public const string ShardCountVariable = KumoEnvironment.ShardCount;

    /// <summary>The CI variables read, in order: run id (and attempt), then shard index and count.</summary>
    private static readonly (string Id, string? Attempt)[] RunVariables =
    [
        ("GITHUB_RUN_ID", "GITHUB_RUN_ATTEMPT"),
        ("CI_PIPELINE_ID", null),
        ("BUILD_BUILDID", "SYSTEM_JOBATTEMPT"),
    ];

    private static readonly (string Index, string Count)[] ShardVariables =
    [
        (ShardIndexVariable, ShardCountVariable),
        ("CI_NODE_INDEX", "CI_NODE_TOTAL"),
        ("SYSTEM_JOBPOSITIONINPHASE", "SYSTEM_TOTALJOBSINPHASE"),
    ];

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

    private KumoRunContext(string runId, string runIdSource, string workerId, string workerIdSource, int? shardIndex = null, int? shardCount = null, string? shardSource = null)
    {
        RunId = Normalize(runId, runIdSource);
        WorkerId = Normalize(workerId, workerIdSource);
        RunIdSource = runIdSource;
        WorkerIdSource = workerIdSource;
        ShardIndex = shardIndex;
        ShardCount = shardCount;
        ShardSource = shardSource;
    }

    /// <summary>The context of this process, read from the environment once.</summary>
    public static KumoRunContext Current => ProcessContext.Value;

    /// <summary>The run id: 1-32 of [a-z0-9-].</summary>
    public string RunId { get; }

    /// <summary>The worker id: 1-32 of [a-z0-9-].</summary>
    public string WorkerId { get; }

    /// <summary>Where <see cref="RunId"/> came from, e.g. <c>GITHUB_RUN_ID+GITHUB_RUN_ATTEMPT</c> or <c>generated</c>.</summary>
    public string RunIdSource { get; }

    /// <summary>Where <see cref="WorkerId"/> came from, e.g. <c>KUMO_WORKER_ID</c>, <c>CI_NODE_INDEX</c> or <c>process id</c>.</summary>
    public string WorkerIdSource { get; }

    /// <summary>This shard's 1-based index, or null when the run is not sharded (or the context was made from explicit ids).</summary>
    public int? ShardIndex { get; }

    /// <summary>How many shards the run has, or null when unknown.</summary>
    public int? ShardCount { get; }

    /// <summary>Where the shard came from, e.g. <c>CI_NODE_INDEX/CI_NODE_TOTAL</c>; null without a shard.</summary>
    public string? ShardSource { get; }

    /// <summary>The shard as a name segment, <c>shard-2-of-4</c> (or <c>shard-2</c> without a count); null without a shard.</summary>
    public string? Shard => ShardIndex is { } index ? ShardLabel(index, ShardCount) : null;

    /// <summary>The folder failure artifacts are filed under below the run: <see cref="WorkerId"/>, prefixed with <see cref="Shard"/> when the worker id does not already contain it.</summary>
    public string ArtifactWorkerSegment => Shard is { } shard && !WorkerId.Contains(shard, StringComparison.Ordinal) ? $"{shard}-{WorkerId}" : WorkerId;

    /// <summary>Reads a context from variables (the process environment for <see cref="Current"/>).</summary>
    /// <param name="getVariable">Returns a variable's value, or null when unset.</param>
    /// <returns>The context.</returns>
    /// <exception cref="ArgumentException">A variable is set but has no letter or digit.</exception>
    public static KumoRunContext FromEnvironment(Func<string, string?> getVariable)
    {
        ArgumentNullException.ThrowIfNull(getVariable);
        string? Get(string name) => getVariable(name) is { Length: > 0 } value && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;

        (string run, string runSource) = Get(RunIdVariable) is { } kumo ? (kumo, RunIdVariable) : FromCi(Get);
        (int? shardIndex, int? shardCount, string? shardSource) = ReadShard(Get);
        string? shard = shardIndex is { } index ? ShardLabel(index, shardCount) : null;
        (string worker, string workerSource) = Get(WorkerIdVariable) is { } kumoWorker ? (kumoWorker, WorkerIdVariable)
            : shard is not null ? (shard, shardSource!)
            : ("p" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture), "process id");

        return new KumoRunContext(run, runSource, worker, workerSource, shardIndex, shardCount, shardSource);
    }

    /// <summary>The placeholder values for <see cref="SeedPlan.Resolve"/>.</summary>
    /// <returns><c>new SeedContext(RunId, WorkerId)</c>.</returns>
    public SeedContext ToSeedContext() => new(RunId, WorkerId);

    /// <summary>Formats the context as <c>run &lt;id&gt; (source), worker &lt;id&gt; (source)</c>.</summary>
    /// <returns>A description for logs, with the shard when there is one.</returns>
    public override string ToString() => $"run {RunId} ({RunIdSource}), worker {WorkerId} ({WorkerIdSource})" + (Shard is { } shard ? $", {shard} ({ShardSource})" : string.Empty);

    private static (string Run, string Source) FromCi(Func<string, string?> get)
    {
        foreach ((string id, string? attempt) in RunVariables)
        {
            if (get(id) is not { } value)
            {
                continue;
            }

            return attempt is not null && get(attempt) is { } number ? ($"{value}-{number}", $"{id}+{attempt}") : (value, id);
        }

        return (GeneratedRunId.Value, "generated");
    }

    private static string ShardLabel(int index, int? count) => count is { } total
        ? string.Create(CultureInfo.InvariantCulture, $"shard-{index}-of-{total}")
        : string.Create(CultureInfo.InvariantCulture, $"shard-{index}");

    private static (int? Index, int? Count, string? Source) ReadShard(Func<string, string?> get)
    {
        foreach ((string indexVariable, string countVariable) in ShardVariables)
        {
            if (get(indexVariable) is not { } indexText)
            {
                continue;
            }

            int? count = get(countVariable) is { } countText ? ParsePositive(countText, countVariable, "the number of shards, e.g. 4") : null;
            int index = ParsePositive(indexText, indexVariable, "the 1-based shard index, e.g. 2 (GitHub's strategy.job-index is 0-based: use a matrix value 1..N instead)");
            if (count is { } total && index > total)
            {
                throw new ArgumentException($"The shard index {index} (from {indexVariable}) is larger than the shard count {total} (from {countVariable}). Fix: number shards 1..{total}.", nameof(get));
            }

            // A phase of one job (Azure sets these variables on every job) is not sharded.
            return count == 1 ? (null, null, null) : (index, count, count is null ? indexVariable : $"{indexVariable}/{countVariable}");
        }

        return (null, null, null);
    }

    private static int ParsePositive(string text, string variable, string expected) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int value) && value > 0
            ? value
            : throw new ArgumentException($"{variable}='{text}' is not a whole number from 1. Fix: set it to {expected}.", nameof(text));

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
