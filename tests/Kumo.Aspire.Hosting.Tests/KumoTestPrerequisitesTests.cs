using System.Reflection;
using Kumo.Aspire.Hosting.Testing;
using Kumo.Aspire.Hosting.Tests.Utils;

namespace Kumo.Aspire.Hosting.Tests;

public class KumoTestPrerequisitesTests
{
    private static readonly Assembly NoMetadata = typeof(KumoTestPrerequisites).Assembly;

    [Fact]
    public void DcpCliPathVariableWinsOverTheAssemblyMetadata()
    {
        using var directory = new TestDirectory("kumo-dcp-");
        var dcp = directory.Combine("dcp");
        File.WriteAllText(dcp, "stand-in");

        Assert.Equal(dcp, KumoTestPrerequisites.DcpCliPath(typeof(KumoTestPrerequisitesTests).Assembly, Variables(dcp)));
        Assert.Null(KumoTestPrerequisites.FindDcpProblem(NoMetadata, Variables(dcp)));
    }

    [Fact]
    public void TheAssemblyMetadataNamesDcpWhenTheVariableIsUnset()
    {
        // This test project writes the path the Aspire AppHost SDK would (see its csproj).
        var fromMetadata = KumoTestPrerequisites.DcpCliPath(typeof(KumoTestPrerequisitesTests).Assembly, Variables(null));

        Assert.NotNull(fromMetadata);
        Assert.EndsWith("/tools/dcp", fromMetadata, StringComparison.Ordinal);
    }

    [Fact]
    public void AMissingDcpIsExplainedWithTheFix()
    {
        var noPath = KumoTestPrerequisites.FindDcpProblem(NoMetadata, Variables(null));
        var wrongPath = KumoTestPrerequisites.FindDcpProblem(NoMetadata, Variables("/nonexistent/dcp"));

        Assert.NotNull(noPath);
        Assert.Contains($"{NoMetadata.GetName().Name} has no 'dcpclipath' metadata", noPath, StringComparison.Ordinal);
        Assert.Contains(KumoTestPrerequisites.DcpCliPathVariable, noPath, StringComparison.Ordinal);
        Assert.Equal(
            "Aspire DCP not available: '/nonexistent/dcp' does not exist (restore the AppHost so Aspire.Hosting.Orchestration.<rid> is in the NuGet cache, or set DcpPublisher__CliPath to the dcp binary)",
            wrongPath);
    }

    [Fact]
    public void FindProblemJoinsWhatIsMissing()
    {
        Assert.Throws<ArgumentNullException>(() => KumoTestPrerequisites.FindProblem(null!, needsContainerRuntime: false));

        var problem = KumoTestPrerequisites.FindProblem(NoMetadata, needsContainerRuntime: true);
        var runtime = KumoTestPrerequisites.FindContainerRuntimeProblem();

        Assert.NotNull(problem);
        Assert.StartsWith("Aspire DCP not available", problem, StringComparison.Ordinal);
        Assert.Equal(runtime is not null, problem.Contains("; ", StringComparison.Ordinal));
    }

    private static Func<string, string?> Variables(string? dcp) =>
        name => name == KumoTestPrerequisites.DcpCliPathVariable ? dcp : null;
}
