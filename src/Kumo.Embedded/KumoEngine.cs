using System.Net;
using System.Text.Json;
using Kumo.Contract;
using Kumo.Embedded.Compatibility;
using Kumo.Embedded.DynamoDb;
using Kumo.Embedded.Hosting;
using Kumo.Embedded.Persistence;
using Kumo.Embedded.Protocol;
using Kumo.Embedded.S3;
using Kumo.Embedded.Server;
using Kumo.Embedded.Sqs;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Kumo.Embedded;

/// <summary>
/// A running kumo-compatible engine (S3, SQS and DynamoDB) on its own HTTP/1.1 server (or Kestrel, <see cref="KumoEngineOptions.HttpServer"/>).
/// </summary>
/// <remarks>
/// <para>
/// Start one in-process for a test with <see cref="StartAsync"/> (port 0 picks a free port) and
/// dispose it to stop: disposal drains requests and writes a final flush of the state to
/// <see cref="KumoEngineOptions.DataDir"/>, exactly as the process does on SIGTERM.
/// </para>
/// <para>
/// Requests are routed as kumo routes them: <c>X-Amz-Target: AmazonSQS.*</c> is SQS over JSON 1.0,
/// <c>X-Amz-Target: DynamoDB_20120810.*</c> is DynamoDB, a form post (or a GET with <c>Action</c>) is SQS over
/// the query protocol, anything else is S3.
/// </para>
/// </remarks>
/// <example>
/// <code>
/// await using var engine = await KumoEngine.StartAsync(new KumoEngineOptions { Port = 0, DataDir = "/tmp/kumo" });
/// Console.WriteLine(engine.Endpoint); // http://127.0.0.1:41234/
/// </code>
/// </example>
public sealed partial class KumoEngine : IAsyncDisposable
{
    /// <summary>The name prefix of a memory-only engine's private folder (<see cref="PrivateFolders"/>): <c>kumo-embedded-&lt;pid&gt;-&lt;guid&gt;</c>.</summary>
    internal const string PrivateFolderPrefix = PrivateFolders.Prefix;

    private readonly WebApplication _app;
    private readonly PersistenceCoordinator _persistence;
    private readonly EngineLogProvider _recentLog;
    private readonly string? _privateBlobRoot;
    private readonly S3Service _s3;
    private readonly SqsService _sqs;
    private DynamoDbService _dynamodb = null!;
    private int _disposed;

    private KumoEngine(WebApplication app, PersistenceCoordinator persistence, EngineLogProvider recentLog, string? privateBlobRoot, S3Service s3, SqsService sqs, KumoEngineOptions options, KumoCompatibilityMonitor compatibility)
    {
        _app = app;
        _persistence = persistence;
        _recentLog = recentLog;
        _privateBlobRoot = privateBlobRoot;
        _s3 = s3;
        _sqs = sqs;
        Options = options;
        Compatibility = compatibility;
        Endpoint = new Uri("http://127.0.0.1/");
    }

    /// <summary>The base URL clients use, e.g. <c>http://127.0.0.1:4566/</c>.</summary>
    public Uri Endpoint { get; private set; }

    /// <summary>The options the engine runs with.</summary>
    public KumoEngineOptions Options { get; }

    /// <summary>Requests seen that real kumo would mishandle.</summary>
    public KumoCompatibilityMonitor Compatibility { get; }

    /// <summary>The engine's most recent log lines (up to 2,000), oldest first.</summary>
    public IReadOnlyList<string> RecentLog => _recentLog.Snapshot();

    /// <summary>Completes when the engine is asked to stop (SIGTERM, SIGINT, or <see cref="DisposeAsync"/>).</summary>
    public CancellationToken Stopping => _app.Lifetime.ApplicationStopping;

    /// <summary>Starts an engine and returns once it accepts connections.</summary>
    /// <param name="options">Settings; null uses the defaults (127.0.0.1:4566, memory only).</param>
    /// <param name="logging">A log sink (e.g. a test's output); when null, log lines are written to stdout.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>The running engine.</returns>
    /// <exception cref="KumoConfigurationException">The options are invalid.</exception>
    /// <exception cref="IOException">The port is taken or the data directory cannot be used.</exception>
    /// <exception cref="KumoStateException">A state file cannot be used and <see cref="KumoEngineOptions.RefuseCorruptState"/> is set.</exception>
    public static async Task<KumoEngine> StartAsync(KumoEngineOptions? options = null, ILoggerProvider? logging = null, CancellationToken cancellationToken = default)
    {
        options ??= new KumoEngineOptions();
        options.Validate();

        string? privateBlobRoot = null;
        string blobRoot;
        if (options.DataDir is { } dataDir)
        {
            Directory.CreateDirectory(dataDir);
            blobRoot = Path.GetFullPath(dataDir);
        }
        else
        {
            // A SIGKILLed engine cannot remove its private folder; the next engine to start removes those of dead processes.
            privateBlobRoot = PrivateFolders.Create();
            blobRoot = privateBlobRoot;
        }

        LogLevel minimum = options.LogLevel switch
        {
            KumoLogLevel.Debug => LogLevel.Debug,
            KumoLogLevel.Info => LogLevel.Information,
            KumoLogLevel.Warn => LogLevel.Warning,
            _ => LogLevel.Error,
        };

        // Without an explicit sink the engine echoes its log lines to stdout, as kumo does.
        var recentLog = new EngineLogProvider(2000, minimum, options.Time, logging is null ? Console.Out : null);
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            Args = [],
            ContentRootPath = AppContext.BaseDirectory,
            EnvironmentName = Environments.Production,
        });
        builder.Logging.ClearProviders();
        builder.Logging.SetMinimumLevel(minimum);
        builder.Logging.AddFilter("Microsoft", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.Hosting.Lifetime", LogLevel.None);
        // The host starts an Activity and a log scope for every request while this category is enabled at any level
        // (about a sixth of a PUT's allocations); it only logs request start and end, at Information, filtered out above.
        builder.Logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.None);
        builder.Logging.AddProvider(recentLog);
        if (logging is not null)
        {
            builder.Logging.AddProvider(logging);
        }

        if (!options.HandleTerminationSignals)
        {
            builder.Services.AddSingleton<IHostLifetime, InProcessLifetime>();
        }

        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(30));
        IPAddress listenAddress = options.Host.Equals("localhost", StringComparison.OrdinalIgnoreCase) ? IPAddress.Loopback : IPAddress.Parse(options.Host);
        if (options.HttpServer == KumoHttpServer.Builtin)
        {
            builder.Services.AddSingleton<IServer>(services => new Http1Server(new IPEndPoint(listenAddress, options.Port), services.GetRequiredService<ILoggerFactory>(), options.HttpSpinWait));
        }
        else
        {
            SocketScheduling.Use(builder.WebHost);
            builder.WebHost.ConfigureKestrel(kestrel =>
            {
                kestrel.AddServerHeader = false;
                kestrel.Limits.MaxRequestBodySize = null;
                kestrel.Limits.MaxRequestHeadersTotalSize = Http1Connection.MaxHeadBytes;
                kestrel.Listen(listenAddress, options.Port);
            });
        }

        WebApplication app = builder.Build();
        ILoggerFactory loggerFactory = app.Services.GetRequiredService<ILoggerFactory>();
        ILogger logger = loggerFactory.CreateLogger("kumo");
        var compatibility = new KumoCompatibilityMonitor(options.StrictKumoCompatibility, loggerFactory.CreateLogger("kumo.compat"));
        var context = new EngineContext(options, loggerFactory, compatibility, blobRoot, app.Lifetime.ApplicationStopping);
        var s3 = new S3Service(context);
        var sqs = new SqsService(context);
        var dynamodb = new DynamoDbService(context);
        var persistence = new PersistenceCoordinator([s3, sqs, dynamodb.Persistence], options.DataDir is null ? null : blobRoot, options, logger);
        try
        {
            persistence.LoadAll();
        }
        catch
        {
            await app.DisposeAsync().ConfigureAwait(false);
            await s3.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        var engine = new KumoEngine(app, persistence, recentLog, privateBlobRoot, s3, sqs, options, compatibility) { _dynamodb = dynamodb };
        app.Run(engine.DispatchAsync);

        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await app.DisposeAsync().ConfigureAwait(false);
            await s3.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var bound = new Uri(address);
        string host = options.Host is "0.0.0.0" or "::" ? "127.0.0.1" : bound.Host;
        engine.Endpoint = new UriBuilder("http", host, bound.Port, "/").Uri;
        persistence.Start();
        LogListening(logger, engine.Endpoint, options.DataDir ?? "(memory)", EngineIdentity.Version);

        if (options.ParentProcessId is { } parent)
        {
            _ = Task.Run(() => WatchParentAsync(parent, app.Lifetime, logger), CancellationToken.None);
        }

        if (options.InitDir is { } initDir)
        {
            _ = Task.Run(() => InitScriptRunner.RunAsync(initDir, engine.Endpoint, logger, engine.Stopping), CancellationToken.None);
        }

        return engine;
    }

    /// <summary>Writes a checkpoint of all state to the data directory now (the journals are then empty).</summary>
    /// <param name="cancellationToken">Cancels the wait for a checkpoint already running.</param>
    /// <returns>A task that completes when the state is durable.</returns>
    public Task FlushAsync(CancellationToken cancellationToken = default) => _persistence.FlushAsync(cancellationToken);

    /// <summary>Waits until the engine is asked to stop, e.g. by SIGTERM when run as a process.</summary>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>A task that completes when shutdown begins.</returns>
    public Task WaitForShutdownAsync(CancellationToken cancellationToken = default)
    {
        var stopped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        CancellationTokenRegistration a = Stopping.Register(() => stopped.TrySetResult());
        CancellationTokenRegistration b = cancellationToken.Register(() => stopped.TrySetCanceled(cancellationToken));
        return stopped.Task.ContinueWith(
            t =>
            {
                a.Dispose();
                b.Dispose();
                return t;
            },
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default).Unwrap();
    }

    /// <summary>Stops accepting requests, drains those in flight, flushes state, and releases the port.</summary>
    /// <returns>A task that completes when the engine has stopped.</returns>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        try
        {
            await _app.StopAsync(CancellationToken.None).ConfigureAwait(false);
        }
        finally
        {
            await _persistence.DisposeAsync().ConfigureAwait(false);
            await _sqs.DisposeAsync().ConfigureAwait(false);
            await _s3.DisposeAsync().ConfigureAwait(false);
            await _app.DisposeAsync().ConfigureAwait(false);
            if (_privateBlobRoot is not null)
            {
                try
                {
                    Directory.Delete(_privateBlobRoot, recursive: true);
                }
                catch (IOException)
                {
                }
            }
        }
    }

    /// <summary>
    /// The paths every request is matched against, made once: a <see cref="string"/> compared with a
    /// <see cref="PathString"/> is converted (unescaped and validated) on each comparison.
    /// </summary>
    private static readonly PathString HealthPath = new(KumoDefaults.HealthPath);

    /// <inheritdoc cref="HealthPath"/>
    private static readonly PathString HealthPathWithSlash = new(KumoDefaults.HealthPath + "/");

    /// <inheritdoc cref="HealthPath"/>
    private static readonly PathString ControlPath = new(KumoDefaults.ControlPathPrefix);

    private Task DispatchAsync(HttpContext context)
    {
        HttpRequest request = context.Request;
        PathString path = request.Path;
        if ((path == HealthPath || path == HealthPathWithSlash) && (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method)))
        {
            return WriteJsonAsync(context, static w => w.WriteString("status", "healthy"));
        }

        if (path.StartsWithSegments(ControlPath, StringComparison.Ordinal))
        {
            return HandleInternalAsync(context);
        }

        if (request.Headers.TryGetValue("X-Amz-Target", out var target) && target.ToString().StartsWith("AmazonSQS.", StringComparison.Ordinal))
        {
            return _sqs.HandleJsonAsync(context);
        }

        if (DynamoDbService.Serves(target.ToString()))
        {
            return _dynamodb.HandleAsync(context);
        }

        if (IsQueryProtocol(request))
        {
            return _sqs.HandleQueryAsync(context);
        }

        return _s3.HandleAsync(context);
    }

    private static bool IsQueryProtocol(HttpRequest request)
    {
        if (HttpMethods.IsPost(request.Method) && request.ContentType is { } contentType
            && contentType.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        // A query-protocol GET names its Action in the query string; without one, HttpRequest.Query is not built.
        return HttpMethods.IsGet(request.Method) && request.QueryString.HasValue && request.Query.ContainsKey("Action")
            && (request.Path == "/" || request.Path.StartsWithSegments("/" + EngineContext.AccountId, StringComparison.Ordinal));
    }

    private Task HandleInternalAsync(HttpContext context)
    {
        string path = context.Request.Path.Value!;
        if (path == KumoDefaults.InfoPath)
        {
            return WriteJsonAsync(context, w =>
            {
                w.WriteString("engine", EngineIdentity.Name);
                w.WriteString("version", EngineIdentity.Version);
                w.WriteString("kumoCompatibleWith", EngineIdentity.CompatibleKumoVersion);
                w.WriteNumber("persistenceFormat", EngineIdentity.PersistenceFormat);
                w.WriteBoolean("persistent", Options.DataDir is not null);
                w.WriteBoolean("strictKumoCompatibility", Options.StrictKumoCompatibility);
            });
        }

        if (path == KumoDefaults.CompatibilityPath)
        {
            if (HttpMethods.IsDelete(context.Request.Method))
            {
                Compatibility.Reset();
            }

            return WriteJsonAsync(context, w =>
            {
                w.WriteNumber("total", Compatibility.Total);
                w.WriteStartObject("byReason");
                foreach ((string reason, long count) in Compatibility.ByReason)
                {
                    w.WriteNumber(reason, count);
                }

                w.WriteEndObject();
            });
        }

        if (path == KumoDefaults.FlushPath && HttpMethods.IsPost(context.Request.Method))
        {
            return FlushAndReportAsync(context);
        }

        context.Response.StatusCode = StatusCodes.Status404NotFound;
        return WriteJsonAsync(context, static w => w.WriteString("error", "Unknown kumo endpoint. Known: /health, /_kumo/info, /_kumo/compat, POST /_kumo/flush."));
    }

    private async Task FlushAndReportAsync(HttpContext context)
    {
        await FlushAsync(context.RequestAborted).ConfigureAwait(false);
        await WriteJsonAsync(context, static w => w.WriteBoolean("flushed", true)).ConfigureAwait(false);
    }

    /// <summary>Answers a small JSON object (a HEAD gets its length only); the server sends it when the request ends (<see cref="ResponseBody"/>).</summary>
    private static Task WriteJsonAsync(HttpContext context, Action<Utf8JsonWriter> body)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            body(writer);
            writer.WriteEndObject();
        }

        context.Response.ContentType = "application/json";
        if (HttpMethods.IsHead(context.Request.Method))
        {
            context.Response.ContentLength = buffer.WrittenCount;
        }
        else
        {
            ResponseBody.Write(context.Response, buffer.WrittenSpan);
        }

        return Task.CompletedTask;
    }

    private static async Task WatchParentAsync(int parent, IHostApplicationLifetime lifetime, ILogger logger)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(500));
        try
        {
            while (await timer.WaitForNextTickAsync(lifetime.ApplicationStopping).ConfigureAwait(false))
            {
                if (!Kumo.Storage.ProcessLiveness.IsAlive(parent))
                {
                    LogParentGone(logger, parent);
                    lifetime.StopApplication();
                    return;
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The owning process {ParentProcessId} is gone (KUMO_PARENT_PID); stopping")]
    private static partial void LogParentGone(ILogger logger, int parentProcessId);

    [LoggerMessage(Level = LogLevel.Information, Message = "kumo-embedded {Version} listening on {Endpoint} (data: {DataDir})")]
    private static partial void LogListening(ILogger logger, Uri endpoint, string dataDir, string version);

    /// <summary>A lifetime that ignores process signals: the owner disposes the engine.</summary>
    private sealed class InProcessLifetime : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
