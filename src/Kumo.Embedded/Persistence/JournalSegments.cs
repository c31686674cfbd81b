using System.Globalization;

namespace Kumo.Embedded.Persistence;

/// <summary>The journal segment files of one service: <c>&lt;name&gt;-journal-&lt;number:D10&gt;</c> beside <c>&lt;name&gt;.json</c>.</summary>
internal static class JournalSegments
{
    public static string PathOf(string dataDir, string service, long segment) =>
        Path.Combine(dataDir, string.Create(CultureInfo.InvariantCulture, $"{service}-journal-{segment:D10}"));

    /// <summary>The existing segments of <paramref name="service"/>, in order.</summary>
    public static IReadOnlyList<(long Segment, string Path)> List(string dataDir, string service)
    {
        string prefix = service + "-journal-";
        var found = new List<(long, string)>();
        foreach (string path in Directory.EnumerateFiles(dataDir, prefix + "*"))
        {
            string suffix = Path.GetFileName(path)[prefix.Length..];
            if (suffix.Length == 10 && long.TryParse(suffix, NumberStyles.None, CultureInfo.InvariantCulture, out long segment))
            {
                found.Add((segment, path));
            }
        }

        found.Sort((a, b) => a.Item1.CompareTo(b.Item1));
        return found;
    }
}
