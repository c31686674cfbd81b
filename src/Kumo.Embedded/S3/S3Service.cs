using System.Xml;
using Kumo.Embedded.Persistence;
using Kumo.Embedded.Protocol;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Kumo.Embedded.S3;

/// <summary>
/// The S3 half of the engine: the REST-XML protocol over one object store, state persisted to
/// <c>s3.json</c> and its journal, bodies as content-addressed files.
/// </summary>
/// <remarks>
/// Each request is read and answered by <see cref="S3RestProtocol"/>, executed by
/// <see cref="S3Operations"/> against <see cref="S3Store"/>. Every <see cref="AwsServiceException"/>
/// becomes S3's XML error; anything unexpected is logged and answered as <c>InternalError</c>, so a
/// bad request never takes the engine down.
/// </remarks>
internal sealed partial class S3Service : IPersistentService, IAsyncDisposable
{
    private readonly ILogger _logger;
    private readonly S3Store _store;
    private readonly S3RestProtocol _protocol;

    public S3Service(EngineContext context)
    {
        _logger = context.LoggerFactory.CreateLogger("kumo.s3");
        bool durable = context.Options.DataDir is not null;
        _store = new S3Store(context.BlobRoot, durable, syncEachBlob: durable && context.Options.Durability == KumoDurability.Sync, context.Time, _logger);
        _protocol = new S3RestProtocol(new S3Operations(_store, context.Options.MaxObjectSize), context);
    }

    public string Name => "s3";

    public async Task HandleAsync(HttpContext context)
    {
        string requestId = UniqueIds.Request();
        context.Response.Headers["x-amz-request-id"] = requestId;
        context.Response.Headers["x-amz-id-2"] = requestId;
        S3Target target = default;
        try
        {
            target = S3Target.From(context);
            await _protocol.ServeAsync(context, target).ConfigureAwait(false);
        }
        catch (AwsServiceException ex)
        {
            S3RestProtocol.WriteError(context, ex, target, requestId);
        }
        catch (XmlException ex)
        {
            S3RestProtocol.WriteError(context, S3Errors.MalformedXml(ex.Message), target, requestId);
        }
        catch (BadHttpRequestException ex)
        {
            S3RestProtocol.WriteError(context, new AwsServiceException(ex.StatusCode, "BadRequest", ex.Message), target, requestId);
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException && context.RequestAborted.IsCancellationRequested)
        {
            LogAborted(_logger, context.Request.Method, context.Request.Path);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogUnexpected(_logger, ex, context.Request.Method, context.Request.Path);
            S3RestProtocol.WriteError(context, new AwsServiceException(), target, requestId);
        }
    }

    public JournalHooks Hooks => _store.Hooks;

    public long LoadCheckpoint(ReadOnlySpan<byte> document) => _store.LoadCheckpoint(document);

    public void Replay(ReadOnlySpan<byte> record) => _store.Replay(record);

    public void FinishLoad() => _store.FinishLoad();

    public void Reset() => _store.Reset();

    public void Attach(Journal? journal) => _store.Attach(journal);

    public Func<Stream, CancellationToken, Task> Checkpoint(Func<long> rotate) => _store.Checkpoint(rotate);

    public ValueTask DisposeAsync()
    {
        _store.Dispose();
        return ValueTask.CompletedTask;
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Client aborted {Method} {Path}")]
    private static partial void LogAborted(ILogger logger, string method, PathString path);

    [LoggerMessage(Level = LogLevel.Error, Message = "Unexpected failure serving {Method} {Path}")]
    private static partial void LogUnexpected(ILogger logger, Exception ex, string method, PathString path);
}
