using System.Text.Json;
using Kumo.Embedded.Persistence;
using Kumo.Embedded.Protocol;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Kumo.Embedded.Sqs;

/// <summary>The SQS half of the engine: JSON 1.0 and query protocols over one queue store.</summary>
/// <remarks>
/// <para>
/// Each request is read (bounded by <see cref="KumoEngineOptions.MaxControlBodySize"/>), turned into
/// a protocol-neutral <see cref="SqsRequest"/>, executed by <see cref="SqsOperations"/>, and answered
/// in the protocol it came in. Every <see cref="AwsServiceException"/> becomes that protocol's error
/// shape; anything unexpected is logged and answered as <c>InternalError</c>, so a bad request never
/// takes the engine down.
/// </para>
/// <para>
/// Queue URLs are built from the Host header the client used, so they work on any mapped port. The
/// query protocol is served (older SDKs and CLIs speak it) but reported to the
/// <see cref="Compatibility.KumoCompatibilityMonitor"/>, because kumo v0.32.0 only speaks JSON 1.0.
/// </para>
/// </remarks>
internal sealed partial class SqsService : IPersistentService, IAsyncDisposable
{
    private readonly EngineContext _context;
    private readonly SqsStore _store;
    private readonly SqsOperations _operations;
    private readonly CancellationTokenSource _stopping = new();
    private readonly ILogger _logger;
    private BaseUrlOfHost? _lastBaseUrl;

    public SqsService(EngineContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        _context = context;
        _store = new SqsStore(context.Time);
        _operations = new SqsOperations(_store);
        _logger = context.LoggerFactory.CreateLogger("kumo.sqs");
    }

    public string Name => "sqs";

    /// <summary>Serves a request with <c>X-Amz-Target: AmazonSQS.&lt;Action&gt;</c>.</summary>
    public Task HandleJsonAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return HandleAsync(context, json: true);
    }

    /// <summary>Serves a form post (or GET) with <c>Action=&lt;Action&gt;</c>.</summary>
    public Task HandleQueryAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return HandleAsync(context, json: false);
    }

    /// <summary>Everything lives in the checkpoint and the journal: no side files to make durable or clean up.</summary>
    public JournalHooks Hooks { get; } = new();

    public long LoadCheckpoint(ReadOnlySpan<byte> document) => _store.LoadCheckpoint(document);

    public void Replay(ReadOnlySpan<byte> record) => _store.Replay(record);

    public void FinishLoad()
    {
    }

    public void Reset() => _store.Reset();

    public void Attach(Journal? journal) => _store.Attach(journal);

    public Func<Stream, CancellationToken, Task> Checkpoint(Func<long> rotate) => _store.Checkpoint(rotate);

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        _stopping.Dispose();
    }

    private async Task HandleAsync(HttpContext http, bool json)
    {
        string requestId = UniqueIds.Request();
        string action = "(unknown)";
        CancellationTokenSource? cancellation = null;
        try
        {
            // The parsed document reads the pooled body until it is disposed (the inner using), before the body is.
            using LimitedRequestBody.PooledBody body = await LimitedRequestBody.ReadPooledAsync(http, _context.Options.MaxControlBodySize, SqsErrors.RequestTooLarge, http.RequestAborted).ConfigureAwait(false);
            JsonDocument document;
            if (json)
            {
                action = SqsJsonProtocol.ActionOf(http.Request);
                document = SqsJsonProtocol.Parse(body.Memory);
            }
            else
            {
                Dictionary<string, string> parameters = SqsQueryProtocol.ReadParameters(http.Request, body.Memory.Span);
                action = parameters.TryGetValue("Action", out string? named) && named.Length > 0 ? named : throw SqsErrors.MissingAction();
                _context.Compatibility.Report("sqs-query-protocol", $"SQS {action} over the query protocol; kumo v0.32.0 only serves SQS over AWS JSON 1.0", "Use an SDK or CLI that speaks SQS over AWS JSON 1.0 (AWSSDK.SQS 3.7.300+ / 4.x, AWS CLI v2).");
                document = SqsQueryProtocol.Normalize(parameters, action);
            }

            using (document)
            {
                // Only a receive waits (a long poll), so only a receive links the client's, the service's and the
                // engine's stop signals: the registrations on the shared tokens are not worth making for every call.
                if (action == "ReceiveMessage")
                {
                    cancellation = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted, _stopping.Token, _context.Stopping);
                }

                var request = new SqsRequest(action, new SqsInput(document.RootElement), PathQueueName(http.Request), BaseUrl(http), cancellation?.Token ?? http.RequestAborted, http.RequestAborted);
                SqsStructure result = await _operations.ExecuteAsync(request).ConfigureAwait(false);
                await _store.DurableAsync().ConfigureAwait(false);
                LogHandled(_logger, action, requestId);
                if (json)
                {
                    SqsJsonProtocol.WriteResult(http, result, requestId);
                }
                else
                {
                    SqsQueryProtocol.WriteResult(http, action, result, requestId);
                }
            }
        }
        catch (Exception) when (http.RequestAborted.IsCancellationRequested)
        {
            // The client went away (cancelled wait, reset while reading the body); there is no one to answer.
        }
        catch (AwsServiceException ex)
        {
            LogRejected(_logger, action, ex.Code, ex.Message, requestId);
            WriteError(http, json, ex, requestId);
        }
        catch (BadHttpRequestException ex)
        {
            // Kestrel rejected the framing of the body (bad chunking, body shorter than Content-Length).
            var error = new AwsServiceException(ex.StatusCode, "InvalidRequest", $"The request body could not be read: {ex.Message}") { QueryCode = "InvalidRequest" };
            LogRejected(_logger, action, error.Code, error.Message, requestId);
            WriteError(http, json, error, requestId);
        }
        catch (Exception ex) when (!http.Response.HasStarted && ex is not OperationCanceledException)
        {
            LogFailed(_logger, ex, action, requestId);
            WriteError(http, json, SqsErrors.InternalError(), requestId);
        }
        finally
        {
            cancellation?.Dispose();
        }
    }

    private static void WriteError(HttpContext http, bool json, AwsServiceException error, string requestId)
    {
        if (http.Response.HasStarted)
        {
            return;
        }

        if (json)
        {
            SqsJsonProtocol.WriteError(http, error, requestId);
        }
        else
        {
            SqsQueryProtocol.WriteError(http, error, requestId);
        }
    }

    /// <summary>The queue named by a <c>/&lt;account&gt;/&lt;name&gt;</c> request path (query-protocol clients post to the queue URL).</summary>
    private static string? PathQueueName(HttpRequest request)
    {
        string? path = request.Path.Value;
        if (string.IsNullOrEmpty(path) || path == "/")
        {
            return null;
        }

        string[] segments = path.Trim('/').Split('/');
        return segments.Length == 2 && segments[1].Length > 0 ? Uri.UnescapeDataString(segments[1]) : null;
    }

    /// <summary>
    /// The scheme and host the client used. Clients send the same Host header on every call, so the last one built is
    /// kept and reused while the header and scheme match: no parse and no new string per call.
    /// </summary>
    private string BaseUrl(HttpContext http)
    {
        HttpRequest request = http.Request;
        string? host = request.Headers.Host;
        if (string.IsNullOrEmpty(host))
        {
            return $"{request.Scheme}://{http.Connection.LocalIpAddress}:{http.Connection.LocalPort}";
        }

        if (_lastBaseUrl is { } last && last.Https == request.IsHttps && string.Equals(last.Host, host, StringComparison.Ordinal))
        {
            return last.Url;
        }

        string url = $"{request.Scheme}://{request.Host.Value}";
        _lastBaseUrl = new BaseUrlOfHost(host, request.IsHttps, url);
        return url;
    }

    /// <summary>A Host header and scheme, and the base URL built from them.</summary>
    private sealed record BaseUrlOfHost(string Host, bool Https, string Url);

    [LoggerMessage(Level = LogLevel.Debug, Message = "SQS {Action} ok (request {RequestId})")]
    private static partial void LogHandled(ILogger logger, string action, string requestId);

    [LoggerMessage(Level = LogLevel.Information, Message = "SQS {Action} rejected with {Code}: {Reason} (request {RequestId})")]
    private static partial void LogRejected(ILogger logger, string action, string code, string reason, string requestId);

    [LoggerMessage(Level = LogLevel.Error, Message = "SQS {Action} failed unexpectedly (request {RequestId})")]
    private static partial void LogFailed(ILogger logger, Exception exception, string action, string requestId);
}
