using System.Reflection;
using Kumo.Engines;

namespace Kumo.Aspire.Hosting.Testing;

/// <summary>
/// Tells, before a test builds a <c>DistributedApplicationTestingBuilder</c>, whether this machine can run it: DCP (the
/// orchestrator every Aspire application needs) and, for the kumo container, a reachable container runtime.
/// </summary>
/// <remarks>
/// <para>
/// Without these checks a test fails late and vaguely: DCP missing surfaces as a start exception, a stopped Docker
/// daemon as a resource stuck in <c>Starting</c> until the test's timeout. Each method returns one line saying what is
/// missing and how to provide it, for a test framework's skip (<c>Assert.Skip</c> in xunit v3).
/// </para>
/// <para>
/// DCP is found the way <c>DistributedApplicationTestingBuilder</c> finds it: the <c>DcpPublisher__CliPath</c>
/// environment variable, else the <c>dcpclipath</c> assembly metadata the Aspire AppHost SDK writes into the AppHost
/// (pass the AppHost's assembly, e.g. <c>typeof(Projects.AppHost).Assembly</c>) or into a test project that uses
/// <c>DistributedApplicationTestingBuilder.Create()</c> directly. The container runtime is probed with a bounded
/// <c>&lt;runtime&gt; info</c> (<see cref="ContainerRuntime"/>), once per process.
/// </para>
/// <para>
/// The embedded engine (<c>AddKumoEmbedded</c>) needs only DCP; the container (<c>AddKumo</c>) needs both.
/// </para>
/// <code lang="csharp">
/// if (KumoTestPrerequisites.FindProblem(typeof(Projects.AppHost).Assembly, needsContainerRuntime: true) is { } reason)
/// {
///     Assert.Skip(reason);
/// }
///
/// await using var appHost = await DistributedApplicationTestingBuilder.CreateAsync&lt;Projects.AppHost&gt;(ct);
/// </code>
/// </remarks>
public static class KumoTestPrerequisites
{
    /// <summary>The variable that points Aspire at the dcp binary, overriding the AppHost's metadata.</summary>
    public const string DcpCliPathVariable = "DcpPublisher__CliPath";

    /// <summary>The assembly metadata key the Aspire AppHost SDK writes the dcp path under.</summary>
    public const string DcpCliPathMetadataKey = "dcpclipath";

    private static readonly Lazy<string?> ContainerRuntimeProblem = new(() => ContainerRuntime.FindProblem());

    /// <summary>Finds what keeps this machine from running an application whose entry point (or test) assembly is <paramref name="appHostAssembly"/>.</summary>
    /// <param name="appHostAssembly">The AppHost's assembly (<c>typeof(Projects.AppHost).Assembly</c>), or the test assembly for applications built with <c>DistributedApplicationTestingBuilder.Create()</c>.</param>
    /// <param name="needsContainerRuntime">True when the application runs containers (the kumo container engine).</param>
    /// <returns>Null when everything is there; otherwise the problems, joined with <c>"; "</c>.</returns>
    public static string? FindProblem(Assembly appHostAssembly, bool needsContainerRuntime)
    {
        ArgumentNullException.ThrowIfNull(appHostAssembly);

        var problems = new[] { FindDcpProblem(appHostAssembly), needsContainerRuntime ? FindContainerRuntimeProblem() : null }.OfType<string>().ToArray();
        return problems.Length == 0 ? null : string.Join("; ", problems);
    }

    /// <summary>Finds out why DCP is not available, if it is not.</summary>
    /// <param name="appHostAssembly">The assembly whose <c>dcpclipath</c> metadata names DCP.</param>
    /// <param name="getVariable">Reads an environment variable (<see cref="Environment.GetEnvironmentVariable(string)"/> by default).</param>
    /// <returns>Null when the dcp binary exists; otherwise what is missing and how to provide it.</returns>
    public static string? FindDcpProblem(Assembly appHostAssembly, Func<string, string?>? getVariable = null)
    {
        ArgumentNullException.ThrowIfNull(appHostAssembly);

        var path = DcpCliPath(appHostAssembly, getVariable);
        if (string.IsNullOrWhiteSpace(path))
        {
            return $"Aspire DCP not available: {appHostAssembly.GetName().Name} has no '{DcpCliPathMetadataKey}' metadata and {DcpCliPathVariable} is unset " +
                $"(build the AppHost with the Aspire.AppHost.Sdk, which adds DCP from Aspire.Hosting.Orchestration.<rid>, or set {DcpCliPathVariable} to the dcp binary)";
        }

        return File.Exists(path)
            ? null
            : $"Aspire DCP not available: '{path}' does not exist (restore the AppHost so Aspire.Hosting.Orchestration.<rid> is in the NuGet cache, or set {DcpCliPathVariable} to the dcp binary)";
    }

    /// <summary>Finds out why the container runtime cannot run the kumo container, if it cannot (probed once per process).</summary>
    /// <returns>Null when the runtime answers; otherwise the reason.</returns>
    public static string? FindContainerRuntimeProblem() => ContainerRuntimeProblem.Value;

    /// <summary>The dcp binary an application would use: <see cref="DcpCliPathVariable"/>, else the assembly's <c>dcpclipath</c> metadata.</summary>
    /// <param name="appHostAssembly">The assembly whose metadata names DCP.</param>
    /// <param name="getVariable">Reads an environment variable (<see cref="Environment.GetEnvironmentVariable(string)"/> by default).</param>
    /// <returns>The path, or null when neither names one.</returns>
    public static string? DcpCliPath(Assembly appHostAssembly, Func<string, string?>? getVariable = null)
    {
        ArgumentNullException.ThrowIfNull(appHostAssembly);

        return (getVariable ?? Environment.GetEnvironmentVariable)(DcpCliPathVariable) is { Length: > 0 } configured
            ? configured
            : appHostAssembly.GetCustomAttributes<AssemblyMetadataAttribute>()
                .FirstOrDefault(a => string.Equals(a.Key, DcpCliPathMetadataKey, StringComparison.OrdinalIgnoreCase))?.Value;
    }
}
