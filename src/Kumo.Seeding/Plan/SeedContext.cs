namespace Kumo.Seeding;

/// <summary>
/// The values of the <c>{run}</c> and <c>{worker}</c> placeholders used when a plan is resolved.
/// </summary>
/// <remarks>
/// Both ids must be 1 to 32 characters of lower-case letters, digits and hyphens, without a leading
/// or trailing hyphen, so that they are valid inside both S3 bucket names and SQS queue names.
/// <c>Kumo.Testing.KumoRunContext</c> derives them from CI variables.
/// </remarks>
/// <example>
/// <code>
/// ResolvedSeedPlan resolved = plan.Resolve(new SeedContext(RunId: "1234-1", WorkerId: "0"));
/// </code>
/// </example>
public sealed record SeedContext
{
    /// <summary>The longest run or worker id.</summary>
    public const int MaxIdLength = 32;

    /// <summary>Creates a context.</summary>
    /// <param name="RunId">The value of <c>{run}</c>.</param>
    /// <param name="WorkerId">The value of <c>{worker}</c>.</param>
    /// <exception cref="ArgumentException">An id is empty, too long, or has characters not allowed in names.</exception>
    public SeedContext(string RunId, string WorkerId)
    {
        this.RunId = Check(RunId, nameof(RunId));
        this.WorkerId = Check(WorkerId, nameof(WorkerId));
    }

    /// <summary>The value of <c>{run}</c>: the CI run (or local session).</summary>
    public string RunId { get; }

    /// <summary>The value of <c>{worker}</c>: the worker, shard or process within the run.</summary>
    public string WorkerId { get; }

    /// <summary>Tells whether <paramref name="id"/> can be used as a run or worker id.</summary>
    /// <param name="id">A candidate id.</param>
    /// <returns>True when it is 1-32 of [a-z0-9-] without a leading or trailing hyphen.</returns>
    public static bool IsValidId(string? id)
    {
        if (string.IsNullOrEmpty(id) || id.Length > MaxIdLength || id[0] == '-' || id[^1] == '-')
        {
            return false;
        }

        foreach (char c in id)
        {
            if (!(char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-'))
            {
                return false;
            }
        }

        return true;
    }

    private static string Check(string value, string name)
    {
        ArgumentNullException.ThrowIfNull(value, name);
        if (!IsValidId(value))
        {
            throw new ArgumentException(
                $"{name} '{value}' cannot be used in resource names. Fix: use 1 to {MaxIdLength} lower-case letters, digits or hyphens, not starting or ending with a hyphen (Kumo.Testing.KumoRunContext produces such ids).",
                name);
        }

        return value;
    }
}
