using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Kumo.Contract;

namespace Kumo.Seeding;

/// <summary>
/// Items as DynamoDB JSON: conversion from plain JSON (string → S, number → N with its digits kept, boolean → BOOL,
/// null → NULL, array → L, object → M), validation of DynamoDB JSON, and a canonical text for comparison and hashing.
/// </summary>
internal static class DynamoJson
{
    private static readonly string[] Types = ["S", "N", "B", "BOOL", "NULL", "L", "M", "SS", "NS", "BS"];

    /// <summary>Converts a plain JSON object into a DynamoDB JSON item.</summary>
    /// <exception cref="FormatException">The value is not an object; the message names the path.</exception>
    public static JsonObject FromPlain(JsonElement item)
    {
        if (item.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException($"an item must be a JSON object, not {JsonValueKinds.Describe(item.ValueKind)}");
        }

        var result = new JsonObject();
        foreach (JsonProperty property in item.EnumerateObject())
        {
            result[property.Name] = PlainValue(property.Value);
        }

        return result;
    }

    /// <summary>Checks and copies a DynamoDB JSON item (<c>{"name":{"S":"x"}}</c>).</summary>
    /// <exception cref="FormatException">The item is not valid DynamoDB JSON; the message names the attribute.</exception>
    public static JsonObject FromDynamo(JsonElement item)
    {
        if (item.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException($"an item must be a JSON object, not {JsonValueKinds.Describe(item.ValueKind)}");
        }

        var result = new JsonObject();
        foreach (JsonProperty property in item.EnumerateObject())
        {
            result[property.Name] = TypedValue(property.Value, property.Name);
        }

        return result;
    }

    /// <summary>The canonical text of a DynamoDB JSON value: map keys and set members sorted, numbers normalized.</summary>
    public static string Canonical(JsonObject item)
    {
        var builder = new StringBuilder();
        WriteMap(builder, item);
        return builder.ToString();
    }

    /// <summary>A number in one spelling per value: no sign on zero, no leading or trailing zeros, no exponent.</summary>
    public static string NormalizeNumber(string text)
    {
        string s = text.Trim();
        bool negative = s.StartsWith('-');
        s = s.TrimStart('+', '-');
        int exponent = 0;
        int e = s.IndexOfAny(['e', 'E']);
        if (e >= 0)
        {
            exponent = int.Parse(s[(e + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
            s = s[..e];
        }

        int dot = s.IndexOf('.', StringComparison.Ordinal);
        string digits = dot >= 0 ? s.Remove(dot, 1) : s;
        int point = (dot >= 0 ? dot : s.Length) + exponent;
        int lead = 0;
        while (lead < digits.Length - 1 && digits[lead] == '0' && lead < point - 1)
        {
            lead++;
        }

        digits = digits[lead..];
        point -= lead;
        if (point <= 0)
        {
            digits = new string('0', 1 - point) + digits;
            point = 1;
        }
        else if (point > digits.Length)
        {
            digits += new string('0', point - digits.Length);
        }

        string integer = digits[..point].TrimStart('0');
        string fraction = digits[point..].TrimEnd('0');
        if (integer.Length == 0)
        {
            integer = "0";
        }

        string result = fraction.Length > 0 ? integer + "." + fraction : integer;
        return negative && result != "0" ? "-" + result : result;
    }

    private static JsonObject PlainValue(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => new JsonObject { ["S"] = value.GetString() },
        JsonValueKind.Number => new JsonObject { ["N"] = value.GetRawText() },
        JsonValueKind.True => new JsonObject { ["BOOL"] = true },
        JsonValueKind.False => new JsonObject { ["BOOL"] = false },
        JsonValueKind.Null => new JsonObject { ["NULL"] = true },
        JsonValueKind.Array => new JsonObject { ["L"] = new JsonArray([.. value.EnumerateArray().Select(v => (JsonNode)PlainValue(v))]) },
        _ => new JsonObject { ["M"] = FromPlain(value) },
    };

    private static JsonObject TypedValue(JsonElement value, string path)
    {
        if (value.ValueKind != JsonValueKind.Object || value.EnumerateObject().Count() != 1)
        {
            throw new FormatException($"attribute '{path}' must be an object with exactly one type key ({string.Join(", ", Types)}), e.g. {{\"S\": \"text\"}}; it is {JsonValueKinds.Describe(value.ValueKind)}");
        }

        JsonProperty typed = value.EnumerateObject().First();
        JsonElement v = typed.Value;
        JsonNode node = typed.Name switch
        {
            "S" or "B" when v.ValueKind == JsonValueKind.String => JsonValue.Create(v.GetString()!),
            "N" when v.ValueKind == JsonValueKind.String && IsNumber(v.GetString()!) => JsonValue.Create(v.GetString()!),
            "BOOL" when v.ValueKind is JsonValueKind.True or JsonValueKind.False => JsonValue.Create(v.GetBoolean()),
            "NULL" when v.ValueKind == JsonValueKind.True => JsonValue.Create(true),
            "L" when v.ValueKind == JsonValueKind.Array => new JsonArray([.. v.EnumerateArray().Select((e, i) => (JsonNode)TypedValue(e, $"{path}[{i}]"))]),
            "M" when v.ValueKind == JsonValueKind.Object => FromDynamoMap(v, path),
            "SS" or "BS" when v.ValueKind == JsonValueKind.Array && v.GetArrayLength() > 0 && v.EnumerateArray().All(e => e.ValueKind == JsonValueKind.String)
                => new JsonArray([.. v.EnumerateArray().Select(e => (JsonNode)JsonValue.Create(e.GetString()!))]),
            "NS" when v.ValueKind == JsonValueKind.Array && v.GetArrayLength() > 0 && v.EnumerateArray().All(e => e.ValueKind == JsonValueKind.String && IsNumber(e.GetString()!))
                => new JsonArray([.. v.EnumerateArray().Select(e => (JsonNode)JsonValue.Create(e.GetString()!))]),
            _ when Array.IndexOf(Types, typed.Name) < 0 => throw new FormatException($"attribute '{path}' has the unknown type '{typed.Name}'; use one of {string.Join(", ", Types)}"),
            _ => throw new FormatException($"attribute '{path}' of type {typed.Name} has an invalid value {v.GetRawText()}; e.g. {{\"S\":\"x\"}}, {{\"N\":\"12.5\"}} (a string), {{\"BOOL\":true}}, {{\"NULL\":true}}, {{\"SS\":[\"a\"]}}"),
        };
        return new JsonObject { [typed.Name] = node };
    }

    private static JsonObject FromDynamoMap(JsonElement map, string path)
    {
        var result = new JsonObject();
        foreach (JsonProperty property in map.EnumerateObject())
        {
            result[property.Name] = TypedValue(property.Value, path + "." + property.Name);
        }

        return result;
    }

    private static bool IsNumber(string text) =>
        decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out _)
        || (text.Length > 0 && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double d) && double.IsFinite(d));

    private static void WriteMap(StringBuilder builder, JsonObject map)
    {
        builder.Append('{');
        foreach (KeyValuePair<string, JsonNode?> property in map.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            builder.Append(JsonSerializer.Serialize(property.Key)).Append(':');
            WriteValue(builder, (JsonObject)property.Value!);
            builder.Append(',');
        }

        builder.Append('}');
    }

    private static void WriteValue(StringBuilder builder, JsonObject typed)
    {
        (string type, JsonNode? value) = typed.First();
        builder.Append(type).Append('=');
        switch (type)
        {
            case "M":
                WriteMap(builder, (JsonObject)value!);
                break;
            case "L":
                builder.Append('[');
                foreach (JsonNode? element in (JsonArray)value!)
                {
                    WriteValue(builder, (JsonObject)element!);
                    builder.Append(',');
                }

                builder.Append(']');
                break;
            case "SS" or "BS" or "NS":
                IEnumerable<string> members = ((JsonArray)value!).Select(m => m!.GetValue<string>());
                builder.Append(JsonSerializer.Serialize(members.Select(m => type == "NS" ? NormalizeNumber(m) : m).Distinct().Order(StringComparer.Ordinal).ToArray()));
                break;
            case "N":
                builder.Append(NormalizeNumber(value!.GetValue<string>()));
                break;
            default:
                builder.Append(value!.ToJsonString());
                break;
        }
    }
}
