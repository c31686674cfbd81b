using System.Diagnostics;
using System.Globalization;
using Kumo.Contract;
using Kumo.Embedded;
using Microsoft.Extensions.Logging.Abstractions;

namespace Kumo.Benchmarks;

/// <summary>
/// Cold start to healthy: from process start (or <see cref="KumoEngine.StartAsync"/>) to the first
/// 200 from GET /health, for the engine in-process, as a JIT process, as an AOT process, and for a
/// minimal Kestrel app published the same two ways — interleaved, in one run.
/// </summary>
internal static class StartupBenchmark
{
    public static async Task RunAsync(string artifacts, int iterations, string output)
    {
        var candidates = new (string Name, string FileName, string[] Args)[]
        {
            ("engine, JIT process", "dotnet", [Path.Combine(artifacts, "engine-jit", "kumo-embedded.dll")]),
            ("engine, AOT process", Path.Combine(artifacts, "engine-aot", "kumo-embedded"), []),
            ("minimal Kestrel, JIT process", "dotnet", [Path.Combine(artifacts, "minimal-jit", "MinimalKestrel.dll")]),
            ("minimal Kestrel, AOT process", Path.Combine(artifacts, "minimal-aot", "MinimalKestrel"), []),
        };
        var samples = candidates.ToDictionary(c => c.Name, c => new Samples(c.Name, "ms"));
        var inProcess = new Samples("engine, in-process (after the first)", "ms");
        var inProcessFirst = new Samples("engine, in-process (first in the process)", "ms");

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        for (int i = 0; i < iterations; i++)
        {
            // Interleave the candidates so drift on the machine affects them alike.
            foreach ((string name, string fileName, string[] args) in candidates)
            {
                samples[name].Add(await MeasureProcessAsync(http, fileName, args));
            }

            var watch = Stopwatch.StartNew();
            await using (KumoEngine engine = await KumoEngine.StartAsync(new KumoEngineOptions { Port = 0, LogLevel = KumoLogLevel.Error }, NullLoggerProvider.Instance))
            {
                using HttpResponseMessage response = await http.GetAsync(new Uri(engine.Endpoint, "/health"));
                response.EnsureSuccessStatusCode();
                (i == 0 ? inProcessFirst : inProcess).Add(watch.Elapsed.TotalMilliseconds);
            }
        }

        var report = new Report("Embedded engine: cold start to healthy");
        report.Table([.. samples.Values, inProcessFirst, inProcess]);
        double ratioAot = samples["engine, AOT process"].Median / samples["minimal Kestrel, AOT process"].Median;
        double ratioJit = samples["engine, JIT process"].Median / samples["minimal Kestrel, JIT process"].Median;
        report.Note(string.Create(CultureInfo.InvariantCulture, $"AOT engine / AOT minimal Kestrel (medians): **{ratioAot:0.00}×** (target ≤ 1.30×)."));
        report.Note(string.Create(CultureInfo.InvariantCulture, $"JIT engine / JIT minimal Kestrel (medians): {ratioJit:0.00}×."));
        report.Note("Measured from Process.Start to the first 200 from /health (the process prints KUMO_ENDPOINT=<url> once listening; /health is then polled every 1 ms).");
        report.Save(output);
    }

    private static async Task<double> MeasureProcessAsync(HttpClient http, string fileName, string[] args)
    {
        var start = new ProcessStartInfo(fileName) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["KUMO_PORT"] = "0";
        start.Environment["KUMO_LOG_LEVEL"] = "error";
        var watch = Stopwatch.StartNew();
        using Process process = Process.Start(start) ?? throw new InvalidOperationException($"{fileName} did not start.");
        try
        {
            string? endpoint = null;
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            while (endpoint is null)
            {
                string? line = await process.StandardOutput.ReadLineAsync(deadline.Token)
                    ?? throw new InvalidOperationException($"{fileName} exited before listening: {await process.StandardError.ReadToEndAsync()}");
                if (line.StartsWith("KUMO_ENDPOINT=", StringComparison.Ordinal))
                {
                    endpoint = line["KUMO_ENDPOINT=".Length..];
                }
            }

            var health = new Uri(new Uri(endpoint), "/health");
            while (true)
            {
                deadline.Token.ThrowIfCancellationRequested();
                try
                {
                    using HttpResponseMessage response = await http.GetAsync(health, deadline.Token);
                    if (response.IsSuccessStatusCode)
                    {
                        return watch.Elapsed.TotalMilliseconds;
                    }
                }
                catch (HttpRequestException)
                {
                }

                await Task.Delay(1, deadline.Token);
            }
        }
        finally
        {
            process.Kill();
            await process.WaitForExitAsync();
        }
    }
}
