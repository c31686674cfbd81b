using Kumo.Embedded.Persistence;
using Microsoft.AspNetCore.Http;

namespace Kumo.Embedded.S3;

internal sealed class S3Service : IPersistentService, IAsyncDisposable
{
    private readonly EngineContext _context;

    public S3Service(EngineContext context) => _context = context;

    public string Name => "s3";

    public Task HandleAsync(HttpContext context)
    {
        context.Response.StatusCode = StatusCodes.Status501NotImplemented;
        return Task.CompletedTask;
    }

    public void Load(ReadOnlySpan<byte> document)
    {
    }

    public byte[]? CaptureIfDirty() => null;

    public void AfterFlush()
    {
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
