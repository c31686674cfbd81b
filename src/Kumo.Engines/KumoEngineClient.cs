using Kumo.Contract;

namespace Kumo.Engines;

/// <summary>Calls the embedded engine's own endpoints (<c>/_kumo/*</c>), which kumo itself does not have.</summary>
/// <example>
/// <code>
/// string? problem = await KumoEngineClient.FlushAsync(running.Endpoint);
/// if (problem is not null) Console.Error.WriteLine($"not flushed: {problem}");
/// </code>
/// </example>
public static class KumoEngineClient
{
    /// <summary>How long a flush may take by default.</summary>
    public static readonly TimeSpan DefaultFlushTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Asks the engine to make everything it acknowledged durable in its data directory now (<c>POST /_kumo/flush</c>).</summary>
    /// <param name="endpoint">The engine's base URL.</param>
    /// <param name="timeout">How long to wait; null for <see cref="DefaultFlushTimeout"/>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>Null when the engine flushed; otherwise why not (an HTTP status, or the connection error).</returns>
    public static async Task<string?> FlushAsync(Uri endpoint, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        using var http = new HttpClient { Timeout = timeout ?? DefaultFlushTimeout };
        try
        {
            using HttpResponseMessage response = await http.PostAsync(new Uri(endpoint, KumoDefaults.FlushPath), content: null, cancellationToken).ConfigureAwait(false);
            return response.IsSuccessStatusCode ? null : $"HTTP {(int)response.StatusCode}";
        }
        catch (HttpRequestException ex)
        {
            return ex.Message;
        }
    }
}
