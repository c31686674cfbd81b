using Kumo.Engines;

namespace Kumo.Snapshots.Tests.EngineProcesses;

/// <summary>The container-runtime probe against real stand-in CLIs (shell scripts), never a real daemon.</summary>
public sealed class ContainerRuntimeTests
{
    [Fact]
    public void A_runtime_whose_info_succeeds_has_no_problem()
    {
        using var bin = new TempDirectory("runtime-ok");
        string cli = Script(bin, "fake-docker", "echo \"Server Version: 28.2.2\"", "exit 0");

        Assert.Null(ContainerRuntime.FindProblem(cli));
    }

    [Fact]
    public void A_daemon_that_is_down_gives_the_exit_code_and_the_first_error_line()
    {
        using var bin = new TempDirectory("runtime-down");
        string cli = Script(bin, "fake-docker", "echo 'Client: Docker Engine'", "echo 'Cannot connect to the Docker daemon at unix:///var/run/docker.sock.' >&2", "echo 'second line' >&2", "exit 1");

        string? problem = ContainerRuntime.FindProblem(cli);

        Assert.Equal($"{cli} daemon not reachable: '{cli} info' exited with 1 (Cannot connect to the Docker daemon at unix:///var/run/docker.sock.).", problem);
    }

    [Fact]
    public void A_cli_that_cannot_be_started_names_the_runtime_and_the_variable_to_set()
    {
        string? problem = ContainerRuntime.FindProblem("kumo-no-such-container-cli");

        Assert.NotNull(problem);
        Assert.StartsWith("kumo-no-such-container-cli is not available: the 'kumo-no-such-container-cli' CLI could not be started", problem, StringComparison.Ordinal);
        Assert.Contains(ContainerRuntime.RuntimeVariable, problem, StringComparison.Ordinal);
    }

    [Fact]
    public void A_hung_daemon_is_a_bounded_wait_and_the_cli_is_killed()
    {
        using var bin = new TempDirectory("runtime-hung");
        string pidFile = bin.Sub("sleep.pid");
        string cli = Script(bin, "fake-docker", "sleep 30 &", $"echo $! > '{pidFile}'", "wait");
        var clock = System.Diagnostics.Stopwatch.StartNew();

        string? problem = ContainerRuntime.FindProblem(cli, TimeSpan.FromMilliseconds(500));

        Assert.Equal($"{cli} daemon not reachable: '{cli} info' did not answer within 0.5 s.", problem);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(15), $"the probe took {clock.Elapsed.TotalSeconds:0.0} s");
        string sleeper = File.ReadAllText(pidFile).Trim();
        Assert.True(SpinWait.SpinUntil(() => !Directory.Exists($"/proc/{sleeper}"), TimeSpan.FromSeconds(5)), $"the probe's grandchild (pid {sleeper}) was not killed");
    }

    [Theory]
    [InlineData(null, "docker")]
    [InlineData("", "docker")]
    [InlineData("  ", "docker")]
    [InlineData("podman", "podman")]
    [InlineData(" /usr/local/bin/docker ", "/usr/local/bin/docker")]
    public void The_runtime_comes_from_ASPIRE_CONTAINER_RUNTIME_else_docker(string? configured, string expected)
    {
        Assert.Equal(expected, ContainerRuntime.Configured(name => name == ContainerRuntime.RuntimeVariable ? configured : null));
    }

    [Fact]
    public void The_timeout_must_be_positive()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ContainerRuntime.FindProblem("docker", TimeSpan.Zero));
    }

    private static string Script(TempDirectory directory, string name, params string[] lines)
    {
        string path = directory.Sub(name);
        File.WriteAllText(path, "#!/bin/sh\n" + string.Join('\n', lines) + "\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return path;
    }
}
