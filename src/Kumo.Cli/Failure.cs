using Kumo.Engines;
using Kumo.Seeding;
using Kumo.Snapshots;

namespace Kumo.Cli;

/// <summary>Maps any exception a command lets escape to kumoctl's exit code and a one-line message with the fix.</summary>
/// <remarks>
/// Exit codes (README): 0 done, 1 failed (seed, verify, engine, file system, timeout), 2 bad usage or
/// a bad manifest, 130 cancelled. Nothing escapes as an unhandled exception (which would abort the
/// process with exit code 134 and a stack trace).
/// </remarks>
internal static class Failure
{
    public const int Failed = 1;
    public const int BadUsage = 2;

    /// <summary>The exit code and the message for <paramref name="error"/>.</summary>
    public static (int ExitCode, string Message) Describe(string verb, Exception error) => error switch
    {
        UsageException or SeedManifestException => (BadUsage, error.Message),
        SeedException or EngineStartException or EngineNotFoundException or SnapshotBuildException or SnapshotCorruptException or SnapshotMismatchException
            or HttpRequestException or Amazon.Runtime.AmazonServiceException => (Failed, error.Message),
        TimeoutException => (Failed, $"{verb}: timed out: {OneLine(error.Message)}"),
        UnauthorizedAccessException => (Failed, $"{verb}: access denied: {OneLine(error.Message)} Check the path's permissions, or point the option at a folder you can write."),
        IOException => (Failed, $"{verb}: file system error: {OneLine(error.Message)}"),
        Amazon.Runtime.AmazonClientException => (Failed, $"{verb}: the AWS client failed: {OneLine(error.Message)} Check that the engine at --endpoint is running and healthy (GET /health)."),
        _ => (Failed, $"{verb}: unexpected {error.GetType().Name}: {OneLine(error.Message)} This is a kumoctl bug; please report it with the command line."),
    };

    private static string OneLine(string message) => string.Join(' ', message.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries));
}
