namespace Kumo.Seeding;

/// <summary>The <c>{run}</c> and <c>{worker}</c> placeholders of bucket and queue names.</summary>
internal static class Placeholders
{
    public const string Run = "{run}";
    public const string Worker = "{worker}";

    private static readonly string[] Known = [Run, Worker];

    /// <summary>Tells whether the template contains a known placeholder.</summary>
    public static bool HasAny(string template) => template.Contains(Run, StringComparison.Ordinal) || template.Contains(Worker, StringComparison.Ordinal);

    /// <summary>Replaces the placeholders with the context's ids.</summary>
    public static string Substitute(string template, SeedContext context) =>
        template.Replace(Run, context.RunId, StringComparison.Ordinal).Replace(Worker, context.WorkerId, StringComparison.Ordinal);

    /// <summary>Replaces the placeholders with short representative ids, to check the rest of a name before resolution.</summary>
    public static string Probe(string template) =>
        template.Replace(Run, "r", StringComparison.Ordinal).Replace(Worker, "w", StringComparison.Ordinal);

    /// <summary>Finds unknown placeholders and unbalanced braces, with a fix for each.</summary>
    /// <param name="template">A name as written.</param>
    /// <param name="what">What the name is, e.g. "bucket name".</param>
    public static IEnumerable<(string Problem, string Fix)> Check(string template, string what)
    {
        int i = 0;
        while (i < template.Length)
        {
            char c = template[i];
            if (c == '{')
            {
                int close = template.IndexOf('}', i + 1);
                int nextOpen = template.IndexOf('{', i + 1);
                if (close < 0 || (nextOpen >= 0 && nextOpen < close))
                {
                    yield return ($"{what} '{template}' has an unclosed '{{' at position {i}.", "close the placeholder as '{run}' or '{worker}', or remove the brace.");
                    i++;
                    continue;
                }

                string token = template[i..(close + 1)];
                if (Array.IndexOf(Known, token) < 0)
                {
                    string nearest = Spelling.Nearest(token, Known, int.MaxValue)!;
                    yield return (
                        $"{what} '{template}' uses the unknown placeholder '{token}'; only {Run} and {Worker} exist.",
                        $"did you mean '{nearest}'? Replace '{token}' with '{nearest}'.");
                }

                i = close + 1;
            }
            else if (c == '}')
            {
                yield return ($"{what} '{template}' has a '}}' without a matching '{{' at position {i}.", "write placeholders as '{run}' or '{worker}', or remove the brace.");
                i++;
            }
            else
            {
                i++;
            }
        }
    }
}
