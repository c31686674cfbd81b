namespace Kumo.Engines;

/// <summary>The verbosity an engine is started with (<c>KUMO_LOG_LEVEL</c>).</summary>
public enum EngineLogLevel
{
    /// <summary><c>debug</c>: every request and internal step.</summary>
    Debug,

    /// <summary><c>info</c>: the default of kumo.</summary>
    Info,

    /// <summary><c>warn</c>: problems only.</summary>
    Warn,

    /// <summary><c>error</c>: failures only.</summary>
    Error,
}
