namespace Kumo.Embedded.Tests.Hostile;

/// <summary>Sends generated hostile requests one after another and lists each that failed.</summary>
internal static class HostileSweep
{
    /// <summary>
    /// Sends every request; a 5xx, no answer, or an answer other than 400 for a request <paramref name="mustBeRefused"/>
    /// names is a failure, described with its status and the start of its body.
    /// </summary>
    public static async Task<List<string>> SendAsync(Uri endpoint, IEnumerable<HostileRequest> requests, Func<HostileRequest, bool>? mustBeRefused = null)
    {
        var failures = new List<string>();
        foreach (HostileRequest request in requests)
        {
            try
            {
                RawResponse response = await RawHttp.SendAsync(endpoint, request.Method, request.Target, request.Headers, request.Body);
                if (response.Status >= 500 || (mustBeRefused?.Invoke(request) == true && response.Status != 400))
                {
                    failures.Add($"{request.Description}: {response.Status} {Truncate(response.Body)}");
                }
            }
            catch (Exception ex) when (ex is IOException or InvalidDataException or OperationCanceledException or System.Net.Sockets.SocketException)
            {
                failures.Add($"{request.Description}: no answer ({ex.GetType().Name}: {ex.Message})");
            }
        }

        return failures;
    }

    private static string Truncate(string text) => text.Length <= 300 ? text : text[..300] + "…";
}
