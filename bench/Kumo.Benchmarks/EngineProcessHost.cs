using System.Diagnostics;

namespace Kumo.Benchmarks;

/// <summary>Runs a published engine as a child process for the duration of a benchmark.</summary>
internal sealed class EngineProcessHost : IAsyncDisposable
{
    private readonly Process _process;

    private EngineProcessHost(Process process, Uri endpoint)
    {
        _process = process;
        Endpoint = endpoint;
    }

    public Uri Endpoint { get; }

    public static async Task<EngineProcessHost> StartAsync(string fileName, IEnumerable<string> args, string? dataDir = null)
    {
        var start = new ProcessStartInfo(fileName) { RedirectStandardOutput = true, RedirectStandardError = false, UseShellExecute = false };
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["KUMO_PORT"] = "0";
        start.Environment["KUMO_LOG_LEVEL"] = "error";
        if (dataDir is not null)
        {
            start.Environment["KUMO_DATA_DIR"] = dataDir;
        }

        Process process = Process.Start(start) ?? throw new InvalidOperationException($"{fileName} did not start.");
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            string? line = await process.StandardOutput.ReadLineAsync(deadline.Token) ?? throw new InvalidOperationException($"{fileName} exited with {process.ExitCode} before listening.");
            if (line.StartsWith("KUMO_ENDPOINT=", StringComparison.Ordinal))
            {
                return new EngineProcessHost(process, new Uri(line["KUMO_ENDPOINT=".Length..]));
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _process.Kill();
        await _process.WaitForExitAsync();
        _process.Dispose();
    }
}
