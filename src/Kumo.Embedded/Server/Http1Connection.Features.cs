using System.Collections;
using System.IO.Pipelines;
using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Kumo.Embedded.Server;

/// <content>
/// The connection as the request's feature collection: the features the host and the engine read are the connection
/// itself; what the application sets (query, items, a replaced body) lives in a short list cleared per request.
/// </content>
internal abstract partial class Http1Connection :
    IFeatureCollection,
    IHttpRequestFeature,
    IHttpResponseFeature,
    IHttpResponseBodyFeature,
    IHttpRequestLifetimeFeature,
    IHttpConnectionFeature,
    IHttpRequestBodyDetectionFeature,
    IRequestBodyPipeFeature
{
    private readonly List<KeyValuePair<Type, object?>> _set = [];
    private readonly Lock _abortLock = new();
    private CancellationTokenSource? _abortSource;
    private CancellationToken? _abortedOverride;
    private bool _abortRequested;
    private int _revision;
    private string? _connectionId;
    private Stream? _replacedRequestBody;
    private IPEndPoint? _local;
    private IPEndPoint? _remote;

    /// <inheritdoc />
    public bool IsReadOnly => false;

    /// <inheritdoc />
    public int Revision => _revision;

    /// <inheritdoc />
    public object? this[Type key]
    {
        get
        {
            foreach (KeyValuePair<Type, object?> feature in _set)
            {
                if (feature.Key == key)
                {
                    return feature.Value;
                }
            }

            return IsOwnFeature(key) ? this : null;
        }

        set
        {
            _revision++;
            for (int i = 0; i < _set.Count; i++)
            {
                if (_set[i].Key == key)
                {
                    _set[i] = new(key, value);
                    return;
                }
            }

            _set.Add(new(key, value));
        }
    }

    /// <inheritdoc />
    public TFeature? Get<TFeature>() => (TFeature?)this[typeof(TFeature)];

    /// <inheritdoc />
    public void Set<TFeature>(TFeature? instance) => this[typeof(TFeature)] = instance;

    /// <inheritdoc />
    public IEnumerator<KeyValuePair<Type, object>> GetEnumerator()
    {
        foreach (KeyValuePair<Type, object?> feature in _set)
        {
            if (feature.Value is { } value)
            {
                yield return new(feature.Key, value);
            }
        }

        foreach (Type own in OwnFeatures)
        {
            if (!_set.Exists(f => f.Key == own))
            {
                yield return new(own, this);
            }
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private static readonly Type[] OwnFeatures =
    [
        typeof(IHttpRequestFeature), typeof(IHttpResponseFeature), typeof(IHttpResponseBodyFeature), typeof(IHttpRequestLifetimeFeature),
        typeof(IHttpConnectionFeature), typeof(IHttpRequestBodyDetectionFeature), typeof(IRequestBodyPipeFeature),
    ];

    private static bool IsOwnFeature(Type key) =>
        key == typeof(IHttpRequestFeature) || key == typeof(IHttpResponseFeature) || key == typeof(IHttpResponseBodyFeature)
        || key == typeof(IRequestBodyPipeFeature) || key == typeof(IHttpRequestLifetimeFeature) || key == typeof(IHttpConnectionFeature)
        || key == typeof(IHttpRequestBodyDetectionFeature);

    // ---- IHttpRequestFeature ----

    /// <inheritdoc />
    public string Protocol { get; set; } = HttpProtocol.Http11;

    /// <inheritdoc />
    public string Scheme { get; set; } = "http";

    /// <inheritdoc />
    public string Method { get; set; } = HttpMethods.Get;

    /// <inheritdoc />
    public string PathBase { get; set; } = string.Empty;

    /// <inheritdoc />
    public string Path { get; set; } = "/";

    /// <inheritdoc />
    public string QueryString { get; set; } = string.Empty;

    /// <inheritdoc />
    public string RawTarget { get; set; } = "/";

    /// <inheritdoc />
    IHeaderDictionary IHttpRequestFeature.Headers
    {
        get => _requestHeaders;
        set => throw new NotSupportedException("The request's headers cannot be replaced on this server.");
    }

    /// <inheritdoc />
    Stream IHttpRequestFeature.Body
    {
        get => _replacedRequestBody ?? (_requestBodyStream ??= new Http1RequestBody.BodyStream(this));
        set => _replacedRequestBody = value;
    }

    // ---- IRequestBodyPipeFeature ----

    /// <inheritdoc />
    PipeReader IRequestBodyPipeFeature.Reader => _requestBodyPipe ??= new Http1RequestBody.BodyPipe(this);

    // ---- IHttpRequestBodyDetectionFeature ----

    /// <inheritdoc />
    public bool CanHaveBody => _framing != BodyFraming.None;

    // ---- IHttpRequestLifetimeFeature ----

    /// <inheritdoc />
    public CancellationToken RequestAborted
    {
        get
        {
            if (_abortedOverride is { } set)
            {
                return set;
            }

            lock (_abortLock)
            {
                _abortSource ??= new CancellationTokenSource();
                if (_abortRequested)
                {
                    _abortSource.Cancel();
                }

                return _abortSource.Token;
            }
        }

        set => _abortedOverride = value;
    }

    /// <inheritdoc />
    void IHttpRequestLifetimeFeature.Abort() => Abort();

    // ---- IHttpConnectionFeature ----

    /// <inheritdoc />
    public string ConnectionId
    {
        get => _connectionId ??= $"kumo-{Id}";
        set => _connectionId = value;
    }

    /// <inheritdoc />
    public IPAddress? RemoteIpAddress
    {
        get => (_remote ??= _socket.RemoteEndPoint as IPEndPoint)?.Address;
        set => _remote = value is null ? null : new IPEndPoint(value, RemotePort);
    }

    /// <inheritdoc />
    public IPAddress? LocalIpAddress
    {
        get => (_local ??= _socket.LocalEndPoint as IPEndPoint)?.Address;
        set => _local = value is null ? null : new IPEndPoint(value, LocalPort);
    }

    /// <inheritdoc />
    public int RemotePort
    {
        get => (_remote ??= _socket.RemoteEndPoint as IPEndPoint)?.Port ?? 0;
        set => _remote = new IPEndPoint(RemoteIpAddress ?? IPAddress.None, value);
    }

    /// <inheritdoc />
    public int LocalPort
    {
        get => (_local ??= _socket.LocalEndPoint as IPEndPoint)?.Port ?? 0;
        set => _local = new IPEndPoint(LocalIpAddress ?? IPAddress.None, value);
    }

    // Resets everything a request set, before the next one is parsed.
    private void StartRequest()
    {
        if (_set.Count > 0)
        {
            _set.Clear();
        }

        _revision++;
        _requestHeaders.Clear();
        _expectContinue = false;
        _abortedOverride = null;
        _replacedRequestBody = null;
        lock (_abortLock)
        {
            _abortRequested = false;
            if (_abortSource is { } source && !source.TryReset())
            {
                source.Dispose();
                _abortSource = null;
            }
        }

        StartResponse();
    }

    // Cancels RequestAborted, now or when it is first asked for.
    private void CancelRequestAborted()
    {
        CancellationTokenSource? source;
        lock (_abortLock)
        {
            _abortRequested = true;
            source = _abortSource;
        }

        try
        {
            source?.Cancel();
        }
        catch (ObjectDisposedException)
        {
        }
    }
}
