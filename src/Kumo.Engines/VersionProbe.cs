using System.Text.RegularExpressions;
using Kumo.Contract;

namespace Kumo.Engines;

/// <summary>Runs an engine with <c>--version</c> and reads the version it prints, if it supports the flag.</summary>
internal static partial class VersionProbe
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);

    /// <summary>The result of one probe.</summary>
    /// <param name="ExitCode">The exit code, or null when the process did not finish in time.</param>
    /// <param name="Output">Everything printed on stdout and stderr.</param>
    internal readonly record struct Result(int? ExitCode, string Output);

    /// <summary>Runs <paramref name="fileName"/> with <paramref name="arguments"/> plus <c>--version</c>.</summary>
    /// <param name="fileName">The executable.</param>
    /// <param name="arguments">Arguments placed before <c>--version</c> (e.g. the .dll for <c>dotnet</c>).</param>
    /// <returns>The exit code and output; a process that does not exit in time is killed.</returns>
    internal static Result Run(string fileName, IReadOnlyList<string> arguments)
    {
        ShortCommand.Result result = ShortCommand.Run(fileName, [.. arguments, "--version"], Timeout, start =>
        {
            // A binary that ignored --version and started a server must not bind a port anyone uses.
            start.Environment[KumoEnvironment.Host] = KumoDefaults.LoopbackHost;
            start.Environment[KumoEnvironment.Port] = "0";
            start.Environment.Remove(KumoEnvironment.DataDirectory);
            start.Environment.Remove(KumoEnvironment.InitDirectory);
        });
        return new Result(result.ExitCode, result.Stdout + result.Stderr);
    }

    /// <summary>Extracts the first semantic version (<c>1.2.3</c>, optionally <c>v</c>-prefixed, with a pre-release tail) from <paramref name="output"/>.</summary>
    /// <param name="output">What the engine printed.</param>
    /// <returns>The version without a leading <c>v</c>, or null.</returns>
    internal static string? ParseVersion(string output)
    {
        Match match = SemVer().Match(output);
        return match.Success ? match.Groups["version"].Value : null;
    }

    // SemVer with its pre-release and build metadata: the embedded engine names its persistence format in the latter.
    [GeneratedRegex(@"\bv?(?<version>\d+\.\d+\.\d+(?:-[0-9A-Za-z.\-]+)?(?:\+[0-9A-Za-z.\-]+)?)")]
    private static partial Regex SemVer();
}
