namespace Kumo.Testing;

/// <summary>What <see cref="FailureArtifacts.WriteAsync"/> saves for a failed test; every part is optional.</summary>
/// <example>
/// <code>
/// var content = new FailureArtifactContent
/// {
///     SeedManifestPath = "fixtures/seed.json",
///     EngineLog = engine.RecentLog,
///     StateDump = await KumoStateDump.CaptureAsync(s3, sqs),
///     Failure = exception,
/// };
/// </code>
/// </example>
public sealed class FailureArtifactContent
{
    /// <summary>The seed manifest to copy (saved as <c>seed-manifest.json</c>).</summary>
    public string? SeedManifestPath { get; init; }

    /// <summary>The snapshot manifest to copy, if the engine ran on a snapshot (saved as <c>snapshot-manifest.json</c>).</summary>
    public string? SnapshotManifestPath { get; init; }

    /// <summary>The engine's log lines (saved as <c>engine.log</c>).</summary>
    public IEnumerable<string>? EngineLog { get; init; }

    /// <summary>The engine's state (saved as <c>state.json</c>).</summary>
    public KumoStateDump? StateDump { get; init; }

    /// <summary>The failure (saved as <c>failure.txt</c>, with the stack trace).</summary>
    public Exception? Failure { get; init; }

    /// <summary>
    /// The failure as text, for when only a description is at hand (e.g. a test framework's recorded
    /// messages and stack traces); saved as <c>failure.txt</c> when <see cref="Failure"/> is null.
    /// </summary>
    public string? FailureText { get; init; }
}
