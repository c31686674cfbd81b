using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging;

namespace Kumo.Engines;

/// <summary>An engine process that answered <c>GET /health</c>: its endpoint, process id and log, and how to stop it.</summary>
/// <remarks>
/// <para>
/// <see cref="StopAsync(TimeSpan, CancellationToken)"/> sends SIGTERM, on which kumo and the
/// embedded engine flush their state and exit 0, waits up to the grace period, and only then kills
/// the process (SIGKILL). The returned <see cref="EngineStopResult"/> says which happened: a killed
/// engine may not have written its last state.
/// </para>
/// <para>
/// Disposing stops the engine the same way (10 s grace). Engines still running when this process
/// exits normally are killed; if this process is itself killed with SIGKILL its engines keep
/// running, so owners that can be killed should stop engines they no longer need.
/// </para>
/// </remarks>
/// <example>
/// <code>
/// await using RunningEngine engine = await EngineProcess.StartAsync(EngineDefinition.Embedded(), new EngineStartOptions { DataDir = dir });
/// // ... use engine.Endpoint ...
/// EngineStopResult stop = await engine.StopAsync(TimeSpan.FromSeconds(30));
/// if (!stop.IsClean) throw new InvalidOperationException($"Engine was {stop.Outcome}; see {engine.LogFile}");
/// </code>
/// </example>
public sealed partial class RunningEngine : IAsyncDisposable
{
    /// <summary>The grace period used by <see cref="StopAsync(CancellationToken)"/>: kumo's own shutdown limit.</summary>
    public static readonly TimeSpan DefaultGracePeriod = TimeSpan.FromSeconds(30);

    private static readonly TimeSpan DisposeGracePeriod = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan KillWait = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan OutputDrain = TimeSpan.FromSeconds(5);

    private readonly Process _process;
    private readonly Task _exited;
    private readonly EngineLog _log;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _stopGate = new(1, 1);
    private EngineStopResult? _stopped;
    private int _disposed;

    internal RunningEngine(EngineDefinition definition, Process process, Task exited, EngineLog log, Uri endpoint, string? dataDir, ILogger logger)
    {
        Definition = definition;
        _process = process;
        _exited = exited;
        _log = log;
        _logger = logger;
        Endpoint = endpoint;
        DataDir = dataDir;
        ProcessId = process.Id;
    }

    /// <summary>The engine that runs.</summary>
    public EngineDefinition Definition { get; }

    /// <summary>The base URL clients use, e.g. <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri Endpoint { get; }

    /// <summary>The operating-system process id.</summary>
    public int ProcessId { get; }

    /// <summary>The file holding the engine's stdout and stderr.</summary>
    public string LogFile => _log.Path;

    /// <summary>The engine's data directory, or null when it keeps state in memory.</summary>
    public string? DataDir { get; }

    /// <summary>True once the process has exited.</summary>
    public bool HasExited => _process.HasExited;

    /// <summary>Returns the last <paramref name="lines"/> lines the engine printed, oldest first.</summary>
    /// <param name="lines">How many lines at most (the launcher keeps the last 1,000 in memory; the file has all).</param>
    /// <returns>The lines.</returns>
    public IReadOnlyList<string> LogTail(int lines = 20) => _log.Tail(lines);

    /// <summary>Waits until the process exits (and its output has been read).</summary>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>The exit code.</returns>
    public async Task<int> WaitForExitAsync(CancellationToken cancellationToken = default)
    {
        await _exited.WaitAsync(cancellationToken).ConfigureAwait(false);
        Drain();
        return _process.ExitCode;
    }

    /// <summary>Stops the engine with <see cref="DefaultGracePeriod"/>.</summary>
    /// <param name="cancellationToken">Abandons the graceful wait: the engine is killed and the call throws.</param>
    /// <returns>How the engine ended.</returns>
    public Task<EngineStopResult> StopAsync(CancellationToken cancellationToken = default) => StopAsync(DefaultGracePeriod, cancellationToken);

    /// <summary>
    /// Sends SIGTERM, waits up to <paramref name="gracePeriod"/> for the engine to flush and exit,
    /// then kills it (SIGKILL). Calling it again returns the first result.
    /// </summary>
    /// <param name="gracePeriod">How long the engine may take to exit after SIGTERM.</param>
    /// <param name="cancellationToken">Abandons the graceful wait: the engine is killed and the call throws.</param>
    /// <returns>How the engine ended.</returns>
    public async Task<EngineStopResult> StopAsync(TimeSpan gracePeriod, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(gracePeriod, TimeSpan.Zero);
        if (_stopped is not null)
        {
            return _stopped;
        }

        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        return await StopCoreAsync(gracePeriod, cancellationToken).ConfigureAwait(false);
    }

    private async Task<EngineStopResult> StopCoreAsync(TimeSpan gracePeriod, CancellationToken cancellationToken)
    {
        await _stopGate.WaitAsync(CancellationToken.None).ConfigureAwait(false);
        try
        {
            if (_stopped is not null)
            {
                return _stopped;
            }

            var clock = Stopwatch.StartNew();
            if (_process.HasExited)
            {
                Drain();
                return Finish(new EngineStopResult(EngineStopOutcome.AlreadyExited, _process.ExitCode, clock.Elapsed));
            }

            bool signalled = Signals.TrySend(ProcessId, Signals.SigTerm);
            _log.Append($"# kumo-engines: {(signalled ? "sent SIGTERM" : "SIGTERM unavailable")}; grace period {gracePeriod.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)} s");
            if (signalled)
            {
                using var grace = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                grace.CancelAfter(gracePeriod);
                try
                {
                    await _exited.WaitAsync(grace.Token).ConfigureAwait(false);
                    Drain();
                    EngineStopResult terminated = new(EngineStopOutcome.Terminated, _process.ExitCode, clock.Elapsed);
                    LogStopped(_logger, Definition.DisplayName, ProcessId, terminated.Outcome, terminated.ExitCode, clock.Elapsed.TotalMilliseconds);
                    return Finish(terminated);
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    KillAndWait();
                    Finish(new EngineStopResult(EngineStopOutcome.Killed, _process.ExitCode, clock.Elapsed));
                    throw;
                }
                catch (OperationCanceledException)
                {
                    // The grace period is over.
                }
            }

            KillAndWait();
            EngineStopResult killed = new(EngineStopOutcome.Killed, _process.ExitCode, clock.Elapsed);
            LogKilled(_logger, Definition.DisplayName, ProcessId, gracePeriod.TotalSeconds);
            return Finish(killed);
        }
        finally
        {
            _stopGate.Release();
        }
    }

    /// <summary>Kills the engine at once (SIGKILL, no flush) and waits for it to exit. For tests of crash recovery.</summary>
    public void Kill()
    {
        if (Volatile.Read(ref _disposed) != 0 || _stopped is not null)
        {
            return;
        }

        _stopGate.Wait();
        try
        {
            if (_stopped is not null)
            {
                return;
            }

            var clock = Stopwatch.StartNew();
            bool wasRunning = !_process.HasExited;
            KillAndWait();
            Finish(new EngineStopResult(wasRunning ? EngineStopOutcome.Killed : EngineStopOutcome.AlreadyExited, _process.ExitCode, clock.Elapsed));
        }
        finally
        {
            _stopGate.Release();
        }
    }

    /// <summary>Stops the engine (SIGTERM, 10 s grace, then SIGKILL) and releases the process handle and log.</summary>
    /// <returns>A task that completes when the process has exited.</returns>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        try
        {
            await StopCoreAsync(DisposeGracePeriod, CancellationToken.None).ConfigureAwait(false);
        }
        finally
        {
            _process.Dispose();
            _stopGate.Dispose();
        }
    }

    /// <inheritdoc/>
    public override string ToString() => $"{Definition.DisplayName} (pid {ProcessId}) at {Endpoint}";

    private void KillAndWait()
    {
        try
        {
            _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already exited.
        }

        if (!_exited.Wait(KillWait))
        {
            throw new InvalidOperationException($"{Definition.DisplayName} (pid {ProcessId}) did not exit within {KillWait.TotalSeconds} s of SIGKILL.");
        }

        Drain();
    }

    /// <summary>Waits (bounded) until the output pipes are read to the end, so the log is complete.</summary>
    private void Drain() => ProcessOutput.WaitForExitAndDrain(_process, OutputDrain, OutputDrain);

    private EngineStopResult Finish(EngineStopResult result)
    {
        _log.Append($"# kumo-engines: {result.Outcome}, exit code {result.ExitCode.ToString(CultureInfo.InvariantCulture)}, after {result.Elapsed.TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture)} ms");
        _stopped = result;
        LiveEngines.Remove(_process);
        _log.Dispose();
        return result;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Engine} (pid {ProcessId}) stopped: {Outcome}, exit code {ExitCode}, in {ElapsedMs:0} ms")]
    private static partial void LogStopped(ILogger logger, string engine, int processId, EngineStopOutcome outcome, int exitCode, double elapsedMs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Engine} (pid {ProcessId}) did not exit within {GraceSeconds} s of SIGTERM and was killed; its last state may not have been flushed")]
    private static partial void LogKilled(ILogger logger, string engine, int processId, double graceSeconds);
}
