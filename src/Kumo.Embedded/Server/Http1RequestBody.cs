using System.Buffers;
using System.IO.Pipelines;

namespace Kumo.Embedded.Server;

/// <summary>
/// The request body of an <see cref="Http1Connection"/> as the handlers read it: a stream (<c>Request.Body</c>) and a
/// pipe (<c>Request.BodyReader</c>), both over the connection's buffer, made once per connection.
/// </summary>
/// <remarks>
/// Reads block the calling thread until bytes arrive (the connection's socket is blocking); their tasks complete
/// before they are returned. A large read of a Content-Length body with nothing buffered goes straight from the socket
/// into the caller's memory.
/// </remarks>
internal static class Http1RequestBody
{
    private const int DirectReadBytes = 16 * 1024;

    /// <summary><c>Request.Body</c>.</summary>
    internal sealed class BodyStream(Http1Connection connection) : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer) => ReadCore(buffer, CancellationToken.None);

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            try
            {
                return new ValueTask<int>(ReadCore(buffer.Span, cancellationToken));
            }
            catch (Exception ex)
            {
                return ValueTask.FromException<int>(ex);
            }
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        private int ReadCore(Span<byte> destination, CancellationToken cancellationToken)
        {
            if (destination.IsEmpty)
            {
                return 0;
            }

            while (true)
            {
                ReadOnlySpan<byte> buffered = connection.BufferedBody;
                if (!buffered.IsEmpty)
                {
                    int count = Math.Min(buffered.Length, destination.Length);
                    buffered[..count].CopyTo(destination);
                    connection.ConsumeBody(count);
                    return count;
                }

                if (destination.Length >= DirectReadBytes && connection.CanReceiveDirect)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    return connection.ReceiveBodyDirect(destination);
                }

                if (!connection.ReceiveBody(cancellationToken))
                {
                    return 0;
                }
            }
        }
    }

    /// <summary><c>Request.BodyReader</c>: the buffered body handed out as it lies in the connection's buffer.</summary>
    internal sealed class BodyPipe(Http1Connection connection) : PipeReader
    {
        private bool _examinedAll;
        private bool _cancelNext;

        public override void AdvanceTo(SequencePosition consumed) => AdvanceTo(consumed, consumed);

        public override void AdvanceTo(SequencePosition consumed, SequencePosition examined)
        {
            if (!ReferenceEquals(consumed.GetObject(), connection.BodyBuffer) || !ReferenceEquals(examined.GetObject(), connection.BodyBuffer))
            {
                throw new InvalidOperationException("AdvanceTo was given a position from another read than the last one.");
            }

            connection.ConsumeBody(consumed.GetInteger() - connection.BodyStart);
            _examinedAll = examined.GetInteger() >= connection.BodyEnd;
        }

        public override void CancelPendingRead() => _cancelNext = true;

        public override void Complete(Exception? exception = null)
        {
        }

        public override ValueTask<ReadResult> ReadAsync(CancellationToken cancellationToken = default)
        {
            try
            {
                if (_cancelNext)
                {
                    _cancelNext = false;
                    return new ValueTask<ReadResult>(new ReadResult(Current(), isCanceled: true, isCompleted: false));
                }

                if (connection.BufferedBody.IsEmpty || _examinedAll)
                {
                    connection.ReceiveBody(cancellationToken);
                }

                _examinedAll = false;
                return new ValueTask<ReadResult>(new ReadResult(Current(), isCanceled: false, isCompleted: connection.BodyReceived));
            }
            catch (Exception ex)
            {
                return ValueTask.FromException<ReadResult>(ex);
            }
        }

        public override bool TryRead(out ReadResult result)
        {
            if ((connection.BufferedBody.IsEmpty || _examinedAll) && !connection.BodyReceived)
            {
                result = default;
                return false;
            }

            result = new ReadResult(Current(), isCanceled: false, isCompleted: connection.BodyReceived);
            return true;
        }

        private ReadOnlySequence<byte> Current()
        {
            // Over the connection's buffer even when empty, so AdvanceTo gets positions in it.
            return new ReadOnlySequence<byte>(connection.BodyBuffer, connection.BodyStart, connection.BufferedBody.Length);
        }
    }
}
