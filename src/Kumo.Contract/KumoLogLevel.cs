namespace Kumo.Contract;

/// <summary>The verbosity levels kumo accepts in <c>KUMO_LOG_LEVEL</c>.</summary>
public enum KumoLogLevel
{
    /// <summary><c>debug</c>: every request and internal step.</summary>
    Debug,

    /// <summary><c>info</c>: start, stop and notable events (kumo's default).</summary>
    Info,

    /// <summary><c>warn</c>: only problems, including requests real kumo would mishandle.</summary>
    Warn,

    /// <summary><c>error</c>: only failures.</summary>
    Error,
}
