using System.ComponentModel;

namespace Kumo.Engines;

/// <summary>
/// Tells whether the kumo container (<c>ghcr.io/sivchari/kumo</c>) can run on this machine: whether the container
/// runtime's CLI starts and its daemon answers.
/// </summary>
/// <remarks>
/// <para>
/// The runtime is the one Aspire uses: <c>ASPIRE_CONTAINER_RUNTIME</c> (<c>docker</c> or <c>podman</c>), else
/// <c>docker</c>. The probe runs <c>&lt;runtime&gt; info</c>, which fails when the daemon (or podman's machine) is
/// down, with a bounded wait: a hung daemon gives a reason, not a hung test run.
/// </para>
/// <para>
/// Use it to skip, with the reason printed, a test that needs the container rather than failing it after a
/// long start timeout; the embedded engine needs no container runtime.
/// </para>
/// </remarks>
/// <example>
/// <code>
/// if (ContainerRuntime.FindProblem() is { } reason)
/// {
///     Assert.Skip(reason); // e.g. "docker daemon not reachable: 'docker info' exited with 1 (Cannot connect to the Docker daemon ...)"
/// }
/// </code>
/// </example>
public static class ContainerRuntime
{
    /// <summary>The variable that selects the runtime, shared with Aspire.</summary>
    public const string RuntimeVariable = "ASPIRE_CONTAINER_RUNTIME";

    /// <summary>The runtime used when <see cref="RuntimeVariable"/> is unset.</summary>
    public const string DefaultRuntime = "docker";

    /// <summary>How long <c>&lt;runtime&gt; info</c> may take by default.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(20);

    /// <summary>The runtime CLI to probe: <see cref="RuntimeVariable"/> from <paramref name="getVariable"/>, else <see cref="DefaultRuntime"/>.</summary>
    /// <param name="getVariable">Reads an environment variable (<see cref="Environment.GetEnvironmentVariable(string)"/> by default).</param>
    /// <returns>The CLI name or path.</returns>
    public static string Configured(Func<string, string?>? getVariable = null) =>
        (getVariable ?? Environment.GetEnvironmentVariable)(RuntimeVariable) is { } configured && !string.IsNullOrWhiteSpace(configured)
            ? configured.Trim()
            : DefaultRuntime;

    /// <summary>Finds out why the container runtime cannot run containers, if it cannot.</summary>
    /// <param name="runtime">The CLI to probe (a name on PATH or a path); <see cref="Configured"/> by default.</param>
    /// <param name="timeout">How long the probe may take; <see cref="DefaultTimeout"/> by default.</param>
    /// <returns>Null when the runtime answers; otherwise one line naming the runtime, what failed and how it failed.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="timeout"/> is not positive.</exception>
    public static string? FindProblem(string? runtime = null, TimeSpan? timeout = null)
    {
        var wait = timeout ?? DefaultTimeout;
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(wait, TimeSpan.Zero, nameof(timeout));
        runtime = string.IsNullOrWhiteSpace(runtime) ? Configured() : runtime;

        ShortCommand.Result result;
        try
        {
            result = ShortCommand.Run(runtime, ["info"], wait);
        }
        catch (Win32Exception ex)
        {
            return $"{runtime} is not available: the '{runtime}' CLI could not be started ({ex.Message}). Install Docker or Podman, or set {RuntimeVariable} to the CLI to use.";
        }

        if (result.ExitCode is not { } exitCode)
        {
            return $"{runtime} daemon not reachable: '{runtime} info' did not answer within {wait.TotalSeconds:0.#} s.";
        }

        if (exitCode != 0)
        {
            string firstLine = FirstLine(result.Stderr) ?? FirstLine(result.Stdout) ?? "no output";
            return $"{runtime} daemon not reachable: '{runtime} info' exited with {exitCode} ({firstLine}).";
        }

        return null;
    }

    private static string? FirstLine(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault();
}
