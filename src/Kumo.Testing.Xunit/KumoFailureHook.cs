using System.Globalization;
using System.Text;
using Xunit;
using Xunit.v3;

namespace Kumo.Testing;

/// <summary>
/// The logic behind <see cref="KumoArtifactsOnFailureAttribute"/>: which fixtures a test uses,
/// whether its result calls for artifacts, and writing them.
/// </summary>
internal static class KumoFailureHook
{
    /// <summary>The most time artifact writing may take after a failed test.</summary>
    internal static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    /// <summary>Tells whether a test's (approximate, post-invoke) result calls for artifacts.</summary>
    internal static bool IsFailure(TestResultState? state) => state?.Result == TestResult.Failed;

    /// <summary>The <see cref="KumoFixture"/> types attached to a test: class, collection and assembly fixtures.</summary>
    internal static IReadOnlyList<Type> FixtureTypes(IXunitTest test)
    {
        ArgumentNullException.ThrowIfNull(test);
        IXunitTestCollection collection = test.TestCase.TestCollection;
        IEnumerable<Type> all = (test.TestCase.TestClass?.ClassFixtureTypes ?? [])
            .Concat(collection.ClassFixtureTypes)
            .Concat(collection.CollectionFixtureTypes)
            .Concat(collection.TestAssembly.AssemblyFixtureTypes);
        return all.Where(t => typeof(KumoFixture).IsAssignableFrom(t)).Distinct().ToList();
    }

    /// <summary>Writes artifacts for every started fixture when <paramref name="state"/> is a failure; otherwise does nothing.</summary>
    /// <param name="state">The test's result state (<c>TestContext.Current.TestState</c>).</param>
    /// <param name="testName">The test's display name.</param>
    /// <param name="fixtures">The fixtures the test uses.</param>
    /// <param name="cancellationToken">Cancels the writes.</param>
    /// <returns>One set per fixture written.</returns>
    internal static async Task<IReadOnlyList<(KumoFixture Fixture, FailureArtifactSet Artifacts)>> WriteAsync(TestResultState? state, string testName, IReadOnlyList<KumoFixture> fixtures, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(testName);
        ArgumentNullException.ThrowIfNull(fixtures);
        if (!IsFailure(state))
        {
            return [];
        }

        string failure = Describe(state!);
        var written = new List<(KumoFixture, FailureArtifactSet)>();
        foreach (KumoFixture fixture in fixtures.Where(f => f.IsStarted))
        {
            // Two fixtures of one test share run and worker: keep their artifacts apart.
            string name = fixtures.Count == 1 ? testName : $"{testName}.{fixture.GetType().Name}";
            written.Add((fixture, await fixture.WriteFailureArtifactsAsync(name, failure, cancellationToken).ConfigureAwait(false)));
        }

        return written;
    }

    /// <summary>Formats a result state's exceptions (type, message, stack trace; inner ones indented).</summary>
    internal static string Describe(TestResultState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"Result: {state.Result}");
        if (state.FailureCause is { } cause)
        {
            text.Append(CultureInfo.InvariantCulture, $" ({cause})");
        }

        text.Append('\n');
        string?[] types = state.ExceptionTypes ?? [];
        string?[] messages = state.ExceptionMessages ?? [];
        string?[] stackTraces = state.ExceptionStackTraces ?? [];
        int[] parents = state.ExceptionParentIndices ?? [];
        for (int i = 0; i < types.Length; i++)
        {
            int depth = 0;
            for (int parent = i < parents.Length ? parents[i] : -1; parent >= 0 && depth < types.Length; parent = parent < parents.Length ? parents[parent] : -1)
            {
                depth++;
            }

            string indent = new(' ', depth * 4);
            text.Append('\n').Append(indent).Append(depth > 0 ? "---- " : string.Empty)
                .Append(types[i] ?? "(unknown exception)").Append(": ").Append(At(messages, i)).Append('\n');
            if (At(stackTraces, i) is { Length: > 0 } trace)
            {
                foreach (string line in trace.Split('\n'))
                {
                    text.Append(indent).Append(line.TrimEnd('\r')).Append('\n');
                }
            }
        }

        return text.ToString();
    }

    private static string? At(string?[] values, int index) => index < values.Length ? values[index] : null;
}
