namespace Kumo.Engines;

/// <summary>What happened when an engine was stopped.</summary>
/// <param name="Outcome">Whether it exited on SIGTERM, had to be killed, or had already exited.</param>
/// <param name="ExitCode">The process exit code (0 after a clean graceful stop; 137 or -1 after a kill, depending on the platform).</param>
/// <param name="Elapsed">How long the stop took.</param>
public sealed record EngineStopResult(EngineStopOutcome Outcome, int ExitCode, TimeSpan Elapsed)
{
    /// <summary>True when the engine exited on SIGTERM with exit code 0, i.e. its final flush completed.</summary>
    public bool IsClean => Outcome == EngineStopOutcome.Terminated && ExitCode == 0;
}
