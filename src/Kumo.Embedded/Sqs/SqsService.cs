using Kumo.Embedded.Persistence;
using Microsoft.AspNetCore.Http;

namespace Kumo.Embedded.Sqs;

/// <summary>The SQS half of the engine: JSON 1.0 and query protocols over one queue store.</summary>
internal sealed class SqsService : IPersistentService, IAsyncDisposable
{
    private readonly EngineContext _context;

    public SqsService(EngineContext context)
    {
        _context = context;
    }

    public string Name => "sqs";

    public Task HandleJsonAsync(HttpContext context)
    {
        context.Response.StatusCode = StatusCodes.Status501NotImplemented;
        return Task.CompletedTask;
    }

    public Task HandleQueryAsync(HttpContext context)
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
