using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.Logging;

namespace Kumo.Aspire.Hosting.Testing;

/// <summary>Reads everything a resource has logged so far: the engine's console output and the integration's own lines.</summary>
internal static partial class KumoResourceLogs
{
    /// <summary>Returns every log line of <paramref name="resource"/>, oldest first.</summary>
    /// <param name="logs">The AppHost's resource logger service.</param>
    /// <param name="resource">The resource.</param>
    /// <param name="cancellationToken">Cancels reading.</param>
    /// <returns>The lines; error lines are prefixed with <c>[stderr] </c>.</returns>
    /// <remarks>
    /// <see cref="ResourceLoggerService.GetAllAsync(IResource)"/> replays the engine's console output, which only exists
    /// once DCP runs the application. Before that (an application that was built but not started) it throws, and the
    /// lines the AppHost wrote for the resource are read from a log watch instead, whose first batch is the backlog
    /// (never empty: a line is written first).
    /// </remarks>
    public static async Task<List<string>> ReadAsync(ResourceLoggerService logs, IResource resource, CancellationToken cancellationToken)
    {
        var lines = new List<string>();
        try
        {
            await foreach (var batch in logs.GetAllAsync(resource).WithCancellation(cancellationToken).ConfigureAwait(false))
            {
                lines.AddRange(batch.Select(Format));
            }

            return lines;
        }
        catch (InvalidOperationException) when (lines.Count == 0)
        {
            // Not started by DCP: no console logs yet.
        }

        LogReading(logs.GetLogger(resource));
        await using var watch = logs.WatchAsync(resource).GetAsyncEnumerator(cancellationToken);
        if (await watch.MoveNextAsync().ConfigureAwait(false))
        {
            lines.AddRange(watch.Current.Select(Format));
        }

        return lines;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "kumo: reading this resource's log (the application was not started by DCP, so there is no engine output)")]
    private static partial void LogReading(ILogger logger);

    private static string Format(LogLine line) => line.IsErrorMessage ? "[stderr] " + line.Content : line.Content;
}
