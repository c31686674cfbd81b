using System.Collections;
using System.Globalization;
using System.Net;
using Kumo.Contract;

namespace Kumo.Embedded;

/// <summary>
/// Settings of an embedded engine, mirroring kumo's <c>KUMO_*</c> contract.
/// </summary>
/// <remarks>
/// <para>
/// The defaults follow kumo v0.32.0 except <see cref="Host"/>, which is <c>127.0.0.1</c> rather than
/// kumo's <c>0.0.0.0</c>: an emulator with no authentication should not listen on every interface
/// unless asked to.
/// </para>
/// <para>
/// <see cref="FromEnvironment(IDictionary, IReadOnlyList{string})"/> reads the same variables and flags
/// as kumo (flags win over variables), plus a few of this engine's own (<c>KUMO_STRICT_COMPAT</c>,
/// <c>KUMO_MAX_OBJECT_SIZE</c>, <c>KUMO_DURABILITY</c>, <c>KUMO_CORRUPT_STATE</c>).
/// </para>
/// </remarks>
/// <example>
/// <code>
/// await using var engine = await KumoEngine.StartAsync(new KumoEngineOptions { Port = 0 });
/// var s3 = new AmazonS3Client(new AmazonS3Config { ServiceURL = engine.Endpoint.ToString(), ForcePathStyle = true });
/// </code>
/// </example>
public sealed record KumoEngineOptions
{
    private static readonly TimeSpan DefaultHttpSpinWait = TimeSpan.FromMicroseconds(100);
    private static readonly TimeSpan MaxHttpSpinWait = TimeSpan.FromMicroseconds(1000);

    /// <summary>The default port of kumo.</summary>
    public const int DefaultPort = KumoDefaults.Port;

    /// <summary>The address to listen on (<c>KUMO_HOST</c>, <c>--host</c>). Default <c>127.0.0.1</c>.</summary>
    public string Host { get; init; } = KumoDefaults.LoopbackHost;

    /// <summary>The port to listen on (<c>KUMO_PORT</c>, <c>--port</c>); 0 picks a free port. Default 4566.</summary>
    public int Port { get; init; } = DefaultPort;

    /// <summary>The log verbosity (<c>KUMO_LOG_LEVEL</c>, <c>--log-level</c>). Default <see cref="KumoLogLevel.Info"/>.</summary>
    public KumoLogLevel LogLevel { get; init; } = KumoLogLevel.Info;

    /// <summary>
    /// The persistence directory (<c>KUMO_DATA_DIR</c>, <c>--data-dir</c>); null keeps state in memory
    /// (object bodies then go to a private temporary directory removed on stop).
    /// </summary>
    public string? DataDir { get; init; }

    /// <summary>A directory of <c>*.sh</c> scripts run in name order once the engine listens (<c>KUMO_INIT_DIR</c>).</summary>
    public string? InitDir { get; init; }

    /// <summary>How often dirty state is written to <see cref="DataDir"/> (<c>KUMO_PERSIST_FLUSH_INTERVAL_MS</c>). Default 1 s.</summary>
    public TimeSpan FlushInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>When an acknowledged change is durable (<c>KUMO_DURABILITY=flush|sync</c>). Default <see cref="KumoDurability.Flush"/>.</summary>
    public KumoDurability Durability { get; init; } = KumoDurability.Flush;

    /// <summary>
    /// When true (<c>KUMO_CORRUPT_STATE=refuse</c>), a state file the engine cannot use stops the start with
    /// a <see cref="KumoStateException"/> naming the file and the field; when false (the default,
    /// <c>quarantine</c>) the file is moved aside as <c>&lt;file&gt;.corrupt-&lt;time&gt;</c>, the problem is
    /// logged, and that service starts empty.
    /// </summary>
    public bool RefuseCorruptState { get; init; }

    /// <summary>
    /// When true (<c>KUMO_STRICT_COMPAT=true</c>, <c>--strict</c>), requests that real kumo would mishandle
    /// (aws-chunked bodies, checksum trailers) are rejected with a 400 instead of only being counted.
    /// </summary>
    public bool StrictKumoCompatibility { get; init; }

    /// <summary>The largest object body accepted, in bytes (<c>KUMO_MAX_OBJECT_SIZE</c>). Default 5 GiB, as S3.</summary>
    public long MaxObjectSize { get; init; } = 5L * 1024 * 1024 * 1024;

    /// <summary>The largest non-object request body (XML, JSON, form) accepted, in bytes. Default 4 MiB.</summary>
    public int MaxControlBodySize { get; init; } = 4 * 1024 * 1024;

    /// <summary>
    /// The process that owns this engine (<c>KUMO_PARENT_PID</c>, set by the Kumo launchers). When it
    /// is gone the engine stops gracefully (flushing its state), so an owner killed with SIGKILL
    /// leaves no engine behind. Null (the default) disables the watch.
    /// </summary>
    public int? ParentProcessId { get; init; }

    /// <summary>The HTTP server the engine runs on (<c>KUMO_HTTP_SERVER</c>); <see cref="KumoHttpServer.Builtin"/> unless set.</summary>
    public KumoHttpServer HttpServer { get; init; } = KumoHttpServer.Builtin;

    /// <summary>
    /// How long a connection of the built-in server watches its socket for the client's next request before its thread
    /// blocks (<c>KUMO_HTTP_SPIN_US</c>, in microseconds; 0 turns the watch off). A request that arrives within it is
    /// served without a sleep and a wake-up. A connection watches only while no other connection's thread runs, and
    /// skips its next waits after its client misses the window. Default 100 µs.
    /// </summary>
    public TimeSpan HttpSpinWait { get; init; } = DefaultHttpSpinWait;

    /// <summary>The clock of the engine; tests may substitute their own.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>
    /// When true the engine stops on SIGTERM/SIGINT like a server process (used by the executable).
    /// In-process hosts leave this false and dispose the engine instead.
    /// </summary>
    public bool HandleTerminationSignals { get; init; }

    /// <summary>Checks the options and throws an error naming the setting and the fix.</summary>
    /// <exception cref="KumoConfigurationException">A setting is out of range.</exception>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Host))
        {
            throw new KumoConfigurationException(KumoEnvironment.Host, Host, "Set it to an IP address such as 127.0.0.1, or to 'localhost'.");
        }

        if (!Host.Equals("localhost", StringComparison.OrdinalIgnoreCase) && !IPAddress.TryParse(Host, out _))
        {
            throw new KumoConfigurationException(KumoEnvironment.Host, Host, "Use an IP address (127.0.0.1, 0.0.0.0, ::1) or 'localhost'.");
        }

        if (Port is < 0 or > 65535)
        {
            throw new KumoConfigurationException(KumoEnvironment.Port, Port.ToString(CultureInfo.InvariantCulture), "Use 0 (any free port) or a port between 1 and 65535.");
        }

        if (FlushInterval <= TimeSpan.Zero || FlushInterval > TimeSpan.FromMinutes(10))
        {
            throw new KumoConfigurationException(KumoEnvironment.PersistFlushInterval, ((long)FlushInterval.TotalMilliseconds).ToString(CultureInfo.InvariantCulture), "Use a value between 1 and 600000 milliseconds.");
        }

        if (HttpSpinWait < TimeSpan.Zero || HttpSpinWait > MaxHttpSpinWait)
        {
            throw new KumoConfigurationException(KumoEnvironment.HttpSpinWait, ((long)HttpSpinWait.TotalMicroseconds).ToString(CultureInfo.InvariantCulture), "Use 0 (no watch) up to 1000 microseconds.");
        }

        if (MaxObjectSize <= 0)
        {
            throw new KumoConfigurationException(KumoEnvironment.MaxObjectSize, MaxObjectSize.ToString(CultureInfo.InvariantCulture), "Use a positive number of bytes.");
        }

        if (MaxControlBodySize <= 0)
        {
            throw new KumoConfigurationException(nameof(MaxControlBodySize), MaxControlBodySize.ToString(CultureInfo.InvariantCulture), "Use a positive number of bytes.");
        }
    }

    /// <summary>
    /// Reads options from <c>KUMO_*</c> environment variables and command-line flags; flags win.
    /// </summary>
    /// <param name="environment">The environment, e.g. <see cref="Environment.GetEnvironmentVariables()"/>.</param>
    /// <param name="args">Flags: <c>--host</c>, <c>--port</c>, <c>--data-dir</c>, <c>--init-dir</c>, <c>--log-level</c>, <c>--strict</c>.</param>
    /// <returns>Validated options.</returns>
    /// <exception cref="KumoConfigurationException">A variable or flag has a bad value or is unknown.</exception>
    public static KumoEngineOptions FromEnvironment(IDictionary environment, IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(args);

        string? Env(string name) => environment[name] is string value && value.Length > 0 ? value : null;

        var options = new KumoEngineOptions();
        if (Env(KumoEnvironment.Host) is { } host)
        {
            options = options with { Host = host };
        }

        if (Env(KumoEnvironment.Port) is { } port)
        {
            options = options with { Port = ParsePort(KumoEnvironment.Port, port) };
        }

        if (Env(KumoEnvironment.LogLevel) is { } level)
        {
            options = options with { LogLevel = ParseLogLevel(KumoEnvironment.LogLevel, level) };
        }

        if (Env(KumoEnvironment.DataDirectory) is { } dataDir)
        {
            options = options with { DataDir = dataDir };
        }

        if (Env(KumoEnvironment.InitDirectory) is { } initDir)
        {
            options = options with { InitDir = initDir };
        }

        if (Env(KumoEnvironment.PersistFlushInterval) is { } flush)
        {
            options = options with { FlushInterval = TimeSpan.FromMilliseconds(ParseLong(KumoEnvironment.PersistFlushInterval, flush, "a number of milliseconds such as 1000")) };
        }

        if (Env(KumoEnvironment.HttpServer) is { } server)
        {
            options = options with
            {
                HttpServer = server.ToUpperInvariant() switch
                {
                    "BUILTIN" => KumoHttpServer.Builtin,
                    "KESTREL" => KumoHttpServer.Kestrel,
                    _ => throw new KumoConfigurationException(KumoEnvironment.HttpServer, server, "Use builtin (the engine's own server, the default) or kestrel."),
                },
            };
        }

        if (Env(KumoEnvironment.HttpSpinWait) is { } spin)
        {
            options = options with { HttpSpinWait = TimeSpan.FromMicroseconds(ParseLong(KumoEnvironment.HttpSpinWait, spin, "a number of microseconds from 0 (no watch) to 1000, such as 100")) };
        }

        if (Env(KumoEnvironment.Durability) is { } durability)
        {
            options = options with
            {
                Durability = durability.ToUpperInvariant() switch
                {
                    "FLUSH" => KumoDurability.Flush,
                    "SYNC" => KumoDurability.Sync,
                    _ => throw new KumoConfigurationException(KumoEnvironment.Durability, durability, "Use flush (fsync every flush interval) or sync (fsync before every acknowledgement)."),
                },
            };
        }

        if (Env(KumoEnvironment.CorruptState) is { } corrupt)
        {
            options = options with
            {
                RefuseCorruptState = corrupt.ToUpperInvariant() switch
                {
                    "QUARANTINE" => false,
                    "REFUSE" => true,
                    _ => throw new KumoConfigurationException(KumoEnvironment.CorruptState, corrupt, "Use quarantine (move the file aside and start empty) or refuse (stop with the problem)."),
                },
            };
        }

        if (Env(KumoEnvironment.StrictCompatibility) is { } strict)
        {
            options = options with { StrictKumoCompatibility = ParseBool(KumoEnvironment.StrictCompatibility, strict) };
        }

        if (Env(KumoEnvironment.ParentProcessId) is { } parent)
        {
            options = options with { ParentProcessId = (int)ParseLong(KumoEnvironment.ParentProcessId, parent, "the id of the process that owns the engine") };
        }

        if (Env(KumoEnvironment.MaxObjectSize) is { } maxObject)
        {
            options = options with { MaxObjectSize = ParseLong(KumoEnvironment.MaxObjectSize, maxObject, "a number of bytes such as 104857600") };
        }

        for (int i = 0; i < args.Count; i++)
        {
            string arg = args[i];
            string? inline = null;
            int equals = arg.IndexOf('=', StringComparison.Ordinal);
            if (arg.StartsWith("--", StringComparison.Ordinal) && equals > 0)
            {
                inline = arg[(equals + 1)..];
                arg = arg[..equals];
            }

            string Value()
            {
                if (inline is not null)
                {
                    return inline;
                }

                if (i + 1 >= args.Count)
                {
                    throw new KumoConfigurationException(arg, null, $"Give a value: {arg} <value>.");
                }

                return args[++i];
            }

            options = arg switch
            {
                "--host" => options with { Host = Value() },
                "--port" => options with { Port = ParsePort("--port", Value()) },
                "--data-dir" => options with { DataDir = Value() },
                "--init-dir" => options with { InitDir = Value() },
                "--log-level" => options with { LogLevel = ParseLogLevel("--log-level", Value()) },
                "--strict" => options with { StrictKumoCompatibility = inline is null || ParseBool("--strict", inline) },
                _ => throw new KumoConfigurationException(arg, null, "Known flags: --host, --port, --data-dir, --init-dir, --log-level, --strict."),
            };
        }

        options.Validate();
        return options;
    }

    private static int ParsePort(string setting, string value)
    {
        if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int port) || port > 65535)
        {
            throw new KumoConfigurationException(setting, value, "Use 0 (any free port) or a port between 1 and 65535.");
        }

        return port;
    }

    private static long ParseLong(string setting, string value, string expected)
    {
        if (!long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out long number))
        {
            throw new KumoConfigurationException(setting, value, $"Use {expected}.");
        }

        return number;
    }

    private static bool ParseBool(string setting, string value) => value.ToUpperInvariant() switch
    {
        "1" or "TRUE" or "YES" or "ON" => true,
        "0" or "FALSE" or "NO" or "OFF" => false,
        _ => throw new KumoConfigurationException(setting, value, "Use true or false."),
    };

    private static KumoLogLevel ParseLogLevel(string setting, string value) =>
        KumoLogLevels.TryParse(value, out KumoLogLevel level) ? level : throw new KumoConfigurationException(setting, value, "Use debug, info, warn or error.");
}
