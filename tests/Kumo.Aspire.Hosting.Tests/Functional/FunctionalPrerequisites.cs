using System.Diagnostics;
using System.Reflection;

namespace Kumo.Aspire.Hosting.Tests.Functional;

/// <summary>
/// Decides at run time whether a functional test can start real resources, and skips it with the reason otherwise.
/// </summary>
/// <remarks>
/// Aspire's own <c>[RequiresDocker]</c> is a trait, not a skip, and assumes Docker on Linux. These tests need DCP
/// (Aspire's orchestrator, shipped in Aspire.Hosting.Orchestration.&lt;rid&gt;) and, for containers, a reachable
/// container runtime; both are checked here with bounded waits.
/// </remarks>
internal static class FunctionalPrerequisites
{
    private const string DcpCliPathVariable = "DcpPublisher__CliPath";

    private static readonly Lazy<string?> DcpProblem = new(FindDcpProblem);
    private static readonly Lazy<string?> ContainerRuntimeProblem = new(FindContainerRuntimeProblem);

    /// <summary>The dcp binary the test run uses, or null when none is configured.</summary>
    public static string? DcpCliPath =>
        Environment.GetEnvironmentVariable(DcpCliPathVariable) is { Length: > 0 } configured
            ? configured
            : typeof(FunctionalPrerequisites).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
                .FirstOrDefault(a => string.Equals(a.Key, "dcpclipath", StringComparison.OrdinalIgnoreCase))?.Value;

    /// <summary>Skips the test unless DCP is available.</summary>
    public static void RequireDcp() => SkipIf(DcpProblem.Value);

    /// <summary>Skips the test unless DCP and a container runtime are available.</summary>
    public static void RequireDcpAndContainerRuntime() =>
        SkipIf(string.Join("; ", new[] { DcpProblem.Value, ContainerRuntimeProblem.Value }.OfType<string>()) is { Length: > 0 } problems ? problems : null);

    private static void SkipIf(string? reason)
    {
        if (reason is not null)
        {
            TestContext.Current.SendDiagnosticMessage($"Skipping: {reason}");
            Assert.Skip(reason);
        }
    }

    private static string? FindDcpProblem()
    {
        var path = DcpCliPath;
        if (string.IsNullOrEmpty(path))
        {
            return $"Aspire DCP not available: no dcp path (set {DcpCliPathVariable} to the dcp binary of Aspire.Hosting.Orchestration.<rid>)";
        }

        return File.Exists(path)
            ? null
            : $"Aspire DCP not available: '{path}' does not exist (restore an Aspire 13.1.3 AppHost so Aspire.Hosting.Orchestration.<rid> is in the NuGet cache, or set {DcpCliPathVariable})";
    }

    private static string? FindContainerRuntimeProblem()
    {
        var runtime = Environment.GetEnvironmentVariable("ASPIRE_CONTAINER_RUNTIME") is { Length: > 0 } configured ? configured : "docker";
        var start = new ProcessStartInfo(runtime, ["info", "--format", "{{.ServerVersion}}"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };

        Process? process;
        try
        {
            process = Process.Start(start);
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            return $"{runtime} daemon not reachable: the '{runtime}' CLI could not be started ({ex.Message})";
        }

        if (process is null)
        {
            return $"{runtime} daemon not reachable: the '{runtime}' CLI could not be started";
        }

        using (process)
        {
            var stderr = process.StandardError.ReadToEndAsync();
            _ = process.StandardOutput.ReadToEndAsync();
            if (!process.WaitForExit(TimeSpan.FromSeconds(20)))
            {
                process.Kill(entireProcessTree: true);
                return $"{runtime} daemon not reachable: '{runtime} info' did not answer within 20 s";
            }

            if (process.ExitCode != 0)
            {
                var firstLine = stderr.Result.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() ?? "no output";
                return $"{runtime} daemon not reachable: '{runtime} info' exited with {process.ExitCode} ({firstLine})";
            }
        }

        return null;
    }
}
