using System.Buffers;
using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Connections;

/// <summary>
/// A Kestrel transport that gives every accepted connection its own thread, which waits in a blocking <c>recv</c> and
/// runs Kestrel's request code inline on the bytes it receives; answers leave by a blocking <c>send</c> on the thread
/// that flushes them.
/// </summary>
/// <remarks>
/// An experiment of the ceiling (KUMO_BARE_TRANSPORT=threads), kept so its figures can be measured again. For one
/// connection it is the shortest path from a request's arrival to its answer that Kestrel allows: no epoll wake-up, no
/// <c>recv</c> that first fails with <c>EAGAIN</c>, no socket event queue. Measured against Kestrel's socket transport
/// (bench/results/request-cost.md, section 24): about 3 µs less CPU per request and 3–5 % more requests at 1
/// connection, 8 % fewer at 8 connections (eight threads on two cores instead of two event loops), so the engine keeps
/// Kestrel's own transport.
/// </remarks>
internal sealed class ThreadedSocketTransport : IConnectionListenerFactory, IConnectionListenerFactorySelector
{
    private readonly MemoryPool<byte> _pool;

    /// <summary>A transport whose connections read into blocks of <paramref name="pools"/>' pool.</summary>
    public ThreadedSocketTransport(IMemoryPoolFactory<byte> pools)
    {
        ArgumentNullException.ThrowIfNull(pools);
        _pool = pools.Create();
    }

    /// <inheritdoc />
    public bool CanBind(EndPoint endpoint) => endpoint is IPEndPoint;

    /// <inheritdoc />
    public ValueTask<IConnectionListener> BindAsync(EndPoint endpoint, CancellationToken cancellationToken = default)
    {
        if (endpoint is not IPEndPoint ip)
        {
            throw new NotSupportedException($"The threaded socket transport binds IP end points only, not {endpoint}.");
        }

        var socket = new Socket(ip.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            socket.Bind(ip);
            socket.Listen(512);
        }
        catch (SocketException ex) when (ex.SocketErrorCode == SocketError.AddressAlreadyInUse)
        {
            socket.Dispose();
            throw new AddressInUseException(ex.Message, ex);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        return new ValueTask<IConnectionListener>(new Listener(socket, _pool));
    }

    private sealed class Listener(Socket socket, MemoryPool<byte> pool) : IConnectionListener
    {
        public EndPoint EndPoint { get; } = socket.LocalEndPoint!;

        public async ValueTask<ConnectionContext?> AcceptAsync(CancellationToken cancellationToken = default)
        {
            while (true)
            {
                Socket accepted;
                try
                {
                    accepted = await socket.AcceptAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (ObjectDisposedException)
                {
                    return null;
                }
                catch (SocketException ex) when (ex.SocketErrorCode == SocketError.OperationAborted)
                {
                    return null;
                }
                catch (SocketException)
                {
                    // The peer reset the connection before it was accepted: wait for the next one.
                    continue;
                }

                accepted.NoDelay = true;
                var connection = new ThreadedSocketConnection(accepted, pool);
                connection.Start();
                return connection;
            }
        }

        public ValueTask UnbindAsync(CancellationToken cancellationToken = default)
        {
            socket.Dispose();
            return ValueTask.CompletedTask;
        }

        public ValueTask DisposeAsync()
        {
            socket.Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
