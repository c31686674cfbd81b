using System.Globalization;
using System.Text;

namespace Kumo.Seeding;

/// <summary>One problem in a seed manifest or fluent seed plan, with where it is and how to fix it.</summary>
/// <param name="FilePath">The manifest file (or the source name given to <see cref="SeedManifest.Parse"/>); null for a fluent plan.</param>
/// <param name="JsonPointer">The JSON pointer of the offending value, e.g. <c>/queues/2/redrive/maxReceiveCount</c>; empty for the whole document.</param>
/// <param name="Line">The 1-based line in the file, or null (fluent plans, or a file that could not be read).</param>
/// <param name="Problem">What is wrong.</param>
/// <param name="Fix">What to change.</param>
public sealed record SeedManifestError(string? FilePath, string JsonPointer, int? Line, string Problem, string Fix)
{
    /// <summary>Formats the error as <c>file:line: at /pointer: problem Fix: fix</c>.</summary>
    /// <returns>One line of text.</returns>
    public override string ToString()
    {
        var text = new StringBuilder();
        text.Append(FilePath ?? "fluent seed plan");
        if (Line is { } line)
        {
            text.Append(':').Append(line.ToString(CultureInfo.InvariantCulture));
        }

        text.Append(": at ").Append(JsonPointer.Length == 0 ? "(document)" : JsonPointer).Append(": ").Append(Problem);
        text.Append(" Fix: ").Append(Fix);
        return text.ToString();
    }
}
