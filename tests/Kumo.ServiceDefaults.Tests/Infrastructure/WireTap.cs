using System.Collections.Concurrent;
using System.Diagnostics;

namespace Kumo.ServiceDefaults.Tests.Infrastructure;

/// <summary>
/// Records the requests that any <see cref="HttpClient"/> in the process (the AWS SDK's included) sends to one
/// port, through the runtime's public <c>HttpHandlerDiagnosticListener</c>. Filtering by the port of a test's own
/// engine keeps parallel tests apart.
/// </summary>
internal sealed class WireTap : IObserver<DiagnosticListener>, IDisposable
{
    private const string ListenerName = "HttpHandlerDiagnosticListener";
    private const string RequestEvent = "System.Net.Http.Request";

    private readonly int _port;
    private readonly IDisposable _allListeners;
    private readonly ConcurrentBag<IDisposable> _subscriptions = [];
    private readonly ConcurrentQueue<Captured> _requests = new();

    public WireTap(Uri endpoint)
    {
        _port = endpoint.Port;
        _allListeners = DiagnosticListener.AllListeners.Subscribe(this);
    }

    public IReadOnlyList<Captured> Requests => [.. _requests];

    /// <summary>The access key ids of the <c>Authorization: AWS4-HMAC-SHA256 Credential=&lt;key&gt;/...</c> headers.</summary>
    public IReadOnlyList<string> AccessKeyIds => [.. Requests.Select(r => AccessKeyOf(r.Authorization))];

    public static string AccessKeyOf(string? authorization)
    {
        const string marker = "Credential=";
        int start = authorization?.IndexOf(marker, StringComparison.Ordinal) ?? -1;
        if (authorization is null || start < 0)
        {
            return "(no credential)";
        }

        start += marker.Length;
        int end = authorization.IndexOf('/', start);
        return end < 0 ? authorization[start..] : authorization[start..end];
    }

    public void OnNext(DiagnosticListener value)
    {
        if (value.Name == ListenerName)
        {
            _subscriptions.Add(value.Subscribe(new Observer(this), static (name, _, _) => name == RequestEvent));
        }
    }

    public void OnCompleted()
    {
    }

    public void OnError(Exception error)
    {
    }

    public void Dispose()
    {
        _allListeners.Dispose();
        foreach (IDisposable subscription in _subscriptions)
        {
            subscription.Dispose();
        }
    }

    private void Record(HttpRequestMessage request)
    {
        if (request.RequestUri is { } uri && uri.IsLoopback && uri.Port == _port)
        {
            string? authorization = request.Headers.TryGetValues("Authorization", out IEnumerable<string>? values) ? string.Join(",", values) : null;
            string? target = request.Headers.TryGetValues("X-Amz-Target", out IEnumerable<string>? targets) ? string.Join(",", targets) : null;
            _requests.Enqueue(new Captured(request.Method.Method, uri, authorization, target, request.Headers.Contains("X-Amz-Security-Token")));
        }
    }

    public sealed record Captured(string Method, Uri Uri, string? Authorization, string? Target, bool HasSecurityToken);

    private sealed class Observer(WireTap owner) : IObserver<KeyValuePair<string, object?>>
    {
        public void OnNext(KeyValuePair<string, object?> value)
        {
            if (value.Key == RequestEvent && value.Value?.GetType().GetProperty("Request")?.GetValue(value.Value) is HttpRequestMessage request)
            {
                owner.Record(request);
            }
        }

        public void OnCompleted()
        {
        }

        public void OnError(Exception error)
        {
        }
    }
}
