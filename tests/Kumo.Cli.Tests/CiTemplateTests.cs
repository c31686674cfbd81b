using System.Diagnostics;
using System.Runtime.Versioning;
using System.Text.RegularExpressions;
using Kumo.Snapshots;
using Kumo.Testing;
using YamlDotNet.RepresentationModel;

namespace Kumo.Cli.Tests;

/// <summary>
/// The ready-to-copy CI files in docs/ci parse, have the jobs and steps the operating model needs (cache keyed on the
/// plan hash, snapshot import, shards, smoke on pull requests, nightly matrix, uploaded results and kumo artifacts),
/// and every kumoctl command they run exists with the options they pass.
/// </summary>
public sealed partial class CiTemplateTests
{
    private static string CiDirectory => Path.Combine(RepositoryRoot, "docs", "ci");
    private static readonly string SmokeFilter = $"--filter-trait \"{KumoTestSuites.Trait}={KumoTestSuites.Smoke}\"";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string RepositoryRoot => typeof(CiTemplateTests).Assembly
        .GetCustomAttributes(typeof(System.Reflection.AssemblyMetadataAttribute), false)
        .Cast<System.Reflection.AssemblyMetadataAttribute>()
        .Single(a => a.Key == "RepositoryRoot").Value!;

    [Fact]
    public void The_GitHub_workflow_builds_or_restores_the_baseline_runs_smoke_on_pull_requests_and_a_sharded_nightly()
    {
        YamlMappingNode root = Load("github-actions.yml");
        YamlMappingNode on = Map(root, "on");
        YamlMappingNode jobs = Map(root, "jobs");
        YamlMappingNode baseline = Map(jobs, "baseline");
        YamlMappingNode smoke = Map(jobs, "smoke");
        YamlMappingNode nightly = Map(jobs, "nightly");

        Assert.True(on.Children.ContainsKey("pull_request"));
        Assert.True(on.Children.ContainsKey("schedule"));
        YamlMappingNode plan = Assert.Single(Steps(baseline), s => Text(s, "id") == "plan");
        Assert.Contains("kumoctl validate", Text(plan, "run"), StringComparison.Ordinal);
        Assert.Contains("KUMO_PLAN_HASH=", Text(plan, "run"), StringComparison.Ordinal);
        YamlMappingNode cache = Assert.Single(Steps(baseline), s => Text(s, "uses")?.StartsWith("actions/cache@", StringComparison.Ordinal) == true);
        Assert.Contains("steps.plan.outputs.hash", Text(Map(cache, "with"), "key"), StringComparison.Ordinal);
        YamlMappingNode build = Assert.Single(Steps(baseline), s => Text(s, "run")?.Contains("kumoctl snapshot export", StringComparison.Ordinal) == true);
        Assert.Contains("cache-hit != 'true'", Text(build, "if"), StringComparison.Ordinal);

        Assert.Contains("pull_request", Text(smoke, "if"), StringComparison.Ordinal);
        Assert.Contains("schedule", Text(nightly, "if"), StringComparison.Ordinal);
        foreach (YamlMappingNode job in new[] { smoke, nightly })
        {
            Assert.Equal("baseline", Text(job, "needs"));
            Assert.Contains(Steps(job), s => Text(s, "run")?.Contains("kumoctl snapshot import", StringComparison.Ordinal) == true);
            Assert.Contains(Steps(job), s => Text(s, "run")?.Contains("kumo-shard.sh", StringComparison.Ordinal) == true);
            YamlMappingNode upload = Assert.Single(Steps(job), s => Text(s, "uses")?.StartsWith("actions/upload-artifact@", StringComparison.Ordinal) == true && Text(s, "if") == "always()");
            string paths = Text(Map(upload, "with"), "path")!;
            Assert.Contains("TestResults/kumo/", paths, StringComparison.Ordinal);
            Assert.Contains(".trx", paths, StringComparison.Ordinal);
        }

        Assert.Contains(SmokeFilter, string.Join('\n', Steps(smoke).Select(s => Text(s, "run"))), StringComparison.Ordinal);
        Assert.DoesNotContain("--filter", string.Join('\n', Steps(nightly).Select(s => Text(s, "run"))), StringComparison.Ordinal);
        Assert.True(((YamlSequenceNode)Map(Map(nightly, "strategy"), "matrix").Children[new YamlScalarNode("shard")]).Children.Count >= 2);
        YamlMappingNode env = Map(nightly, "env");
        Assert.Contains("matrix.shard", Text(env, KumoRunContext.ShardIndexVariable), StringComparison.Ordinal);
        Assert.Contains("strategy.job-total", Text(env, KumoRunContext.ShardCountVariable), StringComparison.Ordinal);
        Assert.True(Map(root, "env").Children.ContainsKey(KumoSnapshotDirectory.Variable));
    }

    [Fact]
    public void The_Azure_pipeline_caches_on_the_plan_hash_runs_smoke_on_pull_requests_and_parallel_nightly_jobs()
    {
        YamlMappingNode root = Load("azure-pipelines.yml");
        var jobs = ((YamlSequenceNode)root.Children[new YamlScalarNode("jobs")]).Children.Cast<YamlMappingNode>().ToDictionary(j => Text(j, "job")!);

        Assert.True(root.Children.ContainsKey("pr"));
        Assert.True(root.Children.ContainsKey("schedules"));
        Assert.Equal(["Baseline", "Nightly", "Smoke"], jobs.Keys.Order(StringComparer.Ordinal));
        Assert.Contains(Steps(jobs["Baseline"]), s => Text(s, "script")?.Contains("task.setvariable variable=KUMO_PLAN_HASH", StringComparison.Ordinal) == true);
        YamlMappingNode cache = Assert.Single(Steps(jobs["Baseline"]), s => Text(s, "task") == "Cache@2");
        Assert.Contains("$(KUMO_PLAN_HASH)", Text(Map(cache, "inputs"), "key"), StringComparison.Ordinal);
        YamlMappingNode build = Assert.Single(Steps(jobs["Baseline"]), s => Text(s, "script")?.Contains("kumoctl snapshot export", StringComparison.Ordinal) == true);
        Assert.Contains(Text(Map(cache, "inputs"), "cacheHitVar")!, Text(build, "condition"), StringComparison.Ordinal);
        Assert.Contains(Steps(jobs["Baseline"]), s => Text(s, "publish") is not null && Text(s, "artifact") == "kumo-snapshot");

        Assert.Contains("ne(variables['Build.Reason'], 'Schedule')", Text(jobs["Smoke"], "condition"), StringComparison.Ordinal);
        Assert.Contains("eq(variables['Build.Reason'], 'Schedule')", Text(jobs["Nightly"], "condition"), StringComparison.Ordinal);
        Assert.True(int.Parse(Text(Map(jobs["Nightly"], "strategy"), "parallel")!, System.Globalization.CultureInfo.InvariantCulture) >= 2);
        foreach (YamlMappingNode job in new[] { jobs["Smoke"], jobs["Nightly"] })
        {
            Assert.Equal("Baseline", Text(job, "dependsOn"));
            Assert.Contains(Steps(job), s => Text(s, "script")?.Contains("kumoctl snapshot import", StringComparison.Ordinal) == true);
            Assert.Contains(Steps(job), s => Text(s, "script")?.Contains("kumo-shard.sh", StringComparison.Ordinal) == true);
            YamlMappingNode results = Assert.Single(Steps(job), s => Text(s, "task") == "PublishTestResults@2");
            Assert.Equal("always()", Text(results, "condition"));
            Assert.Contains(".trx", Text(Map(results, "inputs"), "testResultsFiles"), StringComparison.Ordinal);
            YamlMappingNode copy = Assert.Single(Steps(job), s => Text(s, "task") == "CopyFiles@2");
            Assert.Contains("TestResults/kumo/", Text(Map(copy, "inputs"), "contents"), StringComparison.Ordinal);
        }

        Assert.Contains(SmokeFilter, string.Join('\n', Steps(jobs["Smoke"]).Select(s => Text(s, "script"))), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("github-actions.yml")]
    [InlineData("azure-pipelines.yml")]
    public async Task Every_kumoctl_command_in_a_template_exists_with_the_options_it_passes(string file)
    {
        string[] scripts = Scripts(Load(file)).ToArray();
        var invocations = scripts.SelectMany(s => KumoctlLine().Matches(s.Replace("\\\n", " ", StringComparison.Ordinal))).Select(m => m.Value).ToList();

        Assert.Contains(invocations, i => i.Contains("kumoctl validate", StringComparison.Ordinal));
        Assert.Contains(invocations, i => i.Contains("kumoctl snapshot export", StringComparison.Ordinal));
        Assert.Contains(invocations, i => i.Contains("kumoctl snapshot import", StringComparison.Ordinal));
        foreach (string invocation in invocations)
        {
            // The verb (and subcommand) and every option, with placeholder values: kumoctl must get past parsing to the
            // point where it looks at the values (exit 2 naming a file), never stop at an unknown command or option.
            string[] words = invocation[(invocation.IndexOf("kumoctl", StringComparison.Ordinal) + "kumoctl".Length)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var args = words.TakeWhile(w => !w.StartsWith("--", StringComparison.Ordinal)).ToList();
            foreach (string option in words.Where(w => w.StartsWith("--", StringComparison.Ordinal)))
            {
                args.Add(option);
                args.Add(Path.Combine(Path.GetTempPath(), "kumo-ci-template-missing", option.TrimStart('-')));
            }

            (int code, _, string stderr) = await KumoctlTests.RunAsync([.. args]);

            Assert.True(code == 2, $"{file}: '{invocation}' → exit {code}: {stderr}");
            Assert.DoesNotContain("Unknown command", stderr, StringComparison.Ordinal);
            Assert.DoesNotContain("unknown option", stderr, StringComparison.Ordinal);
            Assert.DoesNotContain("Unexpected argument", stderr, StringComparison.Ordinal);
        }

        Assert.All(scripts.Where(s => s.Contains("kumo-shard.sh", StringComparison.Ordinal)), _ => Assert.True(File.Exists(Path.Combine(CiDirectory, "kumo-shard.sh"))));
    }

    [Theory]
    [SupportedOSPlatform("linux")]
    [InlineData("KUMO_SHARD_INDEX=2 KUMO_SHARD_COUNT=3", "b.Tests e.Tests")]
    [InlineData("CI_NODE_INDEX=1 CI_NODE_TOTAL=2", "a.Tests c.Tests e.Tests")]
    [InlineData("SYSTEM_JOBPOSITIONINPHASE=3 SYSTEM_TOTALJOBSINPHASE=3", "c.Tests")]
    [InlineData("", "a.Tests b.Tests c.Tests d.Tests e.Tests")]
    public async Task The_shard_script_runs_every_nth_project_of_its_shard_with_reports_and_the_extra_arguments(string variables, string expected)
    {
        string dir = Path.Combine(Path.GetTempPath(), "kumo-shard-script", Guid.NewGuid().ToString("N"));
        try
        {
            foreach (string name in new[] { "e", "c", "a", "d", "b" })
            {
                Directory.CreateDirectory(Path.Combine(dir, "tests", name + ".Tests"));
                await File.WriteAllTextAsync(Path.Combine(dir, "tests", name + ".Tests", name + ".Tests.csproj"), "<Project />", Ct);
            }

            // A stand-in dotnet on PATH records what the script asks it to run.
            string bin = Path.Combine(dir, "bin");
            Directory.CreateDirectory(bin);
            string fake = Path.Combine(bin, "dotnet");
            await File.WriteAllTextAsync(fake, "#!/bin/sh\necho \"$@\" >> \"$KUMO_FAKE_LOG\"\n", Ct);
            File.SetUnixFileMode(fake, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            var start = new ProcessStartInfo("bash") { WorkingDirectory = dir, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            start.ArgumentList.Add(Path.Combine(CiDirectory, "kumo-shard.sh"));
            start.ArgumentList.Add("tests/*/*.csproj");
            start.ArgumentList.Add("--");
            start.ArgumentList.Add("--filter-trait");
            start.ArgumentList.Add("Suite=Smoke");
            start.Environment["PATH"] = bin + ":" + Environment.GetEnvironmentVariable("PATH");
            start.Environment["KUMO_FAKE_LOG"] = Path.Combine(dir, "dotnet.log");
            foreach (string name in new[] { "KUMO_SHARD_INDEX", "KUMO_SHARD_COUNT", "CI_NODE_INDEX", "CI_NODE_TOTAL", "SYSTEM_JOBPOSITIONINPHASE", "SYSTEM_TOTALJOBSINPHASE" })
            {
                start.Environment.Remove(name);
            }

            foreach (string pair in variables.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                start.Environment[pair.Split('=')[0]] = pair.Split('=')[1];
            }

            using Process process = Process.Start(start)!;
            Task<string> stderr = process.StandardError.ReadToEndAsync(Ct);
            Task<string> stdout = process.StandardOutput.ReadToEndAsync(Ct);
            using var bounded = CancellationTokenSource.CreateLinkedTokenSource(Ct);
            bounded.CancelAfter(TimeSpan.FromSeconds(30));
            await process.WaitForExitAsync(bounded.Token);

            Assert.True(process.ExitCode == 0, await stderr + await stdout);
            string[] runs = await File.ReadAllLinesAsync(Path.Combine(dir, "dotnet.log"), Ct);
            Assert.Equal(expected, string.Join(' ', runs.Select(r => Path.GetFileNameWithoutExtension(r.Split(' ')[2]))));
            Assert.All(runs, r => Assert.Contains("--report-xunit-trx", r, StringComparison.Ordinal));
            Assert.All(runs, r => Assert.Contains("--ignore-exit-code 8 --filter-trait Suite=Smoke", r, StringComparison.Ordinal));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static YamlMappingNode Load(string file)
    {
        var yaml = new YamlStream();
        using var reader = new StreamReader(Path.Combine(CiDirectory, file));
        yaml.Load(reader);
        return (YamlMappingNode)Assert.Single(yaml.Documents).RootNode;
    }

    private static YamlMappingNode Map(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out YamlNode? child) ? (YamlMappingNode)child : throw new Xunit.Sdk.XunitException($"'{key}' is missing");

    private static string? Text(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out YamlNode? child) ? ((YamlScalarNode)child).Value : null;

    private static IEnumerable<YamlMappingNode> Steps(YamlMappingNode job) => ((YamlSequenceNode)job.Children[new YamlScalarNode("steps")]).Children.Cast<YamlMappingNode>();

    /// <summary>Every shell script of the file (GitHub's <c>run:</c>, Azure's <c>script:</c>).</summary>
    private static IEnumerable<string> Scripts(YamlNode node) => node switch
    {
        YamlMappingNode map => map.Children.SelectMany(pair =>
            pair.Key is YamlScalarNode { Value: "run" or "script" } && pair.Value is YamlScalarNode { Value: { } script } ? [script] : Scripts(pair.Value)),
        YamlSequenceNode sequence => sequence.Children.SelectMany(Scripts),
        _ => [],
    };

    [GeneratedRegex(@"kumoctl [^\n|;&]*")]
    private static partial Regex KumoctlLine();
}
