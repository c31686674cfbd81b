using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;

namespace Kumo.Embedded.Server;

/// <summary>
/// The engine's own HTTP/1.1 server (<see cref="KumoHttpServer.Builtin"/>): a thread per connection doing blocking
/// <c>recv</c>/<c>send</c>, the request's head parsed by hand, the engine's handlers run on that thread through the
/// host's <see cref="IHttpApplication{TContext}"/> with an <c>HttpContext</c> as on Kestrel.
/// </summary>
/// <remarks>
/// <para>
/// Why not Kestrel: measured side by side (<c>bench/results/request-cost.md</c> sections 23 and 24), Kestrel's HTTP
/// layer costs about 6 µs per request over a hand-parsed one on a thread per connection, which is what keeps the
/// engine under 2× the fastest peer at one connection; <see cref="KumoHttpServer.Kestrel"/> stays available.
/// </para>
/// <para>
/// What it does for the engine: Content-Length and chunked request bodies, <c>Expect: 100-continue</c> (sent when the
/// handler first reads the body), keep-alive and pipelining, <c>Connection: close</c> either way, answers buffered
/// until the handler ends (one <c>send</c> with the head) or chunked once flushed, <c>RequestAborted</c> when the
/// client goes away during a long poll, 400/414/431/501/505 for what it cannot read, and a graceful stop.
/// HTTP/1.1 only: no TLS, no HTTP/2, no upgrades, which the engine's clients never use.
/// </para>
/// </remarks>
internal sealed partial class Http1Server : IServer
{
    /// <summary>An idle keep-alive connection is closed after this long, as Kestrel's default.</summary>
    internal static readonly TimeSpan KeepAliveTimeout = TimeSpan.FromSeconds(130);

    private readonly IPEndPoint _endpoint;
    private readonly ILogger _logger;
    private readonly ServerAddressesFeature _addresses = new();
    private readonly ConcurrentDictionary<long, Http1Connection> _connections = new();
    private readonly CancellationTokenSource _stopping = new();
    private Socket? _listener;
    private Thread? _acceptor;
    private long _nextId;

    /// <summary>
    /// A server for <paramref name="endpoint"/> (port 0: any free port), logging to <paramref name="loggerFactory"/>, whose
    /// connections watch their socket for up to <paramref name="spinWait"/> before blocking for a next request (<see cref="ReceiveSpin"/>).
    /// </summary>
    public Http1Server(IPEndPoint endpoint, ILoggerFactory loggerFactory, TimeSpan spinWait)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        _endpoint = endpoint;
        _logger = loggerFactory.CreateLogger("kumo.http");
        Spin = new ReceiveSpin(spinWait);
        Features.Set<IServerAddressesFeature>(_addresses);
    }

    /// <inheritdoc />
    public IFeatureCollection Features { get; } = new FeatureCollection();

    /// <summary>Set once the server stops: connections close after their current answer.</summary>
    internal bool IsStopping => _stopping.IsCancellationRequested;

    /// <summary>The watch before a connection blocks for its client's next request.</summary>
    internal ReceiveSpin Spin { get; }

    /// <summary>The logger for requests the server cannot complete.</summary>
    internal ILogger Logger => _logger;

    /// <inheritdoc />
    public Task StartAsync<TContext>(IHttpApplication<TContext> application, CancellationToken cancellationToken)
        where TContext : notnull
    {
        ArgumentNullException.ThrowIfNull(application);
        var listener = new Socket(_endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            if (_endpoint.Address.Equals(IPAddress.IPv6Any))
            {
                listener.DualMode = true;
            }

            listener.Bind(_endpoint);
            listener.Listen(512);
        }
        catch (SocketException ex)
        {
            listener.Dispose();
            throw new IOException($"Failed to bind to address http://{_endpoint}: {ex.Message}", ex);
        }

        _listener = listener;
        var bound = (IPEndPoint)listener.LocalEndPoint!;
        string host = bound.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{bound.Address}]" : bound.Address.ToString();
        _addresses.Addresses.Add($"http://{host}:{bound.Port}");
        _acceptor = new Thread(() => Accept(listener, application)) { IsBackground = true, Name = "kumo-http-accept" };
        _acceptor.Start();
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_stopping.IsCancellationRequested)
        {
            return;
        }

        _stopping.Cancel();
        _listener?.Dispose();
        foreach (Http1Connection connection in _connections.Values)
        {
            connection.CloseIfIdle();
        }

        // In-flight requests finish and their connections close after the answer; past the host's shutdown timeout
        // what is left is cut off.
        try
        {
            while (!_connections.IsEmpty)
            {
                await Task.Delay(5, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            foreach (Http1Connection connection in _connections.Values)
            {
                connection.Abort();
            }
        }

        _acceptor?.Join(TimeSpan.FromSeconds(5));
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _stopping.Cancel();
        _listener?.Dispose();
        foreach (Http1Connection connection in _connections.Values)
        {
            connection.Abort();
        }

        _stopping.Dispose();
    }

    /// <summary>Forgets a connection that has closed.</summary>
    internal void Remove(Http1Connection connection) => _connections.TryRemove(connection.Id, out _);

    private void Accept<TContext>(Socket listener, IHttpApplication<TContext> application)
        where TContext : notnull
    {
        while (!_stopping.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = listener.Accept();
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
            {
                if (_stopping.IsCancellationRequested)
                {
                    return;
                }

                LogAcceptFailed(_logger, ex);
                continue;
            }

            socket.NoDelay = true;
            var connection = new Http1Connection<TContext>(this, socket, application, Interlocked.Increment(ref _nextId));
            _connections[connection.Id] = connection;
            if (_stopping.IsCancellationRequested)
            {
                connection.Abort();
                Remove(connection);
                continue;
            }

            new Thread(connection.Run) { IsBackground = true, Name = "kumo-http" }.Start();
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Accepting a connection failed")]
    private static partial void LogAcceptFailed(ILogger logger, Exception exception);
}
