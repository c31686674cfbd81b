namespace Kumo.Testing;

/// <summary>
/// The trait that splits a suite into a fast smoke set, run on every change, and the full matrix, run nightly.
/// </summary>
/// <remarks>
/// Mark the few tests that prove the main paths with <c>[Trait(KumoTestSuites.Trait, KumoTestSuites.Smoke)]</c>; leave
/// the rest unmarked. <c>./test.sh</c> runs everything; <c>./test.sh --filter-trait "Suite=Smoke"</c> runs the smoke
/// set of every test assembly (assemblies without smoke tests pass with zero tests, see <c>test.sh</c>).
/// </remarks>
/// <example>
/// <code>
/// [Fact]
/// [Trait(KumoTestSuites.Trait, KumoTestSuites.Smoke)]
/// public async Task An_order_is_processed() { ... }
/// </code>
/// </example>
public static class KumoTestSuites
{
    /// <summary>The trait name: <c>Suite</c>.</summary>
    public const string Trait = "Suite";

    /// <summary>The trait value of the smoke set: <c>Smoke</c> (select it with <c>--filter-trait "Suite=Smoke"</c>).</summary>
    public const string Smoke = "Smoke";
}
