using Kumo.Aspire.Hosting.Testing;

namespace Kumo.Aspire.Hosting.Tests.Functional;

/// <summary>
/// Skips a functional test at run time, printing why, when DCP or the container runtime is missing
/// (<see cref="KumoTestPrerequisites"/>). Linked into the AppHost tests as well.
/// </summary>
/// <remarks>
/// Aspire's own <c>[RequiresDocker]</c> is a trait, not a skip, and assumes Docker on Linux.
/// </remarks>
internal static class FunctionalPrerequisites
{
    /// <summary>Skips the test unless DCP is available to applications built in this test assembly.</summary>
    public static void RequireDcp() =>
        SkipIf(KumoTestPrerequisites.FindProblem(typeof(FunctionalPrerequisites).Assembly, needsContainerRuntime: false));

    /// <summary>Skips the test unless DCP and a container runtime are available.</summary>
    public static void RequireDcpAndContainerRuntime() =>
        SkipIf(KumoTestPrerequisites.FindProblem(typeof(FunctionalPrerequisites).Assembly, needsContainerRuntime: true));

    /// <summary>Skips the test with <paramref name="reason"/>, printed, unless it is null.</summary>
    public static void SkipIf(string? reason)
    {
        if (reason is not null)
        {
            TestContext.Current.SendDiagnosticMessage($"Skipping: {reason}");
            Assert.Skip(reason);
        }
    }
}
