namespace Kumo.Seeding;

/// <summary>After seeding, the engine's content does not match the plan.</summary>
/// <remarks><see cref="Mismatches"/> lists every difference, each naming the bucket/key or queue.</remarks>
public sealed class SeedVerificationException : SeedException
{
    /// <summary>Creates an exception listing the mismatches.</summary>
    /// <param name="mismatches">One line per difference; at least one.</param>
    public SeedVerificationException(IReadOnlyList<string> mismatches)
        : base(Describe(mismatches), mismatches.Count > 0 ? mismatches[0] : null, null)
    {
        Mismatches = mismatches;
    }

    /// <summary>Every difference found.</summary>
    public IReadOnlyList<string> Mismatches { get; }

    private static string Describe(IReadOnlyList<string> mismatches)
    {
        ArgumentNullException.ThrowIfNull(mismatches);
        return $"Seed verification failed: {mismatches.Count} difference(s) between the plan and the engine:" + Environment.NewLine + "  - "
            + string.Join(Environment.NewLine + "  - ", mismatches);
    }
}
