namespace Kumo.Testing.Tests;

public sealed class KumoRunContextTests
{
    [Fact]
    public void Kumo_variables_win_over_ci_variables()
    {
        KumoRunContext context = From(new()
        {
            ["KUMO_RUN_ID"] = "nightly-7",
            ["GITHUB_RUN_ID"] = "123",
            ["KUMO_WORKER_ID"] = "shard-2",
            ["CI_NODE_INDEX"] = "5",
        });

        Assert.Equal(("nightly-7", "KUMO_RUN_ID"), (context.RunId, context.RunIdSource));
        Assert.Equal(("shard-2", "KUMO_WORKER_ID"), (context.WorkerId, context.WorkerIdSource));
    }

    [Theory]
    [InlineData("GITHUB_RUN_ID=9876543210;GITHUB_RUN_ATTEMPT=2", "9876543210-2", "GITHUB_RUN_ID+GITHUB_RUN_ATTEMPT")]
    [InlineData("GITHUB_RUN_ID=9876543210", "9876543210", "GITHUB_RUN_ID")]
    [InlineData("CI_PIPELINE_ID=4242;BUILD_BUILDID=1", "4242", "CI_PIPELINE_ID")]
    [InlineData("BUILD_BUILDID=20250601.3", "20250601-3", "BUILD_BUILDID")]
    public void Run_id_comes_from_the_ci_system(string variables, string runId, string source)
    {
        var environment = variables.Split(';').Select(v => v.Split('=')).ToDictionary(p => p[0], p => (string?)p[1]);
        KumoRunContext context = From(environment);
        Assert.Equal((runId, source), (context.RunId, context.RunIdSource));
    }

    [Fact]
    public void Without_variables_the_run_id_is_generated_once_per_process_and_the_worker_is_the_process()
    {
        KumoRunContext a = From([]);
        KumoRunContext b = From([]);

        Assert.Matches("^local-[0-9a-f]{8}$", a.RunId);
        Assert.Equal(a.RunId, b.RunId);
        Assert.Equal("generated", a.RunIdSource);
        Assert.Equal("p" + Environment.ProcessId, a.WorkerId);
        Assert.Equal("process id", a.WorkerIdSource);
    }

    [Fact]
    public void Ci_node_index_is_the_worker()
    {
        Assert.Equal("shard-3", From(new() { ["CI_NODE_INDEX"] = "3" }).WorkerId);
    }

    [Fact]
    public void Ids_are_normalised_for_resource_names()
    {
        KumoRunContext context = new("My_Run ID!!", new string('W', 60));

        Assert.Equal("my-run-id", context.RunId);
        Assert.Equal(32, context.WorkerId.Length);
        Assert.Matches("^w+-[0-9a-f]{8}$", context.WorkerId);
        Assert.Equal(context.RunId, context.ToSeedContext().RunId);
        Assert.NotEqual(new KumoRunContext("r", new string('W', 60) + "x").WorkerId, context.WorkerId);
    }

    [Fact]
    public void An_id_without_letters_or_digits_is_rejected_naming_its_source()
    {
        ArgumentException e = Assert.Throws<ArgumentException>(() => From(new() { ["KUMO_RUN_ID"] = "___" }));
        Assert.Contains("KUMO_RUN_ID", e.Message, StringComparison.Ordinal);
        Assert.Contains("Fix:", e.Message, StringComparison.Ordinal);
    }

    private static KumoRunContext From(Dictionary<string, string?> variables) =>
        KumoRunContext.FromEnvironment(name => variables.GetValueOrDefault(name));
}
