namespace Kumo.Engines;

/// <summary>How an engine process ended when it was stopped.</summary>
public enum EngineStopOutcome
{
    /// <summary>The process had already exited before the stop was requested.</summary>
    AlreadyExited,

    /// <summary>The process exited after SIGTERM within the grace period (its final flush ran).</summary>
    Terminated,

    /// <summary>The process did not exit within the grace period and was killed (SIGKILL): state may be older than the last request.</summary>
    Killed,
}
