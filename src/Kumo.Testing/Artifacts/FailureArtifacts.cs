using System.Text;
using Kumo.Storage;

namespace Kumo.Testing;

/// <summary>
/// Saves what is needed to understand a failed test against kumo — the seed manifest, the snapshot
/// manifest, the engine log and a state dump — under
/// <c>&lt;root&gt;/kumo/&lt;run&gt;/&lt;worker&gt;/&lt;test-name&gt;/</c>.
/// </summary>
/// <remarks>
/// <para>
/// Every file is published atomically (<see cref="AtomicFile"/>), so a report collected while a
/// test is still writing sees whole files. Writing never throws for a missing or unreadable input:
/// such problems are listed in <c>problems.txt</c> and in <see cref="FailureArtifactSet.Problems"/>.
/// </para>
/// <para>
/// The test name is made file-system safe: characters other than letters, digits, <c>.</c>,
/// <c>_</c> and <c>-</c> become <c>_</c>, and names over 100 characters are cut and end in a short
/// hash. CI systems usually collect <c>TestResults/</c>; <see cref="DefaultRoot"/> points there.
/// </para>
/// </remarks>
/// <example>
/// <code>
/// FailureArtifactSet saved = await FailureArtifacts.WriteAsync(FailureArtifacts.DefaultRoot, KumoRunContext.Current, "OrdersTests.Rejects_duplicates",
///     new FailureArtifactContent { SeedManifestPath = "seed.json", EngineLog = engine.RecentLog, StateDump = dump, Failure = e });
/// Console.WriteLine($"kumo artifacts: {saved.Directory}");
/// </code>
/// </example>
public static class FailureArtifacts
{
    /// <summary>The file name of the copied seed manifest.</summary>
    public const string SeedManifestFileName = "seed-manifest.json";

    /// <summary>The file name of the copied snapshot manifest.</summary>
    public const string SnapshotManifestFileName = "snapshot-manifest.json";

    /// <summary>The file name of the engine log.</summary>
    public const string EngineLogFileName = "engine.log";

    /// <summary>The file name of the state dump.</summary>
    public const string StateDumpFileName = "state.json";

    /// <summary>The file name of the failure description.</summary>
    public const string FailureFileName = "failure.txt";

    /// <summary>The file name listing parts that could not be saved.</summary>
    public const string ProblemsFileName = "problems.txt";

    private const int MaxTestNameLength = 100;

    /// <summary><c>TestResults</c> under the current directory (the test assembly's output directory under <c>dotnet test</c>).</summary>
    public static string DefaultRoot => Path.Combine(Environment.CurrentDirectory, "TestResults");

    /// <summary>The directory a test's artifacts go to: <c>&lt;root&gt;/kumo/&lt;run&gt;/&lt;worker&gt;/&lt;safe test name&gt;</c>, the worker segment naming the shard when the run is sharded (<see cref="KumoRunContext.ArtifactWorkerSegment"/>).</summary>
    /// <param name="rootDirectory">The results root, e.g. <see cref="DefaultRoot"/>.</param>
    /// <param name="context">The run and worker.</param>
    /// <param name="testName">The test's name.</param>
    /// <returns>The full directory path (not created).</returns>
    public static string DirectoryFor(string rootDirectory, KumoRunContext context, string testName)
    {
        ArgumentException.ThrowIfNullOrEmpty(rootDirectory);
        ArgumentNullException.ThrowIfNull(context);
        ArgumentException.ThrowIfNullOrWhiteSpace(testName);
        return Path.GetFullPath(Path.Combine(rootDirectory, "kumo", context.RunId, context.ArtifactWorkerSegment, SafeName(testName)));
    }

    /// <summary>Writes the artifacts of a failed test.</summary>
    /// <param name="rootDirectory">The results root, e.g. <see cref="DefaultRoot"/>.</param>
    /// <param name="context">The run and worker.</param>
    /// <param name="testName">The test's name.</param>
    /// <param name="content">What to save.</param>
    /// <param name="cancellationToken">Cancels writing.</param>
    /// <returns>The directory and the files written.</returns>
    public static async Task<FailureArtifactSet> WriteAsync(string rootDirectory, KumoRunContext context, string testName, FailureArtifactContent content, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        string directory = DirectoryFor(rootDirectory, context, testName);
        Directory.CreateDirectory(directory);
        var files = new List<string>();
        var problems = new List<string>();

        await CopyAsync(content.SeedManifestPath, "seed manifest", Path.Combine(directory, SeedManifestFileName), files, problems, cancellationToken).ConfigureAwait(false);
        await CopyAsync(content.SnapshotManifestPath, "snapshot manifest", Path.Combine(directory, SnapshotManifestFileName), files, problems, cancellationToken).ConfigureAwait(false);

        if (content.EngineLog is { } log)
        {
            var text = new StringBuilder();
            foreach (string line in log)
            {
                text.Append(line).Append('\n');
            }

            await WriteTextAsync(Path.Combine(directory, EngineLogFileName), text.ToString(), files, cancellationToken).ConfigureAwait(false);
        }

        if (content.StateDump is { } dump)
        {
            string path = Path.Combine(directory, StateDumpFileName);
            await dump.WriteAsync(path, cancellationToken).ConfigureAwait(false);
            files.Add(path);
        }

        if ((content.Failure?.ToString() ?? content.FailureText) is { } failure)
        {
            await WriteTextAsync(Path.Combine(directory, FailureFileName), $"{testName}\n{context}\n\n{failure}\n", files, cancellationToken).ConfigureAwait(false);
        }

        if (problems.Count > 0)
        {
            await WriteTextAsync(Path.Combine(directory, ProblemsFileName), string.Join('\n', problems) + "\n", files, cancellationToken).ConfigureAwait(false);
        }

        return new FailureArtifactSet(directory, files, problems);
    }

    /// <summary>Makes a test name safe as one path segment.</summary>
    internal static string SafeName(string testName)
    {
        var text = new StringBuilder(testName.Length);
        foreach (char c in testName)
        {
            text.Append(char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-' ? c : '_');
        }

        string safe = text.ToString().TrimStart('.');
        if (safe.Length == 0)
        {
            safe = "test";
        }

        return HashSuffix.Shorten(safe, MaxTestNameLength, testName, trimHyphens: false);
    }

    private static async Task CopyAsync(string? source, string what, string target, List<string> files, List<string> problems, CancellationToken cancellationToken)
    {
        if (source is null)
        {
            return;
        }

        try
        {
            await using var input = new FileStream(source, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 81920, useAsync: true);
            await AtomicFile.WriteAsync(target, (output, token) => input.CopyToAsync(output, token), cancellationToken).ConfigureAwait(false);
            files.Add(target);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            problems.Add($"{what} '{source}' could not be copied: {e.GetType().Name}: {e.Message}");
        }
    }

    private static async Task WriteTextAsync(string path, string text, List<string> files, CancellationToken cancellationToken)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(text);
        await AtomicFile.WriteAsync(path, (stream, token) => stream.WriteAsync(bytes, token).AsTask(), cancellationToken).ConfigureAwait(false);
        files.Add(path);
    }
}
