using System.Globalization;
using System.Text;

namespace Kumo.Seeding;

/// <summary>
/// A seed manifest or fluent seed plan is invalid. Every problem found is listed in
/// <see cref="Errors"/>; the top-level properties describe the first one.
/// </summary>
/// <remarks>
/// Thrown while loading, building or resolving a plan — always before any request is sent to an
/// engine. The message names the file, the line, the JSON pointer and the fix of every error.
/// </remarks>
/// <example>
/// <code>
/// try { SeedManifest.Load("seed.json"); }
/// catch (SeedManifestException e) { Console.WriteLine($"{e.FilePath}:{e.Line} {e.JsonPointer}: {e.Fix}"); }
/// </code>
/// </example>
public sealed class SeedManifestException : Exception
{
    /// <summary>Creates an exception for one or more errors.</summary>
    /// <param name="errors">The errors; at least one.</param>
    public SeedManifestException(IReadOnlyList<SeedManifestError> errors)
        : base(Describe(errors))
    {
        Errors = errors;
    }

    /// <summary>Creates an exception for one or more errors, with the exception that caused the first.</summary>
    /// <param name="errors">The errors; at least one.</param>
    /// <param name="innerException">The cause, e.g. a <see cref="System.Text.Json.JsonException"/>.</param>
    public SeedManifestException(IReadOnlyList<SeedManifestError> errors, Exception? innerException)
        : base(Describe(errors), innerException)
    {
        Errors = errors;
    }

    /// <summary>All errors found, in document order.</summary>
    public IReadOnlyList<SeedManifestError> Errors { get; }

    /// <summary>The manifest file of the first error; null for a fluent plan.</summary>
    public string? FilePath => Errors[0].FilePath;

    /// <summary>The JSON pointer of the first error.</summary>
    public string JsonPointer => Errors[0].JsonPointer;

    /// <summary>The 1-based line of the first error, when known.</summary>
    public int? Line => Errors[0].Line;

    /// <summary>The fix of the first error.</summary>
    public string Fix => Errors[0].Fix;

    private static string Describe(IReadOnlyList<SeedManifestError> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (errors.Count == 0)
        {
            throw new ArgumentException("At least one error is required.", nameof(errors));
        }

        if (errors.Count == 1)
        {
            return "Invalid seed plan: " + errors[0];
        }

        var text = new StringBuilder();
        text.Append("Invalid seed plan ").Append(errors[0].FilePath is { } file ? $"'{file}'" : "(fluent)")
            .Append(": ").Append(errors.Count.ToString(CultureInfo.InvariantCulture)).Append(" errors:");
        foreach (SeedManifestError error in errors)
        {
            text.AppendLine().Append("  - ").Append(error);
        }

        return text.ToString();
    }
}
