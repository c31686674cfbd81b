using System.Text.Json;

namespace Kumo.Contract;

/// <summary>How error messages name the kind of a JSON value ("an object", "a string", …), in the engine and in seeding alike.</summary>
/// <example>
/// <code>
/// throw new FormatException($"an item must be a JSON object, not {JsonValueKinds.Describe(element.ValueKind)}");
/// </code>
/// </example>
public static class JsonValueKinds
{
    /// <summary>The kind of a JSON value with its article, as error messages say it.</summary>
    /// <param name="kind">The value's kind.</param>
    /// <returns><c>an object</c>, <c>an array</c>, <c>a string</c>, <c>a number</c>, <c>a boolean</c> or <c>null</c>.</returns>
    public static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        _ => "null",
    };
}
