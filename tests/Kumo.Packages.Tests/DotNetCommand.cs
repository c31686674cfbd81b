using Kumo.Engines;

namespace Kumo.Packages.Tests;

/// <summary>Runs <c>dotnet</c> (or a tool it installed) outside the repository, bounded, with a clean environment.</summary>
public static class DotNetCommand
{
    /// <summary>One finished (or timed-out) command.</summary>
    /// <param name="Command">The command line, for messages.</param>
    /// <param name="ExitCode">The exit code, or null when it timed out and its process tree was killed.</param>
    /// <param name="Output">Standard output, then standard error.</param>
    /// <param name="Elapsed">How long it ran.</param>
    public sealed record Result(string Command, int? ExitCode, string Output, TimeSpan Elapsed)
    {
        /// <summary>A description for assertion messages: the command, its exit, its time and its output's tail.</summary>
        public override string ToString() =>
            $"'{Command}' {(ExitCode is { } code ? $"exited with {code}" : "timed out and was killed")} after {Elapsed.TotalSeconds:F0} s:\n{Tail(Output)}";

        private static string Tail(string text) => text.Length <= 6000 ? text : "…" + text[^6000..];
    }

    /// <summary>Runs <c>dotnet <paramref name="arguments"/></c>.</summary>
    public static Task<Result> RunAsync(string workingDirectory, TimeSpan timeout, params string[] arguments) =>
        RunFileAsync(DotNetHost.Path, workingDirectory, timeout, arguments);

    /// <summary>Runs <paramref name="fileName"/>; its process tree is killed after <paramref name="timeout"/>.</summary>
    public static Task<Result> RunFileAsync(string fileName, string workingDirectory, TimeSpan timeout, params string[] arguments) => Task.Run(() =>
    {
        var started = System.Diagnostics.Stopwatch.StartNew();
        ShortCommand.Result result = ShortCommand.Run(fileName, arguments, timeout, start =>
        {
            start.WorkingDirectory = workingDirectory;
            // The test host runs under MSBuild-aware environment variables and the repository's settings; a user's shell has none.
            foreach (string name in start.Environment.Keys.Where(IsInherited).ToList())
            {
                start.Environment.Remove(name);
            }

            start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
            start.Environment["DOTNET_NOLOGO"] = "1";
            start.Environment["ASPIRE_ALLOW_UNSECURED_TRANSPORT"] = "true";
        });
        string command = $"{Path.GetFileName(fileName)} {string.Join(' ', arguments)}";
        return new Result(command, result.ExitCode, result.Stdout + result.Stderr, started.Elapsed);
    });

    private static bool IsInherited(string name) =>
        name.StartsWith("MSBUILD", StringComparison.OrdinalIgnoreCase)
        || name.StartsWith("KUMO_", StringComparison.OrdinalIgnoreCase)
        || name.StartsWith("TESTINGPLATFORM_", StringComparison.OrdinalIgnoreCase)
        || name.Equals("MSBuildSDKsPath", StringComparison.OrdinalIgnoreCase);
}
