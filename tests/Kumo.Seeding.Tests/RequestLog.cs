using System.Collections.Concurrent;
using Amazon.Runtime;

namespace Kumo.Seeding.Tests;

/// <summary>One HTTP request an SDK client sent.</summary>
internal sealed record RecordedRequest(string Service, string Method, string Operation, bool IsWrite)
{
    public override string ToString() => $"{Service} {Method} {Operation}";
}

/// <summary>
/// Records every HTTP request of the clients it is attached to (through the SDK's
/// <see cref="ClientConfig.HttpClientFactory"/>) and classifies it as a read or a write.
/// </summary>
internal sealed class RequestLog
{
    private static readonly HashSet<string> SqsReads = new(StringComparer.Ordinal)
    {
        "GetQueueUrl", "GetQueueAttributes", "ListQueues", "ListQueueTags", "ListDeadLetterSourceQueues",
    };

    private readonly ConcurrentQueue<RecordedRequest> _requests = new();

    public IReadOnlyList<RecordedRequest> All => _requests.ToArray();

    public IReadOnlyList<RecordedRequest> Writes => _requests.Where(r => r.IsWrite).ToArray();

    public IReadOnlyList<RecordedRequest> Reads => _requests.Where(r => !r.IsWrite).ToArray();

    public void Clear() => _requests.Clear();

    /// <summary>Attaches this log to a client config.</summary>
    public void AttachTo(ClientConfig config) => config.HttpClientFactory = new Factory(this);

    private void Record(HttpRequestMessage request)
    {
        if (request.Headers.TryGetValues("X-Amz-Target", out IEnumerable<string>? targets) && targets.FirstOrDefault() is { } target && target.StartsWith("AmazonSQS.", StringComparison.Ordinal))
        {
            string action = target["AmazonSQS.".Length..];
            _requests.Enqueue(new RecordedRequest("sqs", request.Method.Method, action, !SqsReads.Contains(action)));
            return;
        }

        bool write = request.Method == HttpMethod.Put || request.Method == HttpMethod.Post || request.Method == HttpMethod.Delete || request.Method == HttpMethod.Patch;
        _requests.Enqueue(new RecordedRequest("s3", request.Method.Method, request.RequestUri?.AbsolutePath ?? "?", write));
    }

    private sealed class Factory(RequestLog log) : HttpClientFactory
    {
        public override HttpClient CreateHttpClient(IClientConfig clientConfig) =>
            new(new RecordingHandler(log) { InnerHandler = new SocketsHttpHandler { AllowAutoRedirect = false } });

        public override bool UseSDKHttpClientCaching(IClientConfig clientConfig) => false;

        public override bool DisposeHttpClientsAfterUse(IClientConfig clientConfig) => false;
    }

    private sealed class RecordingHandler(RequestLog log) : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            log.Record(request);
            return base.SendAsync(request, cancellationToken);
        }
    }
}
