namespace Kumo.Contract;

/// <summary>
/// The naming rules of S3 buckets and SQS queues, with an explicit <see cref="NameStrictness"/>.
/// </summary>
/// <remarks>
/// Buckets: 3-63 characters of lower-case letters, digits, hyphens and dots; starting and ending
/// with a letter or digit; no <c>..</c>; not an IPv4 address; not one of the reserved prefixes
/// (<c>xn--</c>, and under <see cref="NameStrictness.Aws"/> <c>sthree-</c>, <c>amzn-s3-demo-</c>) or suffixes
/// (<c>-s3alias</c>, and under <see cref="NameStrictness.Aws"/> <c>--ol-s3</c>, <c>.mrap</c>, <c>--x-s3</c>, <c>--table-s3</c>).
/// Queues (the same under both strictnesses): 1-80 characters of letters, digits, hyphens and underscores; a FIFO
/// queue's name ends in <c>.fifo</c> (counted in the 80), a standard queue's does not.
/// </remarks>
/// <example>
/// <code>
/// if (!AwsNameRules.IsValidBucketName("Orders", out string? problem)) Console.WriteLine(problem);
/// </code>
/// </example>
public static class AwsNameRules
{
    private static readonly System.Buffers.SearchValues<char> TableNameCharacters =
        System.Buffers.SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-.");

    /// <summary>The shortest bucket name.</summary>
    public const int MinBucketNameLength = 3;

    /// <summary>The longest bucket name.</summary>
    public const int MaxBucketNameLength = 63;

    /// <summary>The longest queue name, including a <c>.fifo</c> suffix.</summary>
    public const int MaxQueueNameLength = 80;

    /// <summary>The suffix of every FIFO queue name.</summary>
    public const string FifoSuffix = ".fifo";

    private static readonly string[] KumoReservedBucketPrefixes = ["xn--"];
    private static readonly string[] KumoReservedBucketSuffixes = ["-s3alias"];
    private static readonly string[] AwsReservedBucketPrefixes = [.. KumoReservedBucketPrefixes, "sthree-", "amzn-s3-demo-"];
    private static readonly string[] AwsReservedBucketSuffixes = [.. KumoReservedBucketSuffixes, "--ol-s3", ".mrap", "--x-s3", "--table-s3"];

    /// <summary>Checks an S3 bucket name against AWS's rules.</summary>
    /// <param name="name">The name.</param>
    /// <param name="problem">Why it is invalid, or null.</param>
    /// <returns>True when valid.</returns>
    public static bool IsValidBucketName(string name, out string? problem)
    {
        problem = BucketNameProblem(name, NameStrictness.Aws);
        return problem is null;
    }

    /// <summary>Checks an SQS queue name.</summary>
    /// <param name="name">The name.</param>
    /// <param name="fifo">Whether the queue is FIFO.</param>
    /// <param name="problem">Why it is invalid, or null.</param>
    /// <returns>True when valid.</returns>
    public static bool IsValidQueueName(string name, bool fifo, out string? problem)
    {
        problem = QueueNameProblem(name, fifo);
        return problem is null;
    }

    /// <summary>The shortest DynamoDB table name.</summary>
    public const int MinTableNameLength = 3;

    /// <summary>The longest DynamoDB table name.</summary>
    public const int MaxTableNameLength = 255;

    /// <summary>Why <paramref name="name"/> is not a valid DynamoDB table name (3-255 of <c>[a-zA-Z0-9_.-]</c>), or null.</summary>
    /// <param name="name">The name.</param>
    /// <param name="checkLength">False to skip the length rule (a name whose placeholders are not yet resolved).</param>
    /// <returns>The rule it breaks, in words, or null when it is valid.</returns>
    public static string? TableNameProblem(string name, bool checkLength = true)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (checkLength && (name.Length < MinTableNameLength || name.Length > MaxTableNameLength))
        {
            return $"it is {name.Length} characters long; table names are {MinTableNameLength} to {MaxTableNameLength} characters";
        }

        int bad = name.AsSpan().IndexOfAnyExcept(TableNameCharacters);
        return bad >= 0 ? $"'{name[bad]}' is not allowed; table names use only letters, digits, '_', '-' and '.'" : null;
    }

    /// <summary>Whether <paramref name="name"/> is the name of a FIFO queue (ends in <c>.fifo</c>).</summary>
    /// <param name="name">The queue name.</param>
    /// <returns>True when it ends in <see cref="FifoSuffix"/>.</returns>
    public static bool IsFifoQueueName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return name.EndsWith(FifoSuffix, StringComparison.Ordinal);
    }

    /// <summary>Why <paramref name="name"/> is not a valid bucket name under <paramref name="strictness"/>, or null.</summary>
    /// <param name="name">The name.</param>
    /// <param name="strictness">Whose rules apply.</param>
    /// <param name="checkLength">False to skip the length rule (a name whose placeholders are not yet resolved).</param>
    /// <returns>The rule it breaks, in words, or null when it is valid.</returns>
    public static string? BucketNameProblem(string name, NameStrictness strictness, bool checkLength = true)
    {
        ArgumentNullException.ThrowIfNull(name);
        string[] prefixes = strictness == NameStrictness.Aws ? AwsReservedBucketPrefixes : KumoReservedBucketPrefixes;
        string[] suffixes = strictness == NameStrictness.Aws ? AwsReservedBucketSuffixes : KumoReservedBucketSuffixes;
        if (checkLength && (name.Length < MinBucketNameLength || name.Length > MaxBucketNameLength))
        {
            return $"it is {name.Length} characters long; bucket names are {MinBucketNameLength} to {MaxBucketNameLength} characters";
        }

        if (name.Length == 0)
        {
            return "it is empty";
        }

        if (FirstInvalid(name, static c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '-' or '.') is { } bad)
        {
            return char.IsAsciiLetterUpper(bad)
                ? $"it contains the upper-case letter '{bad}'; bucket names are lower-case"
                : $"it contains '{bad}'; bucket names use only lower-case letters, digits, hyphens and dots";
        }

        if (!char.IsAsciiLetterOrDigit(name[0]) || !char.IsAsciiLetterOrDigit(name[^1]))
        {
            return "it must start and end with a letter or digit";
        }

        if (name.Contains("..", StringComparison.Ordinal))
        {
            return "it contains '..'; dots must not be adjacent";
        }

        if (LooksLikeIPv4(name))
        {
            return "it is formatted as an IP address";
        }

        if (Array.Find(prefixes, p => name.StartsWith(p, StringComparison.Ordinal)) is { } prefix)
        {
            return $"it starts with the reserved prefix '{prefix}'";
        }

        if (Array.Find(suffixes, s => name.EndsWith(s, StringComparison.Ordinal)) is { } suffix)
        {
            return $"it ends with the reserved suffix '{suffix}'";
        }

        return null;
    }

    /// <summary>Why <paramref name="name"/> is not a valid queue name for a queue of the given type, or null.</summary>
    /// <param name="name">The name.</param>
    /// <param name="fifo">Whether the queue is FIFO.</param>
    /// <param name="checkLength">False to skip the length rule (a name whose placeholders are not yet resolved).</param>
    /// <returns>The rule it breaks, in words, or null when it is valid.</returns>
    public static string? QueueNameProblem(string name, bool fifo, bool checkLength = true)
    {
        ArgumentNullException.ThrowIfNull(name);
        bool endsFifo = IsFifoQueueName(name);
        string stem = endsFifo ? name[..^FifoSuffix.Length] : name;
        if (fifo && !endsFifo)
        {
            return $"the queue is FIFO but its name does not end with '{FifoSuffix}'";
        }

        if (!fifo && endsFifo)
        {
            return $"the name ends with '{FifoSuffix}' but the queue is not FIFO";
        }

        if (stem.Length == 0)
        {
            return "it is empty";
        }

        if (checkLength && name.Length > MaxQueueNameLength)
        {
            return $"it is {name.Length} characters long; queue names are at most {MaxQueueNameLength} characters (including '{FifoSuffix}')";
        }

        if (FirstInvalid(stem, static c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_') is { } bad)
        {
            return $"it contains '{bad}'; queue names use only letters, digits, hyphens and underscores" + (fifo ? $" (plus the '{FifoSuffix}' suffix)" : string.Empty);
        }

        return null;
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
