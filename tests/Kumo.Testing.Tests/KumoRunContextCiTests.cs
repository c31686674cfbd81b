namespace Kumo.Testing.Tests;

/// <summary>Run, shard and worker ids from the variables each CI sets (fake variable sets, one per CI), and what they name.</summary>
public sealed class KumoRunContextCiTests
{
    public static TheoryData<string, string, string, string, string?, string> Cis => new()
    {
        // variables; run id; run source; worker; shard; worker/shard source
        { "GITHUB_RUN_ID=9876543210;GITHUB_RUN_ATTEMPT=2;KUMO_SHARD_INDEX=2;KUMO_SHARD_COUNT=4", "9876543210-2", "GITHUB_RUN_ID+GITHUB_RUN_ATTEMPT", "shard-2-of-4", "shard-2-of-4", "KUMO_SHARD_INDEX/KUMO_SHARD_COUNT" },
        { "GITHUB_RUN_ID=9876543210;GITHUB_RUN_ATTEMPT=1", "9876543210-1", "GITHUB_RUN_ID+GITHUB_RUN_ATTEMPT", "p" + Environment.ProcessId, null, "process id" },
        { "BUILD_BUILDID=20250601;SYSTEM_JOBATTEMPT=3;SYSTEM_JOBPOSITIONINPHASE=3;SYSTEM_TOTALJOBSINPHASE=5", "20250601-3", "BUILD_BUILDID+SYSTEM_JOBATTEMPT", "shard-3-of-5", "shard-3-of-5", "SYSTEM_JOBPOSITIONINPHASE/SYSTEM_TOTALJOBSINPHASE" },
        { "BUILD_BUILDID=77;SYSTEM_JOBATTEMPT=1;SYSTEM_JOBPOSITIONINPHASE=1;SYSTEM_TOTALJOBSINPHASE=1", "77-1", "BUILD_BUILDID+SYSTEM_JOBATTEMPT", "p" + Environment.ProcessId, null, "process id" },
        { "CI_PIPELINE_ID=4242;CI_JOB_ID=99001;CI_NODE_INDEX=2;CI_NODE_TOTAL=3", "4242", "CI_PIPELINE_ID", "shard-2-of-3", "shard-2-of-3", "CI_NODE_INDEX/CI_NODE_TOTAL" },
        { "CI_PIPELINE_ID=4242;CI_JOB_ID=99001;KUMO_WORKER_ID=blue;CI_NODE_INDEX=2;CI_NODE_TOTAL=3", "4242", "CI_PIPELINE_ID", "blue", "shard-2-of-3", "KUMO_WORKER_ID" },
    };

    [Theory]
    [MemberData(nameof(Cis))]
    public void Each_ci_gives_the_run_the_shard_and_the_worker(string variables, string runId, string runSource, string workerId, string? shard, string workerSource)
    {
        KumoRunContext context = From(variables);

        Assert.Equal((runId, runSource), (context.RunId, context.RunIdSource));
        Assert.Equal((workerId, workerSource), (context.WorkerId, context.WorkerIdSource));
        Assert.Equal(shard, context.Shard);
        Assert.Equal(shard is null, context.ShardSource is null);
        Assert.Equal(shard is null, context.ShardIndex is null);
    }

    [Fact]
    public void Every_shard_of_a_run_shares_the_run_id_and_gets_distinct_names_and_artifact_folders()
    {
        KumoRunContext[] shards = [.. Enumerable.Range(1, 4).Select(i => From($"GITHUB_RUN_ID=555;GITHUB_RUN_ATTEMPT=1;KUMO_SHARD_INDEX={i};KUMO_SHARD_COUNT=4"))];
        string root = Path.Combine(Path.GetTempPath(), "results");

        Assert.Single(shards.Select(s => s.RunId).Distinct());
        Assert.Equal(4, shards.Select(s => ResourceNames.Namespaced("orders", s)).Distinct().Count());
        Assert.Equal(4, shards.Select(s => s.ToSeedContext().WorkerId).Distinct().Count());
        Assert.Equal(
            Path.Combine(root, "kumo", "555-1", "shard-3-of-4", "OrdersTests.Fails"),
            FailureArtifacts.DirectoryFor(root, shards[2], "OrdersTests.Fails"));
        Assert.Contains("shard-3-of-4 (KUMO_SHARD_INDEX/KUMO_SHARD_COUNT)", shards[2].ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void An_explicit_worker_id_in_a_sharded_run_files_artifacts_under_the_shard_too()
    {
        KumoRunContext context = From("CI_PIPELINE_ID=1;CI_NODE_INDEX=2;CI_NODE_TOTAL=3;KUMO_WORKER_ID=blue");
        string root = Path.Combine(Path.GetTempPath(), "results");

        Assert.Equal("shard-2-of-3-blue", context.ArtifactWorkerSegment);
        Assert.Equal(Path.Combine(root, "kumo", "1", "shard-2-of-3-blue", "T"), FailureArtifacts.DirectoryFor(root, context, "T"));
        Assert.Equal("blue", new KumoRunContext("1", "blue").ArtifactWorkerSegment);
    }

    [Theory]
    [InlineData("KUMO_SHARD_INDEX=0;KUMO_SHARD_COUNT=4", "KUMO_SHARD_INDEX='0'", "1-based")]
    [InlineData("KUMO_SHARD_INDEX=two", "KUMO_SHARD_INDEX='two'", "Fix:")]
    [InlineData("CI_NODE_INDEX=5;CI_NODE_TOTAL=4", "(from CI_NODE_INDEX) is larger than the shard count 4 (from CI_NODE_TOTAL)", "Fix: number shards 1..4")]
    [InlineData("SYSTEM_JOBPOSITIONINPHASE=1;SYSTEM_TOTALJOBSINPHASE=x", "SYSTEM_TOTALJOBSINPHASE='x'", "Fix:")]
    public void A_bad_shard_variable_is_an_error_naming_it_and_the_fix(string variables, string named, string fix)
    {
        ArgumentException e = Assert.Throws<ArgumentException>(() => From(variables));

        Assert.Contains(named, e.Message, StringComparison.Ordinal);
        Assert.Contains(fix, e.Message, StringComparison.Ordinal);
    }

    private static KumoRunContext From(string variables)
    {
        Dictionary<string, string> set = variables.Split(';').Select(v => v.Split('=')).ToDictionary(p => p[0], p => p[1]);
        return KumoRunContext.FromEnvironment(name => set.GetValueOrDefault(name));
    }
}
