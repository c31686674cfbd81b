using System.Reflection;
using System.Runtime.CompilerServices;
using Xunit;
using Xunit.v3;

namespace Kumo.Testing;

/// <summary>
/// After a failed test, writes failure artifacts (<see cref="KumoFixture.WriteFailureArtifactsAsync"/>)
/// for every <see cref="KumoFixture"/> the test's class uses as a class, collection or assembly
/// fixture, and adds the artifact directory to the test's output and attachments.
/// </summary>
/// <remarks>
/// <para>
/// Apply it once per assembly (<c>[assembly: KumoArtifactsOnFailure]</c>) to cover every test
/// class, or on a class or method. It runs after the test method and before the test class is
/// disposed, when xunit already knows whether the test failed; passing and skipped tests cost
/// nothing. Failures include assertion failures, exceptions and timeouts.
/// </para>
/// <para>
/// Writing never fails the test a second time: problems (e.g. an engine that died) are reported
/// in the test output and in <c>problems.txt</c>. It is bounded to 30 seconds.
/// </para>
/// </remarks>
/// <example>
/// <code>
/// [assembly: KumoArtifactsOnFailure]
/// // a failed test leaves TestResults/kumo/&lt;run&gt;/&lt;worker&gt;/&lt;test&gt;/
/// //   seed-manifest.json, snapshot-manifest.json, engine.log, state.json, failure.txt
/// </code>
/// </example>
[AttributeUsage(AttributeTargets.Assembly | AttributeTargets.Class | AttributeTargets.Method, AllowMultiple = false)]
public sealed class KumoArtifactsOnFailureAttribute : BeforeAfterTestAttribute
{
    /// <summary>Tests already handled, so that the attribute on both an assembly and a class writes once.</summary>
    private static readonly ConditionalWeakTable<IXunitTest, object> Handled = [];

    /// <summary>Writes artifacts if the test failed.</summary>
    /// <param name="methodUnderTest">The test method.</param>
    /// <param name="test">The test.</param>
    public override void After(MethodInfo methodUnderTest, IXunitTest test)
    {
        ArgumentNullException.ThrowIfNull(test);
        ITestContext context = TestContext.Current;
        if (!KumoFailureHook.IsFailure(context.TestState) || !Handled.TryAdd(test, Handled))
        {
            return;
        }

        // After is synchronous; run the async work off any test synchronization context and wait, bounded.
        Task.Run(() => WriteAsync(context, test)).GetAwaiter().GetResult();
    }

    private static async Task WriteAsync(ITestContext context, IXunitTest test)
    {
        try
        {
            var fixtures = new List<KumoFixture>();
            foreach (Type type in KumoFailureHook.FixtureTypes(test))
            {
                if (await context.GetFixture(type).ConfigureAwait(false) is KumoFixture fixture)
                {
                    fixtures.Add(fixture);
                }
            }

            using var timeout = new CancellationTokenSource(KumoFailureHook.Timeout);
            foreach ((KumoFixture fixture, FailureArtifactSet artifacts) in await KumoFailureHook.WriteAsync(context.TestState, test.TestDisplayName, fixtures, timeout.Token).ConfigureAwait(false))
            {
                context.TestOutputHelper?.WriteLine($"kumo: failure artifacts of {fixture.GetType().Name} in {artifacts.Directory}" +
                    (artifacts.Problems.Count > 0 ? $" (not saved: {string.Join("; ", artifacts.Problems)})" : string.Empty));
                context.AddAttachment($"kumo-artifacts-{fixture.GetType().Name}", artifacts.Directory, replaceExistingValue: true);
            }
        }
        catch (Exception e)
        {
            context.TestOutputHelper?.WriteLine($"kumo: could not write failure artifacts: {e}");
        }
    }
}
