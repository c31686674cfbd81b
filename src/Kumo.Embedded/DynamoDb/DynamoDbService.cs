using System.Buffers;
using System.Text.Json;
using Kumo.Embedded.Persistence;
using Kumo.Embedded.Protocol;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Kumo.Embedded.DynamoDb;

/// <summary>The DynamoDB part of the engine: AWS JSON 1.0 requests over one table store, persisted as <c>dynamodb.json</c> plus a journal.</summary>
/// <remarks>
/// Each request is read (at most 16 MB, DynamoDB's own limit), parsed, executed by
/// <see cref="DynamoOperations"/>, and answered once its journal record is as durable as the
/// durability mode promises. Every client error is an AWS-shaped 4xx; anything unexpected is logged and
/// answered as a 500 <c>InternalServerError</c>, so a bad request never takes the engine down.
/// </remarks>
internal sealed partial class DynamoDbService
{
    private readonly DynamoStore _store;
    private readonly DynamoOperations _operations;
    private readonly ILogger _logger;

    public DynamoDbService(EngineContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        _store = new DynamoStore(context.Time);
        _operations = new DynamoOperations(_store, context.Compatibility);
        _logger = context.LoggerFactory.CreateLogger("kumo.dynamodb");
    }

    /// <summary>The store's checkpoint and journal, for the <see cref="PersistenceCoordinator"/>.</summary>
    public IPersistentService Persistence => _store;

    /// <summary>True for a request this service serves (<c>X-Amz-Target: DynamoDB_20120810.*</c>).</summary>
    public static bool Serves(string target) => DynamoJsonProtocol.IsDynamoDbTarget(target);

    public async Task HandleAsync(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        string requestId = UniqueIds.Request();
        string operation = "(unknown)";
        try
        {
            operation = DynamoJsonProtocol.OperationOf(http.Request);
            byte[] body = await LimitedRequestBody.ReadAsync(http, DynamoJsonProtocol.MaxRequestBytes, DynamoErrors.RequestTooLarge, http.RequestAborted).ConfigureAwait(false);
            var buffer = new ArrayBufferWriter<byte>(512);
            using (JsonDocument document = DynamoJsonProtocol.Parse(body))
            using (var writer = new Utf8JsonWriter(buffer))
            {
                writer.WriteStartObject();
                _operations.Execute(operation, document.RootElement, writer);
                writer.WriteEndObject();
            }

            if (DynamoOperations.HasEmptyResponse(operation))
            {
                buffer.ResetWrittenCount();
            }

            await _store.DurableAsync().ConfigureAwait(false);
            LogHandled(_logger, operation, requestId);
            DynamoJsonProtocol.WriteResult(http, buffer, requestId);
        }
        catch (Exception) when (http.RequestAborted.IsCancellationRequested)
        {
            // The client went away; there is no one to answer.
        }
        catch (AwsServiceException ex)
        {
            LogRejected(_logger, operation, ex.Code, ex.Message, requestId);
            WriteError(http, ex, null, requestId);
        }
        catch (DynamoFailure ex)
        {
            LogRejected(_logger, operation, ex.Error.Code, ex.Message, requestId);
            WriteError(http, ex.Error, ex.Extra, requestId);
        }
        catch (BadHttpRequestException ex)
        {
            var error = new AwsServiceException(ex.StatusCode, "SerializationException", $"The request body could not be read: {ex.Message}");
            LogRejected(_logger, operation, error.Code, error.Message, requestId);
            WriteError(http, error, null, requestId);
        }
        catch (Exception ex) when (!http.Response.HasStarted && ex is not OperationCanceledException)
        {
            LogFailed(_logger, ex, operation, requestId);
            WriteError(http, DynamoErrors.InternalError(), null, requestId);
        }
    }

    private static void WriteError(HttpContext http, AwsServiceException error, Action<Utf8JsonWriter>? extra, string requestId)
    {
        if (!http.Response.HasStarted)
        {
            DynamoJsonProtocol.WriteError(http, error, extra, requestId);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "DynamoDB {Operation} ok (request {RequestId})")]
    private static partial void LogHandled(ILogger logger, string operation, string requestId);

    [LoggerMessage(Level = LogLevel.Information, Message = "DynamoDB {Operation} rejected with {Code}: {Reason} (request {RequestId})")]
    private static partial void LogRejected(ILogger logger, string operation, string code, string reason, string requestId);

    [LoggerMessage(Level = LogLevel.Error, Message = "DynamoDB {Operation} failed unexpectedly (request {RequestId})")]
    private static partial void LogFailed(ILogger logger, Exception exception, string operation, string requestId);
}
