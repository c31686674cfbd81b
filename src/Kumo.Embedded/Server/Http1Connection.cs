using System.Net.Sockets;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Abstractions;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Kumo.Embedded.Server;

/// <summary>
/// One client connection of <see cref="Http1Server"/> on its own thread: reads a request's head, runs the application
/// on this thread, sends the answer, and reads the next request, until either side closes.
/// </summary>
/// <remarks>
/// A request whose handler awaits (a long poll, a durable write) finishes on whichever thread completes it; meanwhile
/// this thread watches the socket, so a client that goes away cancels <see cref="RequestAborted"/>. The connection is
/// also the request's feature collection (<c>Http1Connection.Features.cs</c>), reused from request to request as
/// Kestrel reuses its own.
/// </remarks>
internal abstract partial class Http1Connection
{
    /// <summary>The longest request line (method, target, version), as Kestrel's default; longer gets 414.</summary>
    internal const int MaxRequestLineBytes = 8 * 1024;

    /// <summary>The largest request head, as the engine configured Kestrel; larger gets 431.</summary>
    internal const int MaxHeadBytes = 64 * 1024;

    private const int InitialBufferBytes = 16 * 1024;
    private const long LingerBytes = 1024 * 1024;
    private static readonly TimeSpan LingerTimeout = TimeSpan.FromSeconds(2);

    private readonly Http1Server _server;
    private readonly Socket _socket;
    private readonly Action _onApplicationCompleted;
    private readonly ManualResetEventSlim _finished = new(initialState: true);
    private readonly byte[] _peek = new byte[1];
    private byte[] _buffer = new byte[InitialBufferBytes];
    private int _start;
    private int _end;
    private Task? _running;
    private volatile bool _idle;
    private int _watching;
    private volatile bool _aborted;
    private bool _keepAlive;
    private ReceiveSpin.History _spinHistory;

    /// <summary>A connection accepted by <paramref name="server"/>.</summary>
    protected Http1Connection(Http1Server server, Socket socket, long id)
    {
        _server = server;
        _socket = socket;
        Id = id;
        _socket.ReceiveTimeout = (int)Http1Server.KeepAliveTimeout.TotalMilliseconds;
        _onApplicationCompleted = OnApplicationCompleted;
    }

    /// <summary>The connection's number within its server.</summary>
    public long Id { get; }

    /// <summary>Serves requests until the client or the server closes the connection; the thread's whole work.</summary>
    public void Run()
    {
        _server.Spin.Opened();
        try
        {
            while (!_aborted && ReadHead())
            {
                if (!Serve())
                {
                    break;
                }
            }
        }
        catch (Exception ex) when (ex is SocketException or IOException or ObjectDisposedException)
        {
            // The client went away or the server cut the connection off: nothing left to answer.
        }
        catch (Exception ex)
        {
            LogConnectionFailed(_server.Logger, Id, ex);
        }
        finally
        {
            if (!_aborted)
            {
                LingeringClose();
            }

            _socket.Dispose();
            _finished.Dispose();
            ReturnResponseBuffers();
            _server.Spin.Closed();
            _server.Remove(this);
        }
    }

    /// <summary>Closes the connection now if it waits for a next request (the server is stopping).</summary>
    public void CloseIfIdle()
    {
        if (_idle)
        {
            Shutdown();
        }
    }

    /// <summary>Cuts the connection off: a request in flight sees <see cref="RequestAborted"/>, its answer is dropped.</summary>
    public void Abort()
    {
        _aborted = true;
        CancelRequestAborted();
        Shutdown();
    }

    /// <summary>Makes the request's context and starts the application on it.</summary>
    protected abstract Task StartApplication();

    /// <summary>Lets the application dispose of the request's context.</summary>
    protected abstract void EndApplication(Exception? error);

    // Runs one parsed request; false when the connection closes after it.
    private bool Serve()
    {
        Task task;
        try
        {
            task = StartApplication();
        }
        catch (Exception ex)
        {
            task = Task.FromException(ex);
        }

        if (task.IsCompleted)
        {
            Finish(task);
            return _keepAlive;
        }

        // The handler awaits: it finishes on the thread that completes it, while this one watches for the client.
        _finished.Reset();
        _running = task;
        task.ConfigureAwait(false).GetAwaiter().UnsafeOnCompleted(_onApplicationCompleted);
        _server.Spin.Blocking();
        try
        {
            WatchWhileRunning();
        }
        finally
        {
            _server.Spin.Woke();
        }

        return _keepAlive && !_aborted;
    }

    private void OnApplicationCompleted()
    {
        Task task = _running!;
        _running = null;
        try
        {
            Finish(task);
            _idle = _keepAlive;
        }
        finally
        {
            // A full fence (the event's interlocked update) before reading _watching, as the connection's thread
            // writes _watching with one before it reads the event: one of the two sees the other.
            _finished.Set();
        }

        if (!_keepAlive && Volatile.Read(ref _watching) == 1)
        {
            // Wakes the connection's thread from its wait on the socket (its close then lingers as always).
            Shutdown(SocketShutdown.Receive);
        }
    }

    // While the handler awaits: once its body has been received whole, nothing but the next request (or the client's
    // close) can arrive, so a readable socket that reads 0 means the client went away.
    private void WatchWhileRunning()
    {
        if (!BodyReceived)
        {
            // The handler reads the socket itself; a client that goes away fails its read.
            _finished.Wait();
            return;
        }

        Interlocked.Exchange(ref _watching, 1);
        while (!_finished.IsSet)
        {
            bool readable;
            try
            {
                readable = _socket.Poll(Http1Server.KeepAliveTimeout, SelectMode.SelectRead);
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
            {
                CancelRequestAborted();
                break;
            }

            if (!readable || _finished.IsSet)
            {
                continue;
            }

            int peeked;
            try
            {
                peeked = _socket.Receive(_peek, SocketFlags.Peek);
            }
            catch (SocketException)
            {
                peeked = 0;
            }

            if (peeked == 0)
            {
                _keepAlive = false;
                CancelRequestAborted();
            }

            break;
        }

        Interlocked.Exchange(ref _watching, 0);
        _finished.Wait();
        _idle = false;
    }

    // Ends the request the application completed: the answer, the completion callbacks, the context.
    private void Finish(Task task)
    {
        Exception? error = task.IsFaulted ? task.Exception!.InnerException ?? task.Exception : task.IsCanceled ? new OperationCanceledException() : null;
        try
        {
            CompleteResponse(error);
        }
        catch (Exception ex) when (ex is SocketException or IOException or ObjectDisposedException)
        {
            _keepAlive = false;
        }
        catch (Exception ex)
        {
            LogRequestFailed(_server.Logger, Method, RawTarget, ex);
            _keepAlive = false;
        }

        RunOnCompleted();
        try
        {
            EndApplication(error);
        }
        catch (Exception ex)
        {
            LogRequestFailed(_server.Logger, Method, RawTarget, ex);
        }

        if (_keepAlive && !FinishRequestBody())
        {
            _keepAlive = false;
        }

        if (_server.IsStopping)
        {
            _keepAlive = false;
        }
    }

    // Closing with unread bytes in the socket makes the kernel reset the connection, and the client may then lose the
    // answer it has not read yet (e.g. an early error to a request whose body was still arriving): send FIN first and
    // read what the client still sends, for at most LingerBytes or until it has been quiet for LingerTimeout.
    private void LingeringClose()
    {
        try
        {
            _socket.Shutdown(SocketShutdown.Send);
            _socket.ReceiveTimeout = (int)LingerTimeout.TotalMilliseconds;
            long discarded = 0;
            int received;
            while (discarded < LingerBytes && (received = _socket.Receive(_buffer)) > 0)
            {
                discarded += received;
            }
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
        }
    }

    private void Shutdown(SocketShutdown how = SocketShutdown.Both)
    {
        try
        {
            _socket.Shutdown(how);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
        }
    }

    // Blocking receive into the buffer after _end; 0 when the client closed. With nothing buffered (a wait for the
    // next request) the socket is watched briefly first (ReceiveSpin).
    private int Receive()
    {
        if (_end == _buffer.Length)
        {
            MakeRoom();
        }
        else if (_end == 0)
        {
            _server.Spin.Wait(_socket, ref _spinHistory);
        }

        int received;
        _server.Spin.Blocking();
        try
        {
            received = _socket.Receive(_buffer, _end, _buffer.Length - _end, SocketFlags.None);
        }
        finally
        {
            _server.Spin.Woke();
        }

        _end += received;
        return received;
    }

    private void Send(ReadOnlySpan<byte> bytes)
    {
        if (_aborted)
        {
            return;
        }

        try
        {
            while (!bytes.IsEmpty)
            {
                bytes = bytes[_socket.Send(bytes)..];
            }
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            // Kestrel does not fail the handler's write when the client has gone: the request is aborted instead.
            _keepAlive = false;
            _aborted = true;
            CancelRequestAborted();
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Connection {Id} failed")]
    private static partial void LogConnectionFailed(ILogger logger, long id, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Method} {Target} failed")]
    private static partial void LogRequestFailed(ILogger logger, string method, string target, Exception exception);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Refused a request with {Status}: {Reason}")]
    private static partial void LogBadRequest(ILogger logger, int status, string reason);
}

/// <summary>A connection running one application's requests, the context reused from request to request.</summary>
/// <typeparam name="TContext">The host's per-request context.</typeparam>
internal sealed class Http1Connection<TContext> : Http1Connection, IHostContextContainer<TContext>
    where TContext : notnull
{
    private readonly IHttpApplication<TContext> _application;
    private TContext? _context;

    /// <summary>A connection serving <paramref name="application"/>.</summary>
    public Http1Connection(Http1Server server, Socket socket, IHttpApplication<TContext> application, long id)
        : base(server, socket, id) => _application = application;

    /// <inheritdoc />
    public TContext? HostContext { get; set; }

    /// <inheritdoc />
    protected override Task StartApplication()
    {
        _context = _application.CreateContext(this);
        return _application.ProcessRequestAsync(_context);
    }

    /// <inheritdoc />
    protected override void EndApplication(Exception? error)
    {
        if (_context is { } context)
        {
            _context = default;
            _application.DisposeContext(context, error);
        }
    }
}
