using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Kumo.Contract;
using Kumo.Embedded;
using Kumo.Engines;
using Kumo.Storage;

namespace Kumo.Snapshots.Tests.EngineProcesses;

public sealed class EngineProcessTests
{
    private static readonly HttpClient Http = new(new SocketsHttpHandler { UseProxy = false });

    [Fact]
    public void Embedded_definition_is_found_next_to_the_tests_and_reports_its_name_and_version()
    {
        EngineDefinition engine = TestEngines.Embedded;

        Assert.Equal(EngineKind.Embedded, engine.Kind);
        Assert.Equal(EngineIdentity.Name, engine.Name);
        Assert.Equal(EngineIdentity.Version, engine.Version);
        // The persistence format is part of the version snapshots are keyed by: a new format never reuses an old snapshot.
        Assert.EndsWith($"+persistence.{EngineIdentity.PersistenceFormat}", engine.Version, StringComparison.Ordinal);
        Assert.Equal($"{EngineIdentity.Name} {EngineIdentity.Version}", engine.DisplayName);
        Assert.Equal(Path.Combine(AppContext.BaseDirectory, "kumo-embedded.dll"), engine.Arguments[0]);
        Assert.True(File.Exists(Path.Combine(AppContext.BaseDirectory, "kumo-embedded.runtimeconfig.json")), "kumo-embedded.runtimeconfig.json must be copied next to the tests");
    }

    [Fact]
    public void Embedded_definition_explains_how_to_provide_the_engine_when_the_path_holds_none()
    {
        using var empty = new TempDirectory("no-engine");

        EngineNotFoundException missingFile = Assert.Throws<EngineNotFoundException>(() => EngineDefinition.Embedded(empty.Sub("kumo-embedded.dll")));
        EngineNotFoundException emptyDirectory = Assert.Throws<EngineNotFoundException>(() => EngineDefinition.Embedded(empty.Path));
        File.WriteAllText(empty.Sub("kumo-embedded.dll"), "not really");
        EngineNotFoundException noRuntimeConfig = Assert.Throws<EngineNotFoundException>(() => EngineDefinition.Embedded(empty.Sub("kumo-embedded.dll")));

        Assert.Contains("does not exist", missingFile.Message, StringComparison.Ordinal);
        Assert.Contains("holds neither kumo-embedded.dll", emptyDirectory.Message, StringComparison.Ordinal);
        Assert.Contains("kumo-embedded.runtimeconfig.json", noRuntimeConfig.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void KUMO_EMBEDDED_PATH_wins_and_a_wrong_value_names_the_variable_and_the_fix()
    {
        _ = TestEngines.Embedded; // resolved before the variable changes, for the tests running alongside
        string previous = Environment.GetEnvironmentVariable(EngineDefinition.EmbeddedPathVariable) ?? string.Empty;
        try
        {
            Environment.SetEnvironmentVariable(EngineDefinition.EmbeddedPathVariable, "/nonexistent/kumo-embedded");
            EngineNotFoundException ex = Assert.Throws<EngineNotFoundException>(EngineDefinition.Embedded);
            Environment.SetEnvironmentVariable(EngineDefinition.EmbeddedPathVariable, AppContext.BaseDirectory);
            EngineDefinition fromDirectory = EngineDefinition.Embedded();

            Assert.Contains("KUMO_EMBEDDED_PATH is '/nonexistent/kumo-embedded', which does not exist", ex.Message, StringComparison.Ordinal);
            Assert.Contains("unset it", ex.Message, StringComparison.Ordinal);
            Assert.Equal(TestEngines.Embedded.Arguments, fromDirectory.Arguments);
        }
        finally
        {
            Environment.SetEnvironmentVariable(EngineDefinition.EmbeddedPathVariable, previous.Length == 0 ? null : previous);
        }
    }

    [Fact]
    public async Task An_executable_engine_runs_directly_without_dotnet()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        using var dir = new TempDirectory("apphost");

        // The app host next to the .dll stands in for a Native AOT binary: both are run as they are.
        EngineDefinition executable = EngineDefinition.Embedded(Path.Combine(AppContext.BaseDirectory, "kumo-embedded"));
        await using RunningEngine engine = await EngineProcess.StartAsync(executable, TestEngines.Options(dir.Sub("data"), dir.Sub("engine.log")), ct);

        Assert.Equal(Path.Combine(AppContext.BaseDirectory, "kumo-embedded"), executable.FileName);
        Assert.Empty(executable.Arguments);
        Assert.Equal(TestEngines.Embedded.Version, executable.Version);
        Assert.Equal(HttpStatusCode.OK, (await Http.GetAsync(new Uri(engine.Endpoint, "/health"), ct)).StatusCode);
        Assert.True((await engine.StopAsync(ct)).IsClean);
    }

    [Fact]
    public async Task The_engine_client_flushes_a_running_engine_and_names_the_problem_when_nothing_answers()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        using var dir = new TempDirectory("flush");
        await using RunningEngine engine = await EngineProcess.StartAsync(TestEngines.Embedded, TestEngines.Options(dir.Sub("data"), dir.Sub("engine.log")), ct);
        int closedPort = FreePort.Pick("127.0.0.1");

        string? flushed = await KumoEngineClient.FlushAsync(engine.Endpoint, cancellationToken: ct);
        string? refused = await KumoEngineClient.FlushAsync(new Uri($"http://127.0.0.1:{closedPort}/"), TimeSpan.FromSeconds(5), ct);
        string? notKumo = await KumoEngineClient.FlushAsync(new Uri(engine.Endpoint, "/not-the-root/"), cancellationToken: ct);

        Assert.Null(flushed);
        Assert.NotNull(refused);
        Assert.Null(notKumo); // the path of the endpoint is ignored: /_kumo/flush is at the engine's root
        Assert.True((await engine.StopAsync(ct)).IsClean);
    }

    [Fact]
    public async Task Embedded_engine_starts_on_port_0_answers_health_and_info_and_flushes_its_state_on_SIGTERM_then_exits_0()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        using var dir = new TempDirectory("lifecycle");

        // A flush interval of 10 minutes: only the final flush on SIGTERM can write the state.
        var environment = new Dictionary<string, string?> { ["KUMO_PERSIST_FLUSH_INTERVAL_MS"] = "600000" };
        await using RunningEngine engine = await EngineProcess.StartAsync(TestEngines.Embedded, TestEngines.Options(dir.Sub("data"), dir.Sub("engine.log"), environment), ct);

        Assert.Equal("127.0.0.1", engine.Endpoint.Host);
        Assert.NotEqual(0, engine.Endpoint.Port);
        Assert.True(ProcessLiveness.IsAlive(engine.ProcessId));
        using HttpResponseMessage health = await Http.GetAsync(new Uri(engine.Endpoint, "/health"), ct);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal("healthy", (await health.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("status").GetString());
        JsonElement info = await Http.GetFromJsonAsync<JsonElement>(new Uri(engine.Endpoint, "/_kumo/info"), ct);
        Assert.Equal("kumo-embedded", info.GetProperty("engine").GetString());
        Assert.Equal(engine.Definition.Version, info.GetProperty("version").GetString());
        Assert.True(info.GetProperty("persistent").GetBoolean());
        await TestS3.SeedAsync(engine.Endpoint, 2, "final-flush", ct);
        string state = Path.Combine(dir.Sub("data"), "s3.json");
        Assert.False(File.Exists(state), "nothing is flushed before the interval or the stop");

        EngineStopResult stop = await engine.StopAsync(TimeSpan.FromSeconds(30), ct);

        Assert.Equal(EngineStopOutcome.Terminated, stop.Outcome);
        Assert.Equal(0, stop.ExitCode);
        Assert.True(stop.IsClean);
        Assert.True(engine.HasExited);
        Assert.False(ProcessLiveness.IsAlive(engine.ProcessId));
        string log = await File.ReadAllTextAsync(dir.Sub("engine.log"), ct);
        Assert.Contains($"{EngineProcess.EndpointLinePrefix}http://127.0.0.1:{engine.Endpoint.Port}", log, StringComparison.Ordinal);
        Assert.Contains("sent SIGTERM", log, StringComparison.Ordinal);
        Assert.Contains(engine.LogTail(50), line => line.StartsWith(EngineProcess.EndpointLinePrefix, StringComparison.Ordinal));
        Assert.Same(stop, await engine.StopAsync(TimeSpan.FromSeconds(1), ct));
        string flushed = await File.ReadAllTextAsync(state, ct);
        Assert.Contains(TestS3.Bucket, flushed, StringComparison.Ordinal);
        Assert.Contains("obj-001", flushed, StringComparison.Ordinal);
        Assert.Single(Directory.GetFiles(Path.Combine(dir.Sub("data"), "s3-segments"))); // both small bodies in one segment
    }

    [Fact]
    public async Task Two_engines_on_port_0_get_different_ports()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        using var dir = new TempDirectory("ports");

        Task<RunningEngine> a = EngineProcess.StartAsync(TestEngines.Embedded, TestEngines.Options(null, dir.Sub("a.log")), ct);
        Task<RunningEngine> b = EngineProcess.StartAsync(TestEngines.Embedded, TestEngines.Options(null, dir.Sub("b.log")), ct);
        await using RunningEngine first = await a;
        await using RunningEngine second = await b;

        Assert.NotEqual(first.Endpoint.Port, second.Endpoint.Port);
        Assert.NotEqual(first.ProcessId, second.ProcessId);
        Assert.Equal(HttpStatusCode.OK, (await Http.GetAsync(new Uri(second.Endpoint, "/health"), ct)).StatusCode);
    }

    [Fact]
    public async Task A_process_that_exits_during_start_fails_with_its_exit_code_and_log_tail()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        using var dir = new TempDirectory("exits");
        EngineDefinition fake = TestEngines.Script("for i in $(seq 1 30); do echo \"line $i\"; done; echo 'fatal: cannot open data dir' >&2; exit 7");

        EngineStartException ex = await Assert.ThrowsAsync<EngineStartException>(() => EngineProcess.StartAsync(fake, TestEngines.Options(dir.Sub("data"), dir.Sub("engine.log")), ct));

        Assert.Equal(7, ex.ExitCode);
        Assert.Contains("Exit code: 7", ex.Message, StringComparison.Ordinal);
        Assert.Contains("exited before printing 'KUMO_ENDPOINT=<url>'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("fatal: cannot open data dir", ex.Message, StringComparison.Ordinal);
        Assert.Contains("line 30", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("line 5\n", ex.Message, StringComparison.Ordinal);
        Assert.Contains(dir.Sub("engine.log"), ex.Message, StringComparison.Ordinal);
        Assert.Contains("Waited", ex.Message, StringComparison.Ordinal);
        Assert.Equal(20, ex.LogTail.Count);
        Assert.Contains("line 1", await File.ReadAllTextAsync(dir.Sub("engine.log"), ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Embedded_engine_on_an_unusable_data_dir_fails_with_its_own_error_and_exit_code()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        using var dir = new TempDirectory("bad-data");
        string notADirectory = dir.Sub("data-is-a-file");
        await File.WriteAllTextAsync(notADirectory, "x", ct);

        EngineStartException ex = await Assert.ThrowsAsync<EngineStartException>(() => EngineProcess.StartAsync(TestEngines.Embedded, TestEngines.Options(notADirectory, dir.Sub("engine.log")), ct));

        Assert.NotNull(ex.ExitCode);
        Assert.NotEqual(0, ex.ExitCode);
        Assert.Contains("kumo-embedded", ex.Message, StringComparison.Ordinal);
        Assert.Contains(ex.LogTail, line => line.Contains("kumo-embedded:", StringComparison.Ordinal));
        Assert.Contains($"Exit code: {ex.ExitCode}", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_engine_that_never_becomes_healthy_is_killed_at_the_deadline()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        using var dir = new TempDirectory("unhealthy");
        int closedPort = FreePort.Pick("127.0.0.1");
        string pidFile = dir.Sub("pid");
        EngineDefinition fake = TestEngines.Script($"echo $$ > {pidFile}; echo KUMO_ENDPOINT=http://127.0.0.1:{closedPort}; exec sleep 60");
        EngineStartOptions options = TestEngines.Options(null, dir.Sub("engine.log")) with { HealthTimeout = TimeSpan.FromSeconds(1) };

        EngineStartException ex = await Assert.ThrowsAsync<EngineStartException>(() => EngineProcess.StartAsync(fake, options, ct));

        Assert.Null(ex.ExitCode);
        Assert.Equal(new Uri($"http://127.0.0.1:{closedPort}/"), ex.Endpoint);
        Assert.Contains($"http://127.0.0.1:{closedPort}/health", ex.Message, StringComparison.Ordinal);
        Assert.Contains("did not answer 200 within 1 s", ex.Message, StringComparison.Ordinal);
        Assert.InRange(ex.Waited, TimeSpan.FromSeconds(0.9), TimeSpan.FromSeconds(10));
        int pid = int.Parse(await File.ReadAllTextAsync(pidFile, ct), System.Globalization.CultureInfo.InvariantCulture);
        Assert.False(ProcessLiveness.IsAlive(pid), $"the unhealthy engine (pid {pid}) must have been killed");
    }

    [Fact]
    public async Task Stop_kills_an_engine_that_ignores_SIGTERM_and_says_so()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        using var dir = new TempDirectory("stubborn");

        // A real engine answers /health; the process under test is a shell that ignores SIGTERM.
        await using KumoEngine health = await KumoEngine.StartAsync(new KumoEngineOptions { Port = 0 }, Microsoft.Extensions.Logging.Abstractions.NullLoggerProvider.Instance, ct);
        EngineDefinition stubborn = TestEngines.Script($"trap 'echo ignoring TERM' TERM; echo KUMO_ENDPOINT={health.Endpoint.ToString().TrimEnd('/')}; while true; do sleep 0.05; done");
        await using RunningEngine engine = await EngineProcess.StartAsync(stubborn, TestEngines.Options(null, dir.Sub("engine.log")), ct);

        EngineStopResult stop = await engine.StopAsync(TimeSpan.FromMilliseconds(500), ct);

        Assert.Equal(EngineStopOutcome.Killed, stop.Outcome);
        Assert.False(stop.IsClean);
        Assert.InRange(stop.Elapsed, TimeSpan.FromMilliseconds(450), TimeSpan.FromSeconds(10));
        Assert.False(ProcessLiveness.IsAlive(engine.ProcessId));
        string log = await File.ReadAllTextAsync(dir.Sub("engine.log"), ct);
        Assert.Contains("ignoring TERM", log, StringComparison.Ordinal);
        Assert.Contains("Killed", log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dispose_and_Kill_leave_no_process_behind()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        using var dir = new TempDirectory("dispose");
        RunningEngine disposed = await EngineProcess.StartAsync(TestEngines.Embedded, TestEngines.Options(null, dir.Sub("a.log")), ct);
        RunningEngine killed = await EngineProcess.StartAsync(TestEngines.Embedded, TestEngines.Options(null, dir.Sub("b.log")), ct);

        await disposed.DisposeAsync();
        killed.Kill();

        Assert.False(ProcessLiveness.IsAlive(disposed.ProcessId));
        Assert.False(ProcessLiveness.IsAlive(killed.ProcessId));
        Assert.Equal(EngineStopOutcome.Killed, (await killed.StopAsync(ct)).Outcome);
        await killed.DisposeAsync();
        await disposed.DisposeAsync();
    }

    [Fact]
    public async Task Inherited_KUMO_variables_do_not_leak_into_the_engine_and_extras_are_passed()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        using var dir = new TempDirectory("env");
        string output = dir.Sub("env.txt");
        EngineDefinition fake = TestEngines.Script($"env | grep -E '^(KUMO_|EXTRA_)' | sort > {output}; exit 3");
        EngineStartOptions options = TestEngines.Options(dir.Sub("data"), dir.Sub("engine.log"), new Dictionary<string, string?> { ["EXTRA_ONE"] = "1", ["KUMO_PERSIST_FLUSH_INTERVAL_MS"] = "250" }) with { LogLevel = KumoLogLevel.Warn };
        Environment.SetEnvironmentVariable("KUMO_INIT_DIR", "/should/not/leak");
        try
        {
            await Assert.ThrowsAsync<EngineStartException>(() => EngineProcess.StartAsync(fake, options, ct));
        }
        finally
        {
            Environment.SetEnvironmentVariable("KUMO_INIT_DIR", null);
        }

        string[] lines = await File.ReadAllLinesAsync(output, ct);
        Assert.Equal(
            [
                "EXTRA_ONE=1",
                $"KUMO_DATA_DIR={dir.Sub("data")}",
                "KUMO_HOST=127.0.0.1",
                "KUMO_LOG_LEVEL=warn",
                $"KUMO_PARENT_PID={Environment.ProcessId}",
                "KUMO_PERSIST_FLUSH_INTERVAL_MS=250",
                "KUMO_PORT=0",
            ],
            lines);
    }

    [Fact]
    public async Task Kumo_binary_definition_uses_its_version_flag_or_a_content_hash()
    {
        using var dir = new TempDirectory("kumo-fake");
        string withVersion = dir.Sub("kumo-with-version");
        string withoutVersion = dir.Sub("kumo-without-version");
        await File.WriteAllTextAsync(withVersion, "#!/bin/sh\n[ \"$1\" = --version ] && echo 'kumo version v0.40.1' && exit 0\nexit 9\n", TestContext.Current.CancellationToken);
        await File.WriteAllTextAsync(withoutVersion, "#!/bin/sh\necho 'Error: unknown flag: --version' >&2\nexit 1\n", TestContext.Current.CancellationToken);
        File.SetUnixFileMode(withVersion, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        File.SetUnixFileMode(withoutVersion, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

        EngineDefinition versioned = EngineDefinition.KumoBinary(withVersion);
        EngineDefinition hashed = EngineDefinition.KumoBinary(withoutVersion);

        Assert.Equal(("kumo", "0.40.1", EngineKind.KumoBinary), (versioned.Name, versioned.Version, versioned.Kind));
        Assert.Matches("^sha256-[0-9a-f]{16}$", hashed.Version);
        Assert.Equal(withoutVersion, hashed.FileName);
        Assert.Empty(hashed.Arguments);
        EngineNotFoundException notExecutable = Assert.Throws<EngineNotFoundException>(() => EngineDefinition.KumoBinary(dir.Sub("missing")));
        Assert.Contains("does not exist", notExecutable.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Kumo_binary_gets_host_and_port_flags_and_its_start_failure_is_reported()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        using var dir = new TempDirectory("kumo-args");
        string args = dir.Sub("args.txt");
        EngineDefinition fake = TestEngines.Script($"echo \"$@\" > {args}; echo 'listen tcp: bind: permission denied' >&2; exit 1", EngineKind.KumoBinary);

        EngineStartException ex = await Assert.ThrowsAsync<EngineStartException>(() => EngineProcess.StartAsync(fake, TestEngines.Options(null, dir.Sub("engine.log")), ct));

        string[] passed = (await File.ReadAllTextAsync(args, ct)).Trim().Split(' ');
        Assert.Equal("--host", passed[^4]);
        Assert.Equal("127.0.0.1", passed[^3]);
        Assert.Equal("--port", passed[^2]);
        int port = int.Parse(passed[^1], System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(port, 1, 65535);
        Assert.Equal(new Uri($"http://127.0.0.1:{port}/"), ex.Endpoint);
        Assert.Equal(1, ex.ExitCode);
        Assert.Contains("permission denied", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Real_kumo_binary_starts_persists_and_stops_when_installed()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        EngineDefinition kumo;
        try
        {
            kumo = EngineDefinition.KumoBinary();
        }
        catch (EngineNotFoundException ex)
        {
            Console.WriteLine($"SKIPPED Real_kumo_binary_starts_persists_and_stops_when_installed: {ex.Message}");
            Assert.Skip(ex.Message);
            return;
        }

        using var dir = new TempDirectory("kumo");
        await using RunningEngine engine = await EngineProcess.StartAsync(kumo, TestEngines.Options(dir.Sub("data"), dir.Sub("engine.log")), ct);
        await TestS3.SeedAsync(engine.Endpoint, 2, "kumo", ct);

        EngineStopResult stop = await engine.StopAsync(TimeSpan.FromSeconds(30), ct);

        Assert.True(stop.IsClean, $"kumo stopped with {stop}; log: {string.Join('\n', engine.LogTail(20))}");
        Assert.True(File.Exists(Path.Combine(dir.Sub("data"), "s3.json")), "kumo must persist s3.json on SIGTERM");
        Assert.NotEmpty(Directory.GetFiles(Path.Combine(dir.Sub("data"), "s3-objects")));
    }
}
