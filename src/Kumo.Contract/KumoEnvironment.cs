namespace Kumo.Contract;

/// <summary>The <c>KUMO_*</c> environment variables: what a kumo-compatible engine reads and what the Kumo tools read.</summary>
/// <remarks>
/// kumo v0.32.0 reads <see cref="Host"/>, <see cref="Port"/>, <see cref="LogLevel"/>, <see cref="DataDirectory"/> and
/// <see cref="InitDirectory"/>; the embedded engine reads those and the engine settings below; the launchers, the
/// snapshot store and the test harness read the rest.
/// </remarks>
public static class KumoEnvironment
{
    /// <summary>The address the engine binds (<c>KUMO_HOST</c>).</summary>
    public const string Host = "KUMO_HOST";

    /// <summary>The port the engine listens on (<c>KUMO_PORT</c>; 0 is any free port).</summary>
    public const string Port = "KUMO_PORT";

    /// <summary>The engine's log verbosity (<c>KUMO_LOG_LEVEL</c>; values from <see cref="KumoLogLevels.ToVariableValue"/>).</summary>
    public const string LogLevel = "KUMO_LOG_LEVEL";

    /// <summary>The directory the engine keeps its state in (<c>KUMO_DATA_DIR</c>; unset: memory only).</summary>
    public const string DataDirectory = "KUMO_DATA_DIR";

    /// <summary>The directory whose <c>*.sh</c> scripts run once the engine listens (<c>KUMO_INIT_DIR</c>).</summary>
    public const string InitDirectory = "KUMO_INIT_DIR";

    /// <summary>The process id of the engine's owner; the engine stops when it dies (<c>KUMO_PARENT_PID</c>).</summary>
    public const string ParentProcessId = "KUMO_PARENT_PID";

    /// <summary>The embedded engine's flush interval in milliseconds (<c>KUMO_PERSIST_FLUSH_INTERVAL_MS</c>).</summary>
    public const string PersistFlushInterval = "KUMO_PERSIST_FLUSH_INTERVAL_MS";

    /// <summary>The embedded engine's durability mode, <c>flush</c> or <c>sync</c> (<c>KUMO_DURABILITY</c>).</summary>
    public const string Durability = "KUMO_DURABILITY";

    /// <summary>What the embedded engine does with corrupt state, <c>quarantine</c> or <c>refuse</c> (<c>KUMO_CORRUPT_STATE</c>).</summary>
    public const string CorruptState = "KUMO_CORRUPT_STATE";

    /// <summary>Whether the embedded engine rejects what real kumo would mishandle (<c>KUMO_STRICT_COMPAT</c>).</summary>
    public const string StrictCompatibility = "KUMO_STRICT_COMPAT";

    /// <summary>The largest object the embedded engine accepts, in bytes (<c>KUMO_MAX_OBJECT_SIZE</c>).</summary>
    public const string MaxObjectSize = "KUMO_MAX_OBJECT_SIZE";

    /// <summary>The embedded engine's HTTP server: <c>builtin</c> (the default) or <c>kestrel</c> (<c>KUMO_HTTP_SERVER</c>).</summary>
    public const string HttpServer = "KUMO_HTTP_SERVER";

    /// <summary>How long the embedded engine's server watches a connection for its next request before blocking, in microseconds (<c>KUMO_HTTP_SPIN_US</c>).</summary>
    public const string HttpSpinWait = "KUMO_HTTP_SPIN_US";

    /// <summary>Where the embedded engine's assembly is, when it is not beside the app (<c>KUMO_EMBEDDED_PATH</c>).</summary>
    public const string EmbeddedPath = "KUMO_EMBEDDED_PATH";

    /// <summary>The kumo binary to run, when it is not on <c>PATH</c> (<c>KUMO_BINARY</c>).</summary>
    public const string Binary = "KUMO_BINARY";

    /// <summary>The snapshot store's directory (<c>KUMO_SNAPSHOT_DIR</c>).</summary>
    public const string SnapshotDirectory = "KUMO_SNAPSHOT_DIR";

    /// <summary>The id of one test run (<c>KUMO_RUN_ID</c>).</summary>
    public const string RunId = "KUMO_RUN_ID";

    /// <summary>The id of one worker within a run (<c>KUMO_WORKER_ID</c>).</summary>
    public const string WorkerId = "KUMO_WORKER_ID";

    /// <summary>The index of this shard (<c>KUMO_SHARD_INDEX</c>).</summary>
    public const string ShardIndex = "KUMO_SHARD_INDEX";

    /// <summary>The number of shards (<c>KUMO_SHARD_COUNT</c>).</summary>
    public const string ShardCount = "KUMO_SHARD_COUNT";
}
