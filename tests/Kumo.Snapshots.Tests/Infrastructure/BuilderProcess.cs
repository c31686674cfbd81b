using System.Collections.Concurrent;
using System.Diagnostics;
using Kumo.Engines;

namespace Kumo.Snapshots.Tests;

/// <summary>A running builder child process (this test app with <c>--snapshot-builder</c>) and its output.</summary>
internal sealed class BuilderProcess : IDisposable
{
    private readonly ConcurrentQueue<string> _lines = new();
    private readonly ConcurrentQueue<string> _errors = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly ConcurrentDictionary<string, TimeSpan> _phaseTimes = new(StringComparer.Ordinal);

    private BuilderProcess(Process process)
    {
        Process = process;
    }

    public Process Process { get; }

    public int Id => Process.Id;

    public IReadOnlyCollection<string> Lines => _lines;

    public string Errors => string.Join('\n', _errors);

    /// <summary>When each phase line arrived, relative to the start of the process.</summary>
    public IReadOnlyDictionary<string, TimeSpan> PhaseTimes => _phaseTimes;

    /// <summary>The last phase the builder reported (or "start").</summary>
    public string LastPhase => _lines.Where(l => l.StartsWith("PHASE ", StringComparison.Ordinal)).Select(l => l[6..]).LastOrDefault() ?? "start";

    public TimeSpan Elapsed => _clock.Elapsed;

    public static BuilderProcess Start(BuilderOptions options)
    {
        string testAssembly = typeof(BuilderProcess).Assembly.Location;
        var start = new ProcessStartInfo(DotNetHost.Path)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(testAssembly);
        foreach (string argument in options.ToArguments())
        {
            start.ArgumentList.Add(argument);
        }

        // Builders are short-lived runtimes; profile-guided tiering only pays off in long runs.
        start.Environment["DOTNET_TieredPGO"] = "0";

        var process = new Process { StartInfo = start };
        var builder = new BuilderProcess(process);
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is { } line)
            {
                builder._lines.Enqueue(line);
                if (line.StartsWith("PHASE ", StringComparison.Ordinal))
                {
                    builder._phaseTimes.TryAdd(line[6..], builder._clock.Elapsed);
                }
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is { } line)
            {
                builder._errors.Enqueue(line);
            }
        };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return builder;
    }

    public string? Result => _lines.FirstOrDefault(l => l.StartsWith("RESULT ", StringComparison.Ordinal));

    public async Task<int> WaitForExitAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            await Process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"Builder {Id} did not exit within {timeout.TotalSeconds} s. Last phase: {LastPhase}. Output:\n{string.Join('\n', _lines)}\nErrors:\n{Errors}");
        }

        return Process.ExitCode;
    }

    public Task WaitForLineAsync(string prefix, TimeSpan timeout, CancellationToken cancellationToken)
        => Poll.UntilAsync(
            () => _lines.Any(l => l.StartsWith(prefix, StringComparison.Ordinal)) || Process.HasExited,
            timeout,
            $"builder {Id} to print '{prefix}'",
            () => $"last phase {LastPhase}, exited {Process.HasExited}, errors: {Errors}",
            cancellationToken);

    /// <summary>Kills the builder and every process it started (its engine), and waits until they are gone.</summary>
    public async Task KillTreeAsync(CancellationToken cancellationToken)
    {
        List<int> descendants = ProcessTree.KillTree(Id);
        await Process.WaitForExitAsync(cancellationToken);
        await ProcessTree.WaitGoneAsync(descendants, cancellationToken);
    }

    public void Dispose()
    {
        if (!Process.HasExited)
        {
            ProcessTree.KillTree(Id);
            Process.WaitForExit(10_000);
        }

        Process.Dispose();
    }
}
