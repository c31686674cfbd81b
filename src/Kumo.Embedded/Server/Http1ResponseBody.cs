using System.IO.Pipelines;

namespace Kumo.Embedded.Server;

/// <summary>
/// The response body of an <see cref="Http1Connection"/> as the handlers write it: a stream (<c>Response.Body</c>) and
/// a pipe (<c>Response.BodyWriter</c>), both into the connection's output buffer, made once per connection.
/// </summary>
/// <remarks>Writes and flushes complete before they return (the connection's socket is blocking).</remarks>
internal static class Http1ResponseBody
{
    /// <summary><c>Response.Body</c>.</summary>
    internal sealed class BodyStream(Http1Connection connection) : Stream
    {
        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Write(byte[] buffer, int offset, int count) => connection.WriteBody(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer) => connection.WriteBody(buffer);

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            try
            {
                cancellationToken.ThrowIfCancellationRequested();
                connection.WriteBody(buffer.Span);
                return ValueTask.CompletedTask;
            }
            catch (Exception ex)
            {
                return ValueTask.FromException(ex);
            }
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override void Flush() => connection.FlushBody();

        public override Task FlushAsync(CancellationToken cancellationToken)
        {
            try
            {
                connection.FlushBody();
                return Task.CompletedTask;
            }
            catch (Exception ex)
            {
                return Task.FromException(ex);
            }
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }

    /// <summary><c>Response.BodyWriter</c>.</summary>
    internal sealed class BodyPipe(Http1Connection connection) : PipeWriter
    {
        public override bool CanGetUnflushedBytes => false;

        public override void Advance(int bytes) => connection.AdvanceBody(bytes);

        public override Memory<byte> GetMemory(int sizeHint = 0) => connection.GetBodyMemory(sizeHint);

        public override Span<byte> GetSpan(int sizeHint = 0) => connection.GetBodyMemory(sizeHint).Span;

        public override void CancelPendingFlush()
        {
        }

        public override void Complete(Exception? exception = null)
        {
        }

        public override ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default)
        {
            try
            {
                connection.FlushBody();
                return new ValueTask<FlushResult>(new FlushResult(isCanceled: false, isCompleted: false));
            }
            catch (Exception ex)
            {
                return ValueTask.FromException<FlushResult>(ex);
            }
        }

        public override ValueTask<FlushResult> WriteAsync(ReadOnlyMemory<byte> source, CancellationToken cancellationToken = default)
        {
            try
            {
                connection.WriteBody(source.Span);
                return new ValueTask<FlushResult>(new FlushResult(isCanceled: false, isCompleted: false));
            }
            catch (Exception ex)
            {
                return ValueTask.FromException<FlushResult>(ex);
            }
        }
    }
}
