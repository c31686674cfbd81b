using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Kumo.Testing;
using OrderService.Orders;
using OrderService.Tests.Infrastructure;

namespace OrderService.Tests;

/// <summary>
/// The real program, as <c>dotnet run</c> would start it: a separate process configured only through the
/// environment variables of the wiring contract, stopped with a real SIGTERM.
/// </summary>
public sealed partial class OrderServiceProcessTests(SharedEngine shared)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_program_runs_from_the_wiring_contract_environment_and_stops_cleanly_on_SIGTERM()
    {
        string suffix = Guid.NewGuid().ToString("N")[..10];
        using var service = ServiceProcess.Start(new Dictionary<string, string>
        {
            ["ConnectionStrings__kumo"] = shared.Engine.Endpoint.ToString(),
            ["AWS_ENDPOINT_URL"] = shared.Engine.Endpoint.ToString(),
            ["AWS_REGION"] = "us-east-1",
            ["AWS_ACCESS_KEY_ID"] = "test",
            ["AWS_SECRET_ACCESS_KEY"] = "test",
            ["AWS_REQUEST_CHECKSUM_CALCULATION"] = "when_required",
            ["AWS_RESPONSE_CHECKSUM_VALIDATION"] = "when_required",
            ["Orders__Bucket"] = $"orders-proc-{suffix}",
            ["Orders__Queue"] = $"orders-proc-{suffix}",
            ["Orders__DeadLetterQueue"] = $"orders-proc-{suffix}-dlq",
            ["Orders__CreateResources"] = "true",
            ["Orders__WaitTimeSeconds"] = "1",
        });

        Uri address = await service.WaitForAddressAsync();
        using var http = new HttpClient { BaseAddress = address };
        using HttpResponseMessage posted = await http.PostAsJsonAsync("/orders", OrderServiceHost.SampleOrder(), OrderServiceHost.Json, Ct);
        OrderAccepted accepted = (await posted.Content.ReadFromJsonAsync<OrderAccepted>(OrderServiceHost.Json, Ct))!;
        OrderStatus processed = await Eventually.UntilAsync(
            async ct => (await http.GetFromJsonAsync<OrderStatus>($"/orders/{accepted.Id}", OrderServiceHost.Json, ct))!,
            s => s.Status == OrderStatuses.Processed,
            TimeSpan.FromSeconds(20),
            TimeSpan.FromMilliseconds(100),
            $"order {accepted.Id} to be processed by the service process",
            Ct);
        string health = await http.GetStringAsync(new Uri("/health", UriKind.Relative), Ct);
        int exitCode = await service.TerminateAsync();

        Assert.Equal(HttpStatusCode.Accepted, posted.StatusCode);
        Assert.StartsWith("ord-", accepted.Id, StringComparison.Ordinal);
        Assert.Equal(27.97m, processed.Receipt?.Total);
        Assert.Equal("Healthy", health);
        Assert.True(exitCode == 0, $"exit code {exitCode} after SIGTERM; output:\n{service.Output}");
        Assert.Contains("Application is shutting down", service.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_a_kumo_endpoint_the_program_refuses_to_start_and_says_what_to_set()
    {
        using var service = ServiceProcess.Start(new Dictionary<string, string> { ["AWS_REGION"] = "us-east-1" });

        int exitCode = await service.WaitForExitAsync(TimeSpan.FromSeconds(30));

        Assert.NotEqual(0, exitCode);
        Assert.Contains("KumoWiringException", service.Output, StringComparison.Ordinal);
        Assert.Contains("ConnectionStrings__kumo", service.Output, StringComparison.Ordinal);
        Assert.Contains("never fall back to real AWS", service.Output, StringComparison.Ordinal);
    }

    /// <summary>The sample's entry point as a child process, with output captured.</summary>
    private sealed partial class ServiceProcess : IDisposable
    {
        private readonly Process _process;
        private readonly ConcurrentQueue<string> _lines = new();

        private ServiceProcess(Process process)
        {
            _process = process;
        }

        public string Output => string.Join('\n', _lines);

        public static ServiceProcess Start(Dictionary<string, string> environment)
        {
            var start = new ProcessStartInfo("dotnet")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
                WorkingDirectory = AppContext.BaseDirectory,
            };
            start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "OrderService.dll"));
            start.ArgumentList.Add("--urls");
            start.ArgumentList.Add("http://127.0.0.1:0");

            // Only the variables given here: nothing inherited may wire the process (or point it at AWS).
            foreach (string name in start.Environment.Keys.ToList())
            {
                if (name.StartsWith("AWS_", StringComparison.OrdinalIgnoreCase) || name.StartsWith("ConnectionStrings", StringComparison.OrdinalIgnoreCase)
                    || name.StartsWith("Orders__", StringComparison.OrdinalIgnoreCase) || name.StartsWith("Kumo__", StringComparison.OrdinalIgnoreCase)
                    || name.StartsWith("OTEL_", StringComparison.OrdinalIgnoreCase))
                {
                    start.Environment.Remove(name);
                }
            }

            start.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
            start.Environment["Logging__Console__FormatterName"] = "simple";
            foreach ((string name, string value) in environment)
            {
                start.Environment[name] = value;
            }

            var process = new Process { StartInfo = start };
            var service = new ServiceProcess(process);
            process.OutputDataReceived += (_, e) => service.Add(e.Data);
            process.ErrorDataReceived += (_, e) => service.Add(e.Data);
            process.Start();
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            return service;
        }

        public async Task<Uri> WaitForAddressAsync()
        {
            string? line = await Eventually.UntilAsync(
                _ => Task.FromResult(_lines.FirstOrDefault(l => ListeningLine().IsMatch(l)) ?? (_process.HasExited ? throw new InvalidOperationException($"The service exited with {_process.ExitCode}:\n{Output}") : null)),
                l => l is not null,
                TimeSpan.FromSeconds(30),
                TimeSpan.FromMilliseconds(100),
                "the service to log 'Now listening on: http://127.0.0.1:<port>'",
                Ct);
            return new Uri(ListeningLine().Match(line!).Groups["url"].Value);
        }

        public async Task<int> TerminateAsync()
        {
            using (Process kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                await kill.WaitForExitAsync(Ct);
            }

            return await WaitForExitAsync(TimeSpan.FromSeconds(20));
        }

        public async Task<int> WaitForExitAsync(TimeSpan timeout)
        {
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(Ct);
            deadline.CancelAfter(timeout);
            try
            {
                await _process.WaitForExitAsync(deadline.Token);
            }
            catch (OperationCanceledException) when (!Ct.IsCancellationRequested)
            {
                throw new TimeoutException($"The service did not exit within {timeout.TotalSeconds} s. Output:\n{Output}");
            }

            return _process.ExitCode;
        }

        public void Dispose()
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(5000);
            }

            _process.Dispose();
        }

        private void Add(string? line)
        {
            if (line is not null)
            {
                _lines.Enqueue(line);
            }
        }

        [GeneratedRegex(@"Now listening on: (?<url>http://127\.0\.0\.1:\d+)")]
        private static partial Regex ListeningLine();
    }
}
