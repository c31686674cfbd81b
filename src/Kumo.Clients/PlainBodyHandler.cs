using Amazon.Runtime;
using Amazon.Runtime.Internal;
using Amazon.S3.Model;

namespace Kumo.Clients;

/// <summary>
/// A pipeline handler that makes S3 uploads send plain (not aws-chunked) bodies, which kumo can store.
/// </summary>
/// <remarks>
/// <para>
/// AWSSDK.S3 4.x sends <c>PutObject</c> and <c>UploadPart</c> as <c>Content-Encoding: aws-chunked</c> with chunk
/// signatures (and a checksum trailer unless checksums are WHEN_REQUIRED) unless the request has
/// <c>UseChunkEncoding = false</c>. That flag exists only on the request, so this handler sets it on every such
/// request before it is marshalled, including the requests that <c>TransferUtility</c> makes. The caller's request
/// object is changed (the flag stays false on it).
/// </para>
/// <para>
/// A body from a stream that cannot seek is sent aws-chunked even then (the SDK cannot hash it ahead of sending),
/// so such a stream is first copied into memory: the whole stream for <c>PutObject</c> (disposing the original when
/// <c>AutoCloseStream</c> is set), at most <c>PartSize</c> bytes for <c>UploadPart</c> (the caller keeps reading
/// the rest for the next part).
/// </para>
/// </remarks>
internal sealed class PlainBodyHandler : PipelineHandler
{
    public override void InvokeSync(IExecutionContext executionContext)
    {
        PrepareAsync(executionContext, synchronous: true).AsTask().GetAwaiter().GetResult();
        base.InvokeSync(executionContext);
    }

    public override async Task<T> InvokeAsync<T>(IExecutionContext executionContext)
    {
        await PrepareAsync(executionContext, synchronous: false).ConfigureAwait(false);
        return await base.InvokeAsync<T>(executionContext).ConfigureAwait(false);
    }

    private static async ValueTask PrepareAsync(IExecutionContext executionContext, bool synchronous)
    {
        CancellationToken cancellationToken = executionContext.RequestContext.CancellationToken;
        switch (executionContext.RequestContext.OriginalRequest)
        {
            case PutObjectRequest put:
                put.UseChunkEncoding = false;
                if (put.InputStream is { CanSeek: false } putBody)
                {
                    put.InputStream = await BufferAsync(putBody, limit: null, synchronous, cancellationToken).ConfigureAwait(false);
                    if (put.AutoCloseStream)
                    {
                        await putBody.DisposeAsync().ConfigureAwait(false);
                    }
                }

                break;

            case UploadPartRequest part:
                part.UseChunkEncoding = false;
                if (part.InputStream is { CanSeek: false } partBody)
                {
                    part.InputStream = await BufferAsync(partBody, part.PartSize, synchronous, cancellationToken).ConfigureAwait(false);
                    part.PartSize = part.InputStream.Length;
                }

                break;
        }
    }

    private static async ValueTask<MemoryStream> BufferAsync(Stream source, long? limit, bool synchronous, CancellationToken cancellationToken)
    {
        var buffer = new MemoryStream();
        byte[] chunk = new byte[81920];
        long remaining = limit ?? long.MaxValue;
        while (remaining > 0)
        {
            int want = (int)Math.Min(chunk.Length, remaining);
            int read = synchronous
                ? source.Read(chunk, 0, want)
                : await source.ReadAsync(chunk.AsMemory(0, want), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                break;
            }

            buffer.Write(chunk, 0, read);
            remaining -= read;
        }

        buffer.Position = 0;
        return buffer;
    }
}
