using System.Globalization;
using System.Text;
using Kumo.Contract;

namespace Kumo.Engines;

/// <summary>An engine process did not become healthy: it exited, or <c>/health</c> did not answer in time.</summary>
/// <remarks>
/// The message carries everything needed to diagnose the failure without re-running: the engine,
/// its exit code (if it exited), the endpoint that was tried, how long the launcher waited, the
/// last lines of the engine's output, and the log file with the rest.
/// </remarks>
public sealed class EngineStartException : Exception
{
    /// <summary>Creates the exception.</summary>
    public EngineStartException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">The explanation.</param>
    public EngineStartException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the underlying failure.</summary>
    /// <param name="message">The explanation.</param>
    /// <param name="innerException">The failure that caused it.</param>
    public EngineStartException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    internal EngineStartException(string reason, EngineDefinition engine, int? exitCode, Uri? endpoint, TimeSpan waited, IReadOnlyList<string> logTail, string logFile, Exception? lastError)
        : base(Format(reason, engine, exitCode, endpoint, waited, logTail, logFile, lastError), lastError)
    {
        ExitCode = exitCode;
        Endpoint = endpoint;
        Waited = waited;
        LogTail = logTail;
        LogFile = logFile;
    }

    /// <summary>The exit code when the process exited before becoming healthy; null when it was still running.</summary>
    public int? ExitCode { get; }

    /// <summary>The endpoint that was probed, or null when the engine never reported one.</summary>
    public Uri? Endpoint { get; }

    /// <summary>How long the launcher waited.</summary>
    public TimeSpan Waited { get; }

    /// <summary>The last lines the engine printed, oldest first.</summary>
    public IReadOnlyList<string> LogTail { get; } = [];

    /// <summary>The file holding the engine's whole output.</summary>
    public string? LogFile { get; }

    private static string Format(string reason, EngineDefinition engine, int? exitCode, Uri? endpoint, TimeSpan waited, IReadOnlyList<string> logTail, string logFile, Exception? lastError)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"{engine.DisplayName} did not become healthy: {reason}. ");
        text.Append(exitCode is { } code ? $"Exit code: {code.ToString(CultureInfo.InvariantCulture)}. " : "The process was still running (it has been killed). ");
        text.Append(CultureInfo.InvariantCulture, $"Endpoint tried: {(endpoint is null ? "none (the engine never reported one)" : new Uri(endpoint, KumoDefaults.HealthPath).ToString())}. ");
        text.Append(CultureInfo.InvariantCulture, $"Waited {waited.TotalSeconds:0.0} s. ");
        if (lastError is not null)
        {
            text.Append(CultureInfo.InvariantCulture, $"Last probe error: {lastError.GetType().Name}: {lastError.Message}. ");
        }

        text.Append(CultureInfo.InvariantCulture, $"Command: {engine.FileName} {string.Join(' ', engine.Arguments)}. Full log: {logFile}.");
        text.AppendLine();
        text.AppendLine(logTail.Count == 0 ? "The engine printed nothing." : $"Last {logTail.Count} log lines:");
        foreach (string line in logTail)
        {
            text.Append("  | ").AppendLine(line);
        }

        return text.ToString();
    }
}
