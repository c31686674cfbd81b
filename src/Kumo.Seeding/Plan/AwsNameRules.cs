namespace Kumo.Seeding;

/// <summary>
/// The naming rules of S3 buckets and SQS queues, as AWS enforces them (kumo is more lenient; a plan
/// that passes here also works on AWS).
/// </summary>
/// <remarks>
/// Buckets: 3-63 characters of lower-case letters, digits, hyphens and dots; starting and ending
/// with a letter or digit; no <c>..</c>; not an IPv4 address; not one of the reserved prefixes
/// (<c>xn--</c>, <c>sthree-</c>, <c>amzn-s3-demo-</c>) or suffixes (<c>-s3alias</c>,
/// <c>--ol-s3</c>, <c>.mrap</c>, <c>--x-s3</c>, <c>--table-s3</c>).
/// Queues: 1-80 characters of letters, digits, hyphens and underscores; a FIFO queue's name ends in
/// <c>.fifo</c> (counted in the 80), a standard queue's does not.
/// </remarks>
/// <example>
/// <code>
/// if (!AwsNameRules.IsValidBucketName("Orders", out string? problem)) Console.WriteLine(problem);
/// </code>
/// </example>
public static class AwsNameRules
{
    /// <summary>The longest bucket name.</summary>
    public const int MaxBucketNameLength = 63;

    /// <summary>The longest queue name, including a <c>.fifo</c> suffix.</summary>
    public const int MaxQueueNameLength = 80;

    /// <summary>The suffix of every FIFO queue name.</summary>
    public const string FifoSuffix = ".fifo";

    private static readonly string[] ReservedBucketPrefixes = ["xn--", "sthree-", "amzn-s3-demo-"];
    private static readonly string[] ReservedBucketSuffixes = ["-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3"];

    /// <summary>Checks an S3 bucket name.</summary>
    /// <param name="name">The name.</param>
    /// <param name="problem">Why it is invalid, or null.</param>
    /// <returns>True when valid.</returns>
    public static bool IsValidBucketName(string name, out string? problem) => IsValidBucketName(name, checkLength: true, out problem);

    /// <summary>Checks an SQS queue name.</summary>
    /// <param name="name">The name.</param>
    /// <param name="fifo">Whether the queue is FIFO.</param>
    /// <param name="problem">Why it is invalid, or null.</param>
    /// <returns>True when valid.</returns>
    public static bool IsValidQueueName(string name, bool fifo, out string? problem) => IsValidQueueName(name, fifo, checkLength: true, out problem);

    internal static bool IsValidBucketName(string name, bool checkLength, out string? problem)
    {
        ArgumentNullException.ThrowIfNull(name);
        problem = null;
        if (checkLength && (name.Length < 3 || name.Length > MaxBucketNameLength))
        {
            problem = $"it is {name.Length} characters long; bucket names are 3 to {MaxBucketNameLength} characters";
        }
        else if (name.Length == 0)
        {
            problem = "it is empty";
        }
        else if (FirstInvalid(name, static c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '-' or '.') is { } bad)
        {
            problem = char.IsAsciiLetterUpper(bad)
                ? $"it contains the upper-case letter '{bad}'; bucket names are lower-case"
                : $"it contains '{bad}'; bucket names use only lower-case letters, digits, hyphens and dots";
        }
        else if (!char.IsAsciiLetterOrDigit(name[0]) || !char.IsAsciiLetterOrDigit(name[^1]))
        {
            problem = "it must start and end with a letter or digit";
        }
        else if (name.Contains("..", StringComparison.Ordinal))
        {
            problem = "it contains '..'; dots must not be adjacent";
        }
        else if (LooksLikeIPv4(name))
        {
            problem = "it is formatted as an IP address";
        }
        else if (Array.Find(ReservedBucketPrefixes, p => name.StartsWith(p, StringComparison.Ordinal)) is { } prefix)
        {
            problem = $"it starts with the reserved prefix '{prefix}'";
        }
        else if (Array.Find(ReservedBucketSuffixes, s => name.EndsWith(s, StringComparison.Ordinal)) is { } suffix)
        {
            problem = $"it ends with the reserved suffix '{suffix}'";
        }

        return problem is null;
    }

    internal static bool IsValidQueueName(string name, bool fifo, bool checkLength, out string? problem)
    {
        ArgumentNullException.ThrowIfNull(name);
        problem = null;
        bool endsFifo = name.EndsWith(FifoSuffix, StringComparison.Ordinal);
        string stem = endsFifo ? name[..^FifoSuffix.Length] : name;
        if (fifo && !endsFifo)
        {
            problem = $"the queue is FIFO but its name does not end with '{FifoSuffix}'";
        }
        else if (!fifo && endsFifo)
        {
            problem = $"the name ends with '{FifoSuffix}' but the queue is not FIFO";
        }
        else if (stem.Length == 0)
        {
            problem = "it is empty";
        }
        else if (checkLength && name.Length > MaxQueueNameLength)
        {
            problem = $"it is {name.Length} characters long; queue names are at most {MaxQueueNameLength} characters (including '{FifoSuffix}')";
        }
        else if (FirstInvalid(stem, static c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_') is { } bad)
        {
            problem = $"it contains '{bad}'; queue names use only letters, digits, hyphens and underscores" + (fifo ? $" (plus the '{FifoSuffix}' suffix)" : string.Empty);
        }

        return problem is null;
    }

    private static char? FirstInvalid(string name, Func<char, bool> allowed)
    {
        foreach (char c in name)
        {
            if (!allowed(c))
            {
                return c;
            }
        }

        return null;
    }

    private static bool LooksLikeIPv4(string name)
    {
        string[] parts = name.Split('.');
        return parts.Length == 4 && Array.TrueForAll(parts, p => p.Length is > 0 and <= 3 && p.All(char.IsAsciiDigit));
    }
}
