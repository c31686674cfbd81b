using System.Text.Json;

namespace Kumo.Embedded.DynamoDb;

/// <summary>Typed reads of request members; a member of the wrong JSON type is a SerializationException naming it.</summary>
internal static class DynamoRequest
{
    public static string? String(JsonElement owner, string member) => Get(owner, member) switch
    {
        null => null,
        { ValueKind: JsonValueKind.String } value => value.GetString(),
        _ => throw WrongType(member, "a string"),
    };

    public static string RequiredString(JsonElement owner, string member) =>
        String(owner, member) ?? throw DynamoErrors.Validation($"1 validation error detected: Value null at '{char.ToLowerInvariant(member[0])}{member[1..]}' failed to satisfy constraint: Member must not be null");

    public static bool? Bool(JsonElement owner, string member) => Get(owner, member) switch
    {
        null => null,
        { ValueKind: JsonValueKind.True } => true,
        { ValueKind: JsonValueKind.False } => false,
        _ => throw WrongType(member, "true or false"),
    };

    public static long? Long(JsonElement owner, string member) => Get(owner, member) switch
    {
        null => null,
        { ValueKind: JsonValueKind.Number } value when value.TryGetInt64(out long n) => n,
        _ => throw WrongType(member, "a whole number"),
    };

    public static int? Int(JsonElement owner, string member) => Long(owner, member) switch
    {
        null => null,
        { } n when n is >= int.MinValue and <= int.MaxValue => (int)n,
        _ => throw WrongType(member, "a 32-bit whole number"),
    };

    public static List<JsonElement>? Array(JsonElement owner, string member) => Get(owner, member) switch
    {
        null => null,
        { ValueKind: JsonValueKind.Array } value => [.. value.EnumerateArray()],
        _ => throw WrongType(member, "a JSON array"),
    };

    public static JsonElement? Object(JsonElement owner, string member) => Get(owner, member) switch
    {
        null => null,
        { ValueKind: JsonValueKind.Object } value => value,
        _ => throw WrongType(member, "a JSON object"),
    };

    public static bool Has(JsonElement owner, string member) => Get(owner, member) is not null;

    private static JsonElement? Get(JsonElement owner, string member)
    {
        if (owner.ValueKind != JsonValueKind.Object)
        {
            throw DynamoErrors.Serialization($"Expected a JSON object holding {member}.");
        }

        return owner.TryGetProperty(member, out JsonElement value) && value.ValueKind != JsonValueKind.Null ? value : null;
    }

    private static Exception WrongType(string member, string expected) =>
        DynamoErrors.Serialization($"{member} must be {expected}.");
}
