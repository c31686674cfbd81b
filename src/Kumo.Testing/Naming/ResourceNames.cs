using System.Text;
using Kumo.Contract;
using Kumo.Seeding;

namespace Kumo.Testing;

/// <summary>
/// Makes per-run, per-worker resource names that are valid both as S3 bucket names and as SQS
/// queue names, so parallel workers sharing an engine never see each other's data.
/// </summary>
/// <remarks>
/// <para>
/// <c>Namespaced("Orders_Inbox", context)</c> gives <c>orders-inbox-&lt;run&gt;-&lt;worker&gt;</c>:
/// lower-case, other characters replaced by <c>-</c>, runs of <c>-</c> collapsed. A name ending in
/// <c>.fifo</c> keeps that suffix (for FIFO queues). Names longer than 63 characters (58 before a
/// <c>.fifo</c> suffix) are cut and end in <c>-</c> plus 8 hex characters of a hash of the full
/// name, so distinct inputs stay distinct.
/// </para>
/// <para>
/// Inside seed plans, prefer the <c>{run}</c> and <c>{worker}</c> placeholders; use this for
/// resources a test creates itself.
/// </para>
/// </remarks>
/// <example>
/// <code>
/// string bucket = ResourceNames.Namespaced("uploads", KumoRunContext.Current);        // uploads-1234-1-p77
/// string queue = ResourceNames.Namespaced("jobs.fifo", KumoRunContext.Current);       // jobs-1234-1-p77.fifo
/// </code>
/// </example>
public static class ResourceNames
{
    /// <summary>The longest name produced (the S3 bucket limit, which is below the SQS limit).</summary>
    public const int MaxLength = AwsNameRules.MaxBucketNameLength;


    /// <summary>Namespaces <paramref name="baseName"/> with the run and worker ids of <see cref="KumoRunContext.Current"/>.</summary>
    /// <param name="baseName">The logical name, e.g. <c>orders</c> or <c>jobs.fifo</c>.</param>
    /// <returns>A valid bucket and queue name.</returns>
    public static string Namespaced(string baseName) => Namespaced(baseName, KumoRunContext.Current);

    /// <summary>Namespaces <paramref name="baseName"/> with the run and worker ids of <paramref name="context"/>.</summary>
    /// <param name="baseName">The logical name, e.g. <c>orders</c> or <c>jobs.fifo</c>.</param>
    /// <param name="context">The run and worker.</param>
    /// <returns>A valid bucket and queue name.</returns>
    /// <exception cref="ArgumentException"><paramref name="baseName"/> has no letter or digit.</exception>
    public static string Namespaced(string baseName, KumoRunContext context)
    {
        ArgumentNullException.ThrowIfNull(baseName);
        ArgumentNullException.ThrowIfNull(context);
        bool fifo = baseName.EndsWith(AwsNameRules.FifoSuffix, StringComparison.OrdinalIgnoreCase);
        string stem = Clean(fifo ? baseName[..^AwsNameRules.FifoSuffix.Length] : baseName);
        if (stem.Length == 0)
        {
            throw new ArgumentException($"'{baseName}' has no letter or digit to build a name from. Fix: pass a base name such as 'orders'.", nameof(baseName));
        }

        string name = $"{stem}-{context.RunId}-{context.WorkerId}";
        int max = MaxLength - (fifo ? AwsNameRules.FifoSuffix.Length : 0);
        name = HashSuffix.Shorten(name, max, name, trimHyphens: true);

        if (fifo)
        {
            name += AwsNameRules.FifoSuffix;
        }

        if (!AwsNameRules.IsValidBucketName(name, out _) || !AwsNameRules.IsValidQueueName(name, fifo, out _))
        {
            throw new InvalidOperationException($"Namespacing '{baseName}' produced '{name}', which is not a valid name. This is a bug in Kumo.Testing.");
        }

        return name;
    }

    /// <summary>Lower-cases and replaces everything but [a-z0-9] with single hyphens, trimmed.</summary>
    internal static string Clean(string value)
    {
        var text = new StringBuilder(value.Length);
        foreach (char c in value.ToLowerInvariant())
        {
            if (char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c))
            {
                text.Append(c);
            }
            else if (text.Length > 0 && text[^1] != '-')
            {
                text.Append('-');
            }
        }

        return text.ToString().TrimEnd('-');
    }
}
