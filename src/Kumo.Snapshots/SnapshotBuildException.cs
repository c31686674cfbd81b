namespace Kumo.Snapshots;

/// <summary>Building a snapshot failed: the engine did not start or stop cleanly, or the seed or verification threw.</summary>
/// <remarks>Nothing is published when a build fails; the message names the phase, the snapshot key and the engine log.</remarks>
public sealed class SnapshotBuildException : Exception
{
    /// <summary>Creates the exception.</summary>
    public SnapshotBuildException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">The explanation.</param>
    public SnapshotBuildException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the failure of the phase.</summary>
    /// <param name="message">The explanation.</param>
    /// <param name="innerException">The failure.</param>
    public SnapshotBuildException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    internal SnapshotBuildException(string key, string phase, string problem, IReadOnlyList<string> logTail, string? logFile, Exception? innerException)
        : base(Format(key, phase, problem, logTail, logFile), innerException)
    {
        Key = key;
        Phase = phase;
        LogFile = logFile;
    }

    /// <summary>The key of the snapshot that was being built.</summary>
    public string? Key { get; }

    /// <summary>The build phase that failed (<c>engine-start</c>, <c>seed</c>, <c>verify</c>, <c>engine-stop</c>, <c>hash</c>, <c>publish</c>).</summary>
    public string? Phase { get; }

    /// <summary>The engine log of the failed build (deleted with the build directory unless the failure kept it).</summary>
    public string? LogFile { get; }

    private static string Format(string key, string phase, string problem, IReadOnlyList<string> logTail, string? logFile)
    {
        var text = new System.Text.StringBuilder();
        text.Append("Building snapshot ").Append(key).Append(" failed in phase '").Append(phase).Append("': ").Append(problem);
        if (!problem.EndsWith('.'))
        {
            text.Append('.');
        }

        if (logTail.Count > 0)
        {
            text.AppendLine().AppendLine($"Last {logTail.Count} engine log lines{(logFile is null ? string.Empty : $" ({logFile})")}:");
            foreach (string line in logTail)
            {
                text.Append("  | ").AppendLine(line);
            }
        }

        return text.ToString();
    }
}
