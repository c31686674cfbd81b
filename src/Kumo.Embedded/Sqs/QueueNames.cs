using Kumo.Contract;

namespace Kumo.Embedded.Sqs;

/// <summary>Queue name rules and the mapping between names, URLs and ARNs.</summary>
/// <remarks>
/// A name is 1 to 80 characters of <c>[A-Za-z0-9_-]</c>; a FIFO queue's name ends with <c>.fifo</c>
/// (counted in the 80). Queues are found by the last path segment of a queue URL, as kumo does, so
/// a client may use any host and port it reaches the engine on.
/// </remarks>
internal static class QueueNames
{
    internal const string FifoSuffix = AwsNameRules.FifoSuffix;
    internal const int MaxLength = AwsNameRules.MaxQueueNameLength;

    public static bool IsFifoName(string name) => AwsNameRules.IsFifoQueueName(name);

    /// <summary>Throws <c>InvalidParameterValue</c> unless <paramref name="name"/> is a valid name for the queue type.</summary>
    public static void Validate(string name, bool fifo)
    {
        bool endsFifo = IsFifoName(name);
        if (fifo && !endsFifo)
        {
            throw SqsErrors.InvalidParameterValue("QueueName", name, "The name of a FIFO queue must end with the .fifo suffix (and FifoQueue=true is set). Rename it to '" + TruncateForSuggestion(name) + ".fifo'.");
        }

        if (!fifo && endsFifo)
        {
            throw SqsErrors.InvalidParameterValue("QueueName", name, "A queue whose name ends with .fifo must be created with the attribute FifoQueue=true.");
        }

        if (AwsNameRules.QueueNameProblem(name, fifo) is not null)
        {
            throw SqsErrors.InvalidParameterValue("QueueName", name, "Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length" + (fifo ? ", including the .fifo suffix." : "."));
        }
    }

    /// <summary>The queue name a queue URL (or a bare name) refers to: its last path segment.</summary>
    public static string FromUrl(string queueUrl)
    {
        // A client sends one queue's URL request after request: the thread's last answer is reused when the URL is the
        // same (a comparison instead of the scan below and a new string: 1.6 % of the CPU of a SendMessage).
        if (t_lastUrl is { } last && string.Equals(last.Url, queueUrl, StringComparison.Ordinal))
        {
            return last.Name;
        }

        string name = NameInUrl(queueUrl);
        t_lastUrl = (queueUrl, name);
        return name;
    }

    [ThreadStatic]
    private static (string Url, string Name)? t_lastUrl;

    private static string NameInUrl(string queueUrl)
    {
        if (PlainUrlName(queueUrl) is { } plain)
        {
            return plain;
        }

        string path = queueUrl;
        if (Uri.TryCreate(queueUrl, UriKind.Absolute, out Uri? uri) && uri.Scheme is "http" or "https")
        {
            path = uri.AbsolutePath;
        }

        path = path.TrimEnd('/');
        int slash = path.LastIndexOf('/');
        string name = slash < 0 ? path : path[(slash + 1)..];
        return Uri.UnescapeDataString(name);
    }

    /// <summary>
    /// The last path segment of a plain http(s) URL (only ASCII letters, digits and <c>-._~:/[]</c>, a path, no dot
    /// segment), the shape of the URLs CreateQueue returns, read without parsing a <see cref="Uri"/>; null for any other
    /// URL, which <see cref="NameInUrl"/> parses (both give the same segment for a plain URL).
    /// </summary>
    private static string? PlainUrlName(string url)
    {
        int authority = url.StartsWith("http://", StringComparison.Ordinal) ? 7 : url.StartsWith("https://", StringComparison.Ordinal) ? 8 : -1;
        if (authority < 0)
        {
            return null;
        }

        ReadOnlySpan<char> rest = url.AsSpan(authority);
        int pathStart = rest.IndexOf('/');
        if (pathStart <= 0 || rest.ContainsAnyExcept(PlainUrlCharacters) || rest.Contains("/.", StringComparison.Ordinal))
        {
            return null;
        }

        ReadOnlySpan<char> path = rest[pathStart..].TrimEnd('/');
        return path[(path.LastIndexOf('/') + 1)..].ToString();
    }

    private static readonly System.Buffers.SearchValues<char> PlainUrlCharacters =
        System.Buffers.SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~:/[]");

    /// <summary>The queue name an ARN refers to, or null when it is not an SQS ARN.</summary>
    public static string? FromArn(string arn)
    {
        string[] parts = arn.Split(':');
        return parts.Length == 6 && parts[0] == "arn" && parts[2] == "sqs" && parts[5].Length > 0 ? parts[5] : null;
    }

    public static string Arn(string name) => $"arn:aws:sqs:{EngineContext.Region}:{EngineContext.AccountId}:{name}";

    public static string Url(string baseUrl, string name) => $"{baseUrl}/{EngineContext.AccountId}/{name}";

    private static string TruncateForSuggestion(string name) => name.Length > MaxLength - FifoSuffix.Length ? name[..(MaxLength - FifoSuffix.Length)] : name;
}
