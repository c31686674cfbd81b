using System.Buffers;
using System.IO.Pipelines;
using Microsoft.AspNetCore.Http;

namespace Kumo.Embedded.Protocol;

/// <summary>Reads a non-object request body (S3 XML, SQS JSON or form) up to the engine's control-body limit.</summary>
/// <remarks>
/// A body over the limit is never buffered: a declared Content-Length over the limit is rejected
/// before reading, an undeclared one as soon as the limit is passed. The rest of the body is read
/// and discarded (up to <see cref="MaxDrainBytes"/>) so the client sees the 413 answer instead of a
/// reset connection; beyond that the connection is closed after the answer.
/// </remarks>
internal static class LimitedRequestBody
{
    /// <summary>The most bytes of an oversized body discarded to keep the connection usable.</summary>
    internal const long MaxDrainBytes = 64L * 1024 * 1024;

    /// <param name="context">The request.</param>
    /// <param name="limit">The most bytes accepted.</param>
    /// <param name="tooLarge">Builds the service's error from the declared length (-1 when undeclared) and the limit.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    public static async Task<byte[]> ReadAsync(HttpContext context, int limit, Func<long, int, AwsServiceException> tooLarge, CancellationToken cancellationToken)
    {
        using PooledBody body = await ReadPooledAsync(context, limit, tooLarge, cancellationToken).ConfigureAwait(false);
        return body.Memory.ToArray();
    }

    /// <summary>
    /// Reads the body into a buffer from the shared pool, without the copy <see cref="ReadAsync"/> makes: for a body
    /// parsed and dropped within the request (an SQS call's JSON); dispose it once nothing reads it any more.
    /// </summary>
    /// <inheritdoc cref="ReadAsync" path="/param"/>
    public static async Task<PooledBody> ReadPooledAsync(HttpContext context, int limit, Func<long, int, AwsServiceException> tooLarge, CancellationToken cancellationToken)
    {
        HttpRequest request = context.Request;
        if (request.ContentLength is { } declared && declared > limit)
        {
            await DrainAsync(context, declared, cancellationToken).ConfigureAwait(false);
            throw tooLarge(declared, limit);
        }

        int capacity = request.ContentLength is { } length ? (int)length : 4096;
        byte[] buffer = ArrayPool<byte>.Shared.Rent(Math.Max(capacity, 1));
        bool handedOver = false;
        try
        {
            // Straight from the body's pipe: a body that came with its head is one read that already says the body is
            // complete (through the body stream, that read and then a second one returning 0).
            PipeReader reader = request.BodyReader;
            int total = 0;
            while (true)
            {
                ReadResult read = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
                ReadOnlySequence<byte> received = read.Buffer;
                if (total + received.Length > limit)
                {
                    reader.AdvanceTo(received.End);
                    await DrainAsync(context, null, cancellationToken).ConfigureAwait(false);
                    throw tooLarge(-1, limit);
                }

                if (total + received.Length > buffer.Length)
                {
                    // total + received.Length <= limit here, so the new buffer holds it.
                    byte[] larger = ArrayPool<byte>.Shared.Rent((int)Math.Min(Math.Max((long)buffer.Length * 2, total + received.Length), (long)limit));
                    buffer.AsSpan(0, total).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }

                received.CopyTo(buffer.AsSpan(total));
                total += (int)received.Length;
                reader.AdvanceTo(received.End);
                if (read.IsCompleted)
                {
                    break;
                }
            }

            handedOver = true;
            return new PooledBody(buffer, total);
        }
        finally
        {
            if (!handedOver)
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }

    /// <summary>A request body in a buffer from the shared pool; <see cref="Dispose"/> returns the buffer.</summary>
    internal readonly struct PooledBody(byte[] buffer, int length) : IDisposable
    {
        /// <summary>The body's bytes; not to be read after <see cref="Dispose"/>.</summary>
        public ReadOnlyMemory<byte> Memory => buffer.AsMemory(0, length);

        public void Dispose() => ArrayPool<byte>.Shared.Return(buffer);
    }

    private static async Task DrainAsync(HttpContext context, long? declared, CancellationToken cancellationToken)
    {
        if (declared > MaxDrainBytes)
        {
            context.Response.Headers.Connection = "close";
            return;
        }

        byte[] scratch = ArrayPool<byte>.Shared.Rent(64 * 1024);
        try
        {
            long drained = 0;
            int read;
            while ((read = await context.Request.Body.ReadAsync(scratch, cancellationToken).ConfigureAwait(false)) > 0)
            {
                drained += read;
                if (drained > MaxDrainBytes)
                {
                    context.Response.Headers.Connection = "close";
                    return;
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(scratch);
        }
    }
}
