using System.Diagnostics;
using System.Globalization;
using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Kumo.Contract;

namespace Kumo.Engines;

/// <summary>Starts a kumo-compatible engine as a process and waits until it is healthy.</summary>
/// <remarks>
/// <para>
/// The embedded engine is started with <c>KUMO_PORT</c> as given (0 lets it pick) and the endpoint is
/// read from the single <c>KUMO_ENDPOINT=&lt;url&gt;</c> line it prints. kumo prints no such line, so
/// for a kumo binary a free port is chosen here and passed as <c>--host</c>/<c>--port</c> (flags beat
/// <c>KUMO_*</c> variables in kumo); if another process grabs that port first the start is retried
/// with a new one, at most three times.
/// </para>
/// <para>
/// Health is <c>GET /health</c> answering 200, polled with a backoff from 20 ms to 250 ms until
/// <see cref="EngineStartOptions.HealthTimeout"/>. If the process exits or the deadline passes, the
/// process is killed and an <see cref="EngineStartException"/> reports the exit code, the endpoint,
/// the time waited and the last 20 log lines.
/// </para>
/// </remarks>
/// <example>
/// <code>
/// await using RunningEngine engine = await EngineProcess.StartAsync(
///     EngineDefinition.Embedded(),
///     new EngineStartOptions { DataDir = "/tmp/kumo-data", LogFile = "/tmp/kumo.log" },
///     cancellationToken);
/// using var s3 = new AmazonS3Client(new AmazonS3Config { ServiceURL = engine.Endpoint.ToString(), ForcePathStyle = true });
/// </code>
/// </example>
public static partial class EngineProcess
{
    /// <summary>The prefix of the line the embedded engine prints once it listens.</summary>
    public const string EndpointLinePrefix = "KUMO_ENDPOINT=";

    private const int LogCapacity = 1000;
    private const int LogTailLines = 20;
    private const int PortAttempts = 3;
    private static readonly TimeSpan FirstProbeDelay = TimeSpan.FromMilliseconds(20);
    private static readonly TimeSpan MaxProbeDelay = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(2);

    private static readonly HttpClient Http = new(new SocketsHttpHandler
    {
        UseProxy = false,
        ConnectTimeout = TimeSpan.FromSeconds(1),
        PooledConnectionLifetime = TimeSpan.FromSeconds(30),
    })
    {
        Timeout = Timeout.InfiniteTimeSpan,
    };

    /// <summary>Starts <paramref name="engine"/> and returns once it answers <c>GET /health</c>.</summary>
    /// <param name="engine">The engine to run.</param>
    /// <param name="options">Data directory, address, logging and patience; null uses the defaults (memory only, free port).</param>
    /// <param name="cancellationToken">Cancels the start; the process is killed.</param>
    /// <returns>The running engine; dispose or stop it.</returns>
    /// <exception cref="EngineStartException">The engine exited or did not become healthy in time.</exception>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    public static async Task<RunningEngine> StartAsync(EngineDefinition engine, EngineStartOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(engine);
        options ??= new EngineStartOptions();
        options.Validate();

        string logFile = options.LogFile ?? Path.Combine(Path.GetTempPath(), "kumo-engines", $"{engine.Name}-{DateTime.UtcNow:yyyyMMdd-HHmmss}-{Guid.NewGuid():N}.log");
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                return await StartOnceAsync(engine, options, logFile, cancellationToken).ConfigureAwait(false);
            }
            catch (EngineStartException ex) when (engine.Kind == EngineKind.KumoBinary && options.Port == 0 && attempt < PortAttempts && ex.ExitCode is not null
                && ex.LogTail.Any(line => line.Contains("address already in use", StringComparison.OrdinalIgnoreCase)))
            {
                // Another process took the port between our probe and the engine's bind; pick another.
            }
        }
    }

    private static async Task<RunningEngine> StartOnceAsync(EngineDefinition engine, EngineStartOptions options, string logFile, CancellationToken cancellationToken)
    {
        ILogger logger = options.Logger ?? NullLogger.Instance;
        Uri? endpoint = null;
        int port = options.Port;
        if (engine.Kind == EngineKind.KumoBinary)
        {
            if (port == 0)
            {
                port = FreePort.Pick(options.Host);
            }

            endpoint = new UriBuilder("http", ClientHost(options.Host), port, "/").Uri;
        }

        ProcessStartInfo start = CreateStartInfo(engine, options, port);
        var log = new EngineLog(logFile, LogCapacity);
        log.Append($"# kumo-engines: starting {engine.DisplayName}: {start.FileName} {string.Join(' ', start.ArgumentList)} (data: {options.DataDir ?? "(memory)"}, host: {options.Host}, port: {(port == 0 ? "any" : port.ToString(CultureInfo.InvariantCulture))})");

        var reported = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not { } line)
            {
                return;
            }

            log.Append(line);
            if (line.StartsWith(EndpointLinePrefix, StringComparison.Ordinal)
                && Uri.TryCreate(line[EndpointLinePrefix.Length..].Trim(), UriKind.Absolute, out Uri? url))
            {
                reported.TrySetResult(new UriBuilder(url) { Path = "/" }.Uri);
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is { } line)
            {
                log.Append(line);
            }
        };

        // Exited fires when the process ends, even if a grandchild still holds its output pipes open
        // (WaitForExitAsync would wait for those to close too).
        var exitSignal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        process.Exited += (_, _) => exitSignal.TrySetResult();

        var clock = Stopwatch.StartNew();
        try
        {
            if (!process.Start())
            {
                throw new InvalidOperationException("Process.Start returned false.");
            }
        }
        catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            log.Append($"# kumo-engines: could not start the process: {ex.Message}");
            IReadOnlyList<string> tail = log.Tail(LogTailLines);
            log.Dispose();
            process.Dispose();
            throw new EngineStartException($"the process could not be started ({ex.Message}); check that '{start.FileName}' exists and is executable", engine, null, endpoint, clock.Elapsed, tail, logFile, ex);
        }

        LiveEngines.Add(process);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (process.HasExited)
        {
            exitSignal.TrySetResult();
        }

        Task exited = exitSignal.Task;
        DateTime deadline = DateTime.UtcNow + options.HealthTimeout;
        Exception? lastError = null;
        string? failure = null;
        try
        {
            if (endpoint is null)
            {
                using var waitForLine = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                Task timeout = Task.Delay(Remaining(deadline), waitForLine.Token);
                Task first = await Task.WhenAny(reported.Task, exited, timeout).ConfigureAwait(false);
                await waitForLine.CancelAsync().ConfigureAwait(false);
                cancellationToken.ThrowIfCancellationRequested();
                if (first == reported.Task)
                {
                    endpoint = await reported.Task.ConfigureAwait(false);
                }
                else
                {
                    failure = first == exited
                        ? $"the process exited before printing '{EndpointLinePrefix}<url>'"
                        : $"it did not print '{EndpointLinePrefix}<url>' within {options.HealthTimeout.TotalSeconds:0.#} s";
                }
            }

            if (endpoint is not null)
            {
                (failure, lastError) = await WaitHealthyAsync(endpoint, exited, deadline, options.HealthTimeout, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            Abandon(process, log);
            process.Dispose();
            throw;
        }

        if (failure is not null)
        {
            bool exitedOnItsOwn = exited.IsCompleted;
            Abandon(process, log);
            int? exitCode = exitedOnItsOwn ? process.ExitCode : null;
            IReadOnlyList<string> tail = log.Tail(LogTailLines);
            log.Dispose();
            process.Dispose();
            var exception = new EngineStartException(failure, engine, exitCode, endpoint, clock.Elapsed, tail, logFile, lastError);
            LogStartFailed(logger, exception, engine.DisplayName, clock.Elapsed.TotalMilliseconds);
            throw exception;
        }

        log.Append($"# kumo-engines: healthy at {endpoint} after {clock.Elapsed.TotalMilliseconds:0} ms");
        LogStarted(logger, engine.DisplayName, process.Id, endpoint!, clock.Elapsed.TotalMilliseconds, logFile);
        return new RunningEngine(engine, process, exited, log, endpoint!, options.DataDir, logger);
    }

    private static async Task<(string? Failure, Exception? LastError)> WaitHealthyAsync(Uri endpoint, Task exited, DateTime deadline, TimeSpan healthTimeout, CancellationToken cancellationToken)
    {
        var health = new Uri(endpoint, KumoDefaults.HealthPath);
        TimeSpan delay = FirstProbeDelay;
        Exception? lastError = null;
        string lastSeen = "no answer yet";
        while (true)
        {
            if (exited.IsCompleted)
            {
                return ($"the process exited while waiting for GET {health} to answer 200 (last seen: {lastSeen})", lastError);
            }

            using (var probe = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                probe.CancelAfter(ProbeTimeout < Remaining(deadline) ? ProbeTimeout : Remaining(deadline));
                try
                {
                    using HttpResponseMessage response = await Http.GetAsync(health, HttpCompletionOption.ResponseContentRead, probe.Token).ConfigureAwait(false);
                    string body = await response.Content.ReadAsStringAsync(probe.Token).ConfigureAwait(false);
                    if (response.StatusCode == HttpStatusCode.OK && body.Contains("healthy", StringComparison.Ordinal))
                    {
                        return (null, null);
                    }

                    lastSeen = $"HTTP {(int)response.StatusCode} '{(body.Length > 200 ? body[..200] : body)}'";
                }
                catch (Exception ex) when (ex is HttpRequestException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
                {
                    lastError = ex;
                    lastSeen = ex.Message;
                }
            }

            TimeSpan remaining = Remaining(deadline);
            if (remaining <= TimeSpan.Zero)
            {
                return ($"GET {health} did not answer 200 within {healthTimeout.TotalSeconds:0.#} s (last seen: {lastSeen})", lastError);
            }

            await Task.WhenAny(exited, Task.Delay(delay < remaining ? delay : remaining, cancellationToken)).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            delay = TimeSpan.FromTicks(Math.Min(MaxProbeDelay.Ticks, (long)(delay.Ticks * 1.5)));
        }
    }

    private static ProcessStartInfo CreateStartInfo(EngineDefinition engine, EngineStartOptions options, int port)
    {
        var start = new ProcessStartInfo(engine.FileName)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            CreateNoWindow = true,
        };
        foreach (string argument in engine.Arguments)
        {
            start.ArgumentList.Add(argument);
        }

        if (engine.Kind == EngineKind.KumoBinary)
        {
            start.ArgumentList.Add("--host");
            start.ArgumentList.Add(options.Host);
            start.ArgumentList.Add("--port");
            start.ArgumentList.Add(port.ToString(CultureInfo.InvariantCulture));
        }

        foreach (string name in start.Environment.Keys.Where(k => k.StartsWith("KUMO_", StringComparison.OrdinalIgnoreCase)).ToArray())
        {
            start.Environment.Remove(name);
        }

        start.Environment[KumoEnvironment.Host] = options.Host;

        // The embedded engine stops itself when this process is gone, even after a SIGKILL of ours.
        start.Environment[KumoEnvironment.ParentProcessId] = Environment.ProcessId.ToString(CultureInfo.InvariantCulture);
        start.Environment[KumoEnvironment.Port] = port.ToString(CultureInfo.InvariantCulture);
        if (options.DataDir is not null)
        {
            start.Environment[KumoEnvironment.DataDirectory] = Path.GetFullPath(options.DataDir);
        }

        if (options.LogLevel is { } level)
        {
            start.Environment[KumoEnvironment.LogLevel] = KumoLogLevels.ToVariableValue(level);
        }

        foreach ((string name, string? value) in options.Environment)
        {
            if (value is null)
            {
                start.Environment.Remove(name);
            }
            else
            {
                start.Environment[name] = value;
            }
        }

        return start;
    }

    private static void Abandon(Process process, EngineLog log)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
        }

        // Reap the process and drain its output (bounded) so the log tail is complete.
        ProcessOutput.WaitForExitAndDrain(process, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(5));

        LiveEngines.Remove(process);
        log.Append(process.HasExited
            ? $"# kumo-engines: process ended with exit code {process.ExitCode.ToString(CultureInfo.InvariantCulture)}"
            : "# kumo-engines: process did not exit after SIGKILL");
    }

    private static string ClientHost(string host) => host switch
    {
        "0.0.0.0" => "127.0.0.1",
        "::" => "::1",
        _ => host,
    };

    private static TimeSpan Remaining(DateTime deadline)
    {
        TimeSpan remaining = deadline - DateTime.UtcNow;
        return remaining > TimeSpan.Zero ? remaining : TimeSpan.Zero;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Engine} (pid {ProcessId}) healthy at {Endpoint} after {ElapsedMs:0} ms; log: {LogFile}")]
    private static partial void LogStarted(ILogger logger, string engine, int processId, Uri endpoint, double elapsedMs, string logFile);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Engine} failed to start after {ElapsedMs:0} ms")]
    private static partial void LogStartFailed(ILogger logger, Exception exception, string engine, double elapsedMs);
}
