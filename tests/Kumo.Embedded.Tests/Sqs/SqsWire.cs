using System.Net;
using System.Text;
using System.Text.Json;
using System.Xml.Linq;

namespace Kumo.Embedded.Tests.Sqs;

/// <summary>Raw HTTP calls to the engine's SQS endpoint, for protocol-level assertions the SDK hides.</summary>
internal sealed class SqsWire : IDisposable
{
    public static readonly XNamespace QueryNamespace = "http://queue.amazonaws.com/doc/2012-11-05/";

    private readonly HttpClient _http;

    public SqsWire(Uri endpoint)
    {
        _http = new HttpClient { BaseAddress = endpoint, Timeout = TimeSpan.FromSeconds(30) };
    }

    public HttpClient Http => _http;

    /// <summary>POSTs an AWS JSON 1.0 request with <c>X-Amz-Target: AmazonSQS.&lt;action&gt;</c>.</summary>
    public async Task<WireResponse> JsonAsync(string action, string body, string? host = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/")
        {
            Content = new StringContent(body, Encoding.UTF8, "application/x-amz-json-1.0"),
        };
        request.Content.Headers.ContentType!.CharSet = null;
        request.Headers.TryAddWithoutValidation("X-Amz-Target", "AmazonSQS." + action);
        if (host is not null)
        {
            request.Headers.Host = host;
        }

        return await SendAsync(request);
    }

    /// <summary>POSTs a query-protocol form (Version is added) to <paramref name="path"/>.</summary>
    public async Task<WireResponse> FormAsync(IEnumerable<KeyValuePair<string, string>> parameters, string path = "/")
    {
        var fields = new List<KeyValuePair<string, string>>(parameters) { new("Version", "2012-11-05") };
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new FormUrlEncodedContent(fields) };
        return await SendAsync(request);
    }

    public async Task<WireResponse> SendAsync(HttpRequestMessage request)
    {
        using HttpResponseMessage response = await _http.SendAsync(request, TestContext.Current.CancellationToken);
        string text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        var headers = response.Headers.Concat(response.Content.Headers)
            .ToDictionary(h => h.Key, h => string.Join(",", h.Value), StringComparer.OrdinalIgnoreCase);
        return new WireResponse(response.StatusCode, headers, text);
    }

    /// <summary>Asserts the engine still answers its health check (a bad request did not break it).</summary>
    public async Task AssertHealthyAsync()
    {
        using HttpResponseMessage response = await _http.GetAsync("/health", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    public void Dispose() => _http.Dispose();
}

internal sealed record WireResponse(HttpStatusCode Status, IReadOnlyDictionary<string, string> Headers, string Body)
{
    public JsonElement Json()
    {
        using JsonDocument document = JsonDocument.Parse(Body);
        return document.RootElement.Clone();
    }

    public XDocument Xml() => XDocument.Parse(Body);

    public string? Header(string name) => Headers.TryGetValue(name, out string? value) ? value : null;
}
