namespace Kumo.Embedded;

/// <summary>The verbosity levels kumo accepts in <c>KUMO_LOG_LEVEL</c>.</summary>
public enum KumoLogLevel
{
    /// <summary>Every request and persistence event.</summary>
    Debug,

    /// <summary>Start, stop, and notable events (the default).</summary>
    Info,

    /// <summary>Only problems, including requests real kumo would mishandle.</summary>
    Warn,

    /// <summary>Only failures.</summary>
    Error,
}
