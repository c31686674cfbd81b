using System.Runtime.CompilerServices;
using Xunit.Sdk;
using Xunit.v3;

namespace Kumo.Testing.Tests.Xunit;

/// <summary>
/// A test that exists only in a child run started by another test: it is discovered when
/// <see cref="Variable"/> names its method, and not at all otherwise (no skip, no "not run").
/// </summary>
[XunitTestCaseDiscoverer(typeof(ScenarioFactDiscoverer))]
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class ScenarioFactAttribute : FactAttribute
{
    public const string Variable = "KUMO_TESTING_TESTS_SCENARIO";

    public ScenarioFactAttribute([CallerFilePath] string? sourceFilePath = null, [CallerLineNumber] int sourceLineNumber = -1)
        : base(sourceFilePath, sourceLineNumber)
    {
    }
}

public sealed class ScenarioFactDiscoverer : FactDiscoverer
{
    public override ValueTask<IReadOnlyCollection<IXunitTestCase>> Discover(ITestFrameworkDiscoveryOptions discoveryOptions, IXunitTestMethod testMethod, IFactAttribute factAttribute)
    {
        ArgumentNullException.ThrowIfNull(testMethod);
        return Environment.GetEnvironmentVariable(ScenarioFactAttribute.Variable) == testMethod.Method.Name
            ? base.Discover(discoveryOptions, testMethod, factAttribute)
            : new([]);
    }
}
