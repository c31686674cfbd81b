using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http.Features;

/// <summary>
/// One connection of <see cref="ThreadedSocketTransport"/>: its own thread receives with a blocking <c>recv</c> and
/// flushes what it received to Kestrel, whose request code then runs inline on that thread; whatever Kestrel flushes to
/// the answer side is sent with a blocking <c>send</c> on the flushing thread.
/// </summary>
internal sealed class ThreadedSocketConnection : ConnectionContext, IMemoryPoolFeature
{
    // Kestrel's own socket transport limits: 1 MiB of received bytes Kestrel has not read, 64 KiB of answer not yet sent.
    private const long InputPause = 1024 * 1024;
    private const long OutputPause = 64 * 1024;
    private static long s_lastId;

    private readonly Socket _socket;
    private readonly Pipe _input;
    private readonly Pipe _output;
    private readonly CancellationTokenSource _closed = new();
    private readonly TaskCompletionSource _received = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task _sent = Task.CompletedTask;
    private int _shutDown;

    /// <summary>Wraps an accepted socket; <see cref="Start"/> begins receiving.</summary>
    public ThreadedSocketConnection(Socket socket, MemoryPool<byte> pool)
    {
        _socket = socket;
        _input = new Pipe(new PipeOptions(pool, PipeScheduler.Inline, PipeScheduler.Inline, InputPause, InputPause / 2, useSynchronizationContext: false));
        _output = new Pipe(new PipeOptions(pool, PipeScheduler.Inline, PipeScheduler.Inline, OutputPause, OutputPause / 2, useSynchronizationContext: false));
        Transport = new DuplexPipe(_input.Reader, _output.Writer);
        ConnectionId = "T" + Interlocked.Increment(ref s_lastId).ToString("X8", System.Globalization.CultureInfo.InvariantCulture);
        LocalEndPoint = socket.LocalEndPoint;
        RemoteEndPoint = socket.RemoteEndPoint;
        ConnectionClosed = _closed.Token;
        MemoryPool = pool;
        Features.Set<IMemoryPoolFeature>(this);
    }

    /// <summary>The pool the connection's buffers come from; Kestrel takes its own buffers from it too.</summary>
    public MemoryPool<byte> MemoryPool { get; }

    /// <inheritdoc />
    public override string ConnectionId { get; set; }

    /// <inheritdoc />
    public override IFeatureCollection Features { get; } = new FeatureCollection();

    /// <inheritdoc />
    public override IDictionary<object, object?> Items { get; set; } = new ConnectionItems();

    /// <inheritdoc />
    public override IDuplexPipe Transport { get; set; }

    /// <summary>Starts the receiving thread and the sending side.</summary>
    public void Start()
    {
        _sent = SendAsync();
        new Thread(Receive) { IsBackground = true, Name = "kumo connection" }.Start();
    }

    /// <inheritdoc />
    public override void Abort(ConnectionAbortedException abortReason)
    {
        Shutdown();
        _output.Reader.CancelPendingRead();
    }

    /// <inheritdoc />
    public override async ValueTask DisposeAsync()
    {
        Transport.Input.Complete();
        Transport.Output.Complete();
        await _sent.ConfigureAwait(false);
        Shutdown();
        await _received.Task.ConfigureAwait(false);
        _socket.Dispose();
        _closed.Dispose();
    }

    // The connection's thread: receives until the client closes, Kestrel stops reading, or the socket is shut down.
    private void Receive()
    {
        Exception? error = null;
        PipeWriter writer = _input.Writer;
        try
        {
            while (true)
            {
                Memory<byte> memory = writer.GetMemory();
                int received = _socket.Receive(memory.Span);
                if (received == 0)
                {
                    break;
                }

                writer.Advance(received);
                // Kestrel reads with an inline scheduler: the request code runs here, inside the flush.
                ValueTask<FlushResult> flushing = writer.FlushAsync();
                FlushResult flushed = flushing.IsCompletedSuccessfully ? flushing.Result : flushing.AsTask().GetAwaiter().GetResult();
                if (flushed.IsCompleted || flushed.IsCanceled)
                {
                    break;
                }
            }
        }
        catch (Exception ex)
        {
            error = Ending(ex);
        }
        finally
        {
            writer.Complete(error);
            ThreadPool.UnsafeQueueUserWorkItem(static connection => connection.Closed(), this, preferLocal: false);
        }
    }

    private void Closed()
    {
        try
        {
            _closed.Cancel();
        }
        catch (ObjectDisposedException)
        {
        }
        finally
        {
            _received.TrySetResult();
        }
    }

    // The answer side: runs inline on whichever thread flushes an answer (the pipe's reader scheduler), sends with a
    // blocking send and returns to that thread's flush once the bytes are in the socket's buffer.
    private async Task SendAsync()
    {
        PipeReader reader = _output.Reader;
        Exception? error = null;
        try
        {
            while (true)
            {
                ReadResult read = await reader.ReadAsync().ConfigureAwait(false);
                if (read.IsCanceled)
                {
                    break;
                }

                ReadOnlySequence<byte> buffer = read.Buffer;
                foreach (ReadOnlyMemory<byte> segment in buffer)
                {
                    ReadOnlySpan<byte> span = segment.Span;
                    while (!span.IsEmpty)
                    {
                        span = span[_socket.Send(span)..];
                    }
                }

                reader.AdvanceTo(buffer.End);
                if (read.IsCompleted)
                {
                    break;
                }
            }
        }
        catch (Exception ex)
        {
            error = Ending(ex);
        }
        finally
        {
            reader.Complete(error);
            // Nothing more will be sent: end the connection, which also wakes the receiving thread.
            Shutdown();
        }
    }

    private void Shutdown()
    {
        if (Interlocked.Exchange(ref _shutDown, 1) != 0)
        {
            return;
        }

        try
        {
            _socket.Shutdown(SocketShutdown.Both);
        }
        catch (SocketException)
        {
        }
        catch (ObjectDisposedException)
        {
        }
    }

    // What a receiving or sending loop that stopped on an exception completes its pipe with: nothing when the socket was
    // disposed under it, a reset when the peer or a shutdown closed it, the exception itself otherwise.
    private static Exception? Ending(Exception exception) => exception switch
    {
        ObjectDisposedException => null,
        SocketException ex when ex.SocketErrorCode is SocketError.ConnectionReset or SocketError.ConnectionAborted or SocketError.Shutdown
            or SocketError.OperationAborted or SocketError.Interrupted or SocketError.InvalidArgument or SocketError.NotConnected
            => new ConnectionResetException(ex.Message, ex),
        _ => exception,
    };

    private sealed class DuplexPipe(PipeReader input, PipeWriter output) : IDuplexPipe
    {
        public PipeReader Input { get; } = input;

        public PipeWriter Output { get; } = output;
    }
}
