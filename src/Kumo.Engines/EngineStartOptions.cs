using System.Net;
using Kumo.Contract;
using Microsoft.Extensions.Logging;

namespace Kumo.Engines;

/// <summary>How to start an engine process: data directory, address, logging and patience.</summary>
/// <remarks>
/// <para>
/// The child process inherits this process's environment minus every <c>KUMO_*</c> variable (so a
/// stray <c>KUMO_DATA_DIR</c> or <c>KUMO_INIT_DIR</c> cannot leak in), then gets the variables these
/// options imply, then <see cref="Environment"/> (a null value removes a variable).
/// </para>
/// <para>
/// The engine's stdout and stderr are appended to <see cref="LogFile"/> line by line as they arrive
/// (and kept in memory for <see cref="RunningEngine.LogTail"/>); keep the log file outside
/// <see cref="DataDir"/> so it never ends up in a snapshot.
/// </para>
/// </remarks>
/// <example>
/// <code>
/// var options = new EngineStartOptions
/// {
///     DataDir = "/tmp/worker-1/data",
///     LogFile = "/tmp/worker-1/engine.log",
///     LogLevel = KumoLogLevel.Warn,
///     Environment = new Dictionary&lt;string, string?&gt; { ["KUMO_PERSIST_FLUSH_INTERVAL_MS"] = "200" },
/// };
/// </code>
/// </example>
public sealed record EngineStartOptions
{
    /// <summary>The persistence directory (<c>KUMO_DATA_DIR</c>); null keeps state in memory only.</summary>
    public string? DataDir { get; init; }

    /// <summary>The port; 0 (the default) picks a free one.</summary>
    public int Port { get; init; }

    /// <summary>The address to listen on. Default <c>127.0.0.1</c>: tests only talk over loopback.</summary>
    public string Host { get; init; } = KumoDefaults.LoopbackHost;

    /// <summary>The engine's verbosity (<c>KUMO_LOG_LEVEL</c>); null leaves the engine's default.</summary>
    public KumoLogLevel? LogLevel { get; init; }

    /// <summary>Extra environment variables for the engine; a null value removes the variable.</summary>
    public IReadOnlyDictionary<string, string?> Environment { get; init; } = new Dictionary<string, string?>();

    /// <summary>How long to wait for <c>GET /health</c> to answer 200 after the process starts. Default 30 s.</summary>
    public TimeSpan HealthTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The file the engine's output is appended to; null uses a new file under the temporary directory.</summary>
    public string? LogFile { get; init; }

    /// <summary>Receives lifecycle events (start, stop, kill); null logs nothing.</summary>
    public ILogger? Logger { get; init; }

    /// <summary>Checks the options and throws an error naming the setting and the fix.</summary>
    /// <exception cref="ArgumentException">A setting is invalid.</exception>
    public void Validate()
    {
        if (Port is < 0 or > 65535)
        {
            throw new ArgumentException($"{nameof(Port)} is {Port}. Use 0 (any free port) or a port between 1 and 65535.", nameof(Port));
        }

        if (string.IsNullOrWhiteSpace(Host) || (!Host.Equals("localhost", StringComparison.OrdinalIgnoreCase) && !IPAddress.TryParse(Host, out _)))
        {
            throw new ArgumentException($"{nameof(Host)} is '{Host}'. Use an IP address such as 127.0.0.1, or 'localhost'.", nameof(Host));
        }

        if (HealthTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentException($"{nameof(HealthTimeout)} is {HealthTimeout}. Use a positive duration such as 30 seconds.", nameof(HealthTimeout));
        }

        if (DataDir is not null && DataDir.Trim().Length == 0)
        {
            throw new ArgumentException($"{nameof(DataDir)} is blank. Use null for memory-only state, or a directory path.", nameof(DataDir));
        }

        if (LogLevel is { } level && !Enum.IsDefined(level))
        {
            throw new ArgumentException($"{nameof(LogLevel)} is {level}. Use Debug, Info, Warn or Error.", nameof(LogLevel));
        }

        ArgumentNullException.ThrowIfNull(Environment);
    }
}
