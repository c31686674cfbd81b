using System.Diagnostics;

namespace Kumo.Engines;

/// <summary>Runs a short-lived command (a version or status query) with a bounded wait and captures what it prints.</summary>
internal static class ShortCommand
{
    /// <summary>The outcome of one run.</summary>
    /// <param name="ExitCode">The exit code, or null when the command did not finish in time and was killed.</param>
    /// <param name="Stdout">What it printed on standard output.</param>
    /// <param name="Stderr">What it printed on standard error.</param>
    internal readonly record struct Result(int? ExitCode, string Stdout, string Stderr);

    /// <summary>Runs <paramref name="fileName"/> with <paramref name="arguments"/>, its standard input closed.</summary>
    /// <param name="fileName">The executable (a path, or a name looked up on PATH).</param>
    /// <param name="arguments">Its arguments.</param>
    /// <param name="timeout">How long it may run; after that its process tree is killed.</param>
    /// <param name="configure">Adjusts the start info (e.g. the environment) before the start.</param>
    /// <returns>The exit code and output.</returns>
    /// <exception cref="System.ComponentModel.Win32Exception">The executable could not be started (not found, not executable).</exception>
    internal static Result Run(string fileName, IEnumerable<string> arguments, TimeSpan timeout, Action<ProcessStartInfo>? configure = null)
    {
        var start = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        configure?.Invoke(start);

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start '{fileName}'.");
        process.StandardInput.Close();
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        int? exitCode = null;
        if (process.WaitForExit(timeout))
        {
            exitCode = process.ExitCode;
        }
        else
        {
            try
            {
                process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
                // It exited in the meantime.
            }
        }

        // Bounded: a grandchild that inherited the pipes may keep them open after the command itself is gone.
        process.WaitForExit(TimeSpan.FromSeconds(5));
        Task.WaitAll([stdout, stderr], TimeSpan.FromSeconds(2));
        return new Result(exitCode, Completed(stdout), Completed(stderr));
    }

    private static string Completed(Task<string> output) => output.IsCompletedSuccessfully ? output.Result : string.Empty;
}
