using System.Text.Json.Nodes;
using Amazon.DynamoDBv2.Model;

namespace Kumo.Seeding;

/// <summary>DynamoDB JSON items to SDK attribute values and back (numbers stay strings: no precision is lost).</summary>
internal static class DynamoItems
{
    public static Dictionary<string, AttributeValue> ToAttributeValues(JsonObject item) =>
        item.ToDictionary(p => p.Key, p => ToAttributeValue((JsonObject)p.Value!), StringComparer.Ordinal);

    public static AttributeValue ToAttributeValue(JsonObject typed)
    {
        (string type, JsonNode? value) = typed.First();
        return type switch
        {
            "S" => new AttributeValue { S = value!.GetValue<string>() },
            "N" => new AttributeValue { N = value!.GetValue<string>() },
            "B" => new AttributeValue { B = new MemoryStream(Convert.FromBase64String(value!.GetValue<string>())) },
            "BOOL" => new AttributeValue { BOOL = value!.GetValue<bool>() },
            "NULL" => new AttributeValue { NULL = true },
            "L" => new AttributeValue { L = [.. ((JsonArray)value!).Select(v => ToAttributeValue((JsonObject)v!))] },
            "M" => new AttributeValue { M = ToAttributeValues((JsonObject)value!) },
            "SS" => new AttributeValue { SS = Strings(value!) },
            "NS" => new AttributeValue { NS = Strings(value!) },
            _ => new AttributeValue { BS = [.. Strings(value!).Select(b => new MemoryStream(Convert.FromBase64String(b)))] },
        };
    }

    public static JsonObject ToJson(Dictionary<string, AttributeValue> item)
    {
        var result = new JsonObject();
        foreach ((string name, AttributeValue value) in item)
        {
            result[name] = ToJson(value);
        }

        return result;
    }

    private static JsonObject ToJson(AttributeValue value) => value switch
    {
        { S: not null } => new JsonObject { ["S"] = value.S },
        { N: not null } => new JsonObject { ["N"] = value.N },
        { B: not null } => new JsonObject { ["B"] = Convert.ToBase64String(value.B.ToArray()) },
        { BOOL: not null } => new JsonObject { ["BOOL"] = value.BOOL.Value },
        { NULL: true } => new JsonObject { ["NULL"] = true },
        { L: not null } => new JsonObject { ["L"] = new JsonArray([.. value.L.Select(v => (JsonNode)ToJson(v))]) },
        { M: not null } => new JsonObject { ["M"] = ToJson(value.M) },
        { SS: { Count: > 0 } } => new JsonObject { ["SS"] = new JsonArray([.. value.SS.Select(s => (JsonNode)JsonValue.Create(s))]) },
        { NS: { Count: > 0 } } => new JsonObject { ["NS"] = new JsonArray([.. value.NS.Select(s => (JsonNode)JsonValue.Create(s))]) },
        { BS: { Count: > 0 } } => new JsonObject { ["BS"] = new JsonArray([.. value.BS.Select(b => (JsonNode)JsonValue.Create(Convert.ToBase64String(b.ToArray())))]) },
        _ => new JsonObject { ["NULL"] = true },
    };

    private static List<string> Strings(JsonNode array) => [.. ((JsonArray)array).Select(s => s!.GetValue<string>())];
}
