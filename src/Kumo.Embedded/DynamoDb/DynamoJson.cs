using System.Text.Json;

namespace Kumo.Embedded.DynamoDb;

/// <summary>Reads and writes attribute values in DynamoDB's JSON shape (<c>{"S":"x"}</c>, <c>{"N":"1"}</c>, …).</summary>
internal static class DynamoJson
{
    /// <summary>The deepest nesting of maps and lists DynamoDB accepts.</summary>
    public const int MaxNesting = 32;

    public static DynamoItem ReadItem(JsonElement element, string member)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw DynamoErrors.Serialization($"{member} must be a JSON object of attribute name to attribute value, e.g. {{\"id\":{{\"S\":\"a\"}}}}.");
        }

        DynamoItem item = DynamoItems.New();
        foreach (JsonProperty property in element.EnumerateObject())
        {
            item[property.Name] = ReadValue(property.Value, 1);
        }

        return item;
    }

    public static DynamoValue ReadValue(JsonElement element, int depth)
    {
        if (depth > MaxNesting + 1)
        {
            throw DynamoErrors.Validation("Nesting Levels have exceeded supported limits");
        }

        if (element.ValueKind != JsonValueKind.Object)
        {
            throw DynamoErrors.Serialization($"An attribute value must be a JSON object such as {{\"S\":\"text\"}}, not {element.ValueKind}.");
        }

        DynamoValue? result = null;
        int count = 0;
        foreach (JsonProperty property in element.EnumerateObject())
        {
            if (property.Value.ValueKind == JsonValueKind.Null)
            {
                continue;
            }

            count++;
            result = property.Name switch
            {
                "S" => DynamoValue.FromString(String(property.Value, "S")),
                "N" => DynamoValue.FromNumber(DynamoNumber.Parse(String(property.Value, "N"))),
                "B" => DynamoValue.FromBinary(Binary(property.Value)),
                "BOOL" => property.Value.ValueKind is JsonValueKind.True or JsonValueKind.False
                    ? DynamoValue.FromBool(property.Value.GetBoolean())
                    : throw DynamoErrors.Serialization("BOOL must be true or false."),
                "NULL" => property.Value.ValueKind == JsonValueKind.True
                    ? DynamoValue.Null
                    : throw DynamoErrors.InvalidParameter("Null attribute value types must have the value of true"),
                "SS" => DynamoValue.FromStringSet(Set(property.Value, "SS", "string", e => String(e, "SS"), StringComparer.Ordinal)),
                "NS" => DynamoValue.FromNumberSet(Set(property.Value, "NS", "number", e => DynamoNumber.Parse(String(e, "NS")), EqualityComparer<DynamoNumber>.Default)),
                "BS" => DynamoValue.FromBinarySet(Set(property.Value, "BS", "binary", Binary, BinaryComparer.Instance)),
                "M" => DynamoValue.FromMap(Map(property.Value, depth)),
                "L" => DynamoValue.FromList(List(property.Value, depth)),
                _ => throw DynamoErrors.Serialization($"Unknown attribute value type '{property.Name}'; use one of S, N, B, SS, NS, BS, M, L, NULL, BOOL."),
            };
        }

        return count switch
        {
            0 => throw DynamoErrors.InvalidParameter("Supplied AttributeValue is empty, must contain exactly one of the supported datatypes"),
            1 => result!,
            _ => throw DynamoErrors.InvalidParameter("Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes"),
        };
    }

    public static void WriteItem(Utf8JsonWriter writer, IReadOnlyDictionary<string, DynamoValue> item)
    {
        writer.WriteStartObject();
        foreach ((string name, DynamoValue value) in item)
        {
            writer.WritePropertyName(name);
            WriteValue(writer, value);
        }

        writer.WriteEndObject();
    }

    public static void WriteValue(Utf8JsonWriter writer, DynamoValue value)
    {
        writer.WriteStartObject();
        switch (value.Type)
        {
            case DynamoType.S:
                writer.WriteString("S", value.S);
                break;
            case DynamoType.N:
                writer.WriteString("N", value.N.ToString());
                break;
            case DynamoType.B:
                writer.WriteBase64String("B", value.B);
                break;
            case DynamoType.BOOL:
                writer.WriteBoolean("BOOL", value.Bool);
                break;
            case DynamoType.NULL:
                writer.WriteBoolean("NULL", true);
                break;
            case DynamoType.SS:
                writer.WriteStartArray("SS");
                foreach (string s in value.SS)
                {
                    writer.WriteStringValue(s);
                }

                writer.WriteEndArray();
                break;
            case DynamoType.NS:
                writer.WriteStartArray("NS");
                foreach (DynamoNumber n in value.NS)
                {
                    writer.WriteStringValue(n.ToString());
                }

                writer.WriteEndArray();
                break;
            case DynamoType.BS:
                writer.WriteStartArray("BS");
                foreach (byte[] b in value.BS)
                {
                    writer.WriteBase64StringValue(b);
                }

                writer.WriteEndArray();
                break;
            case DynamoType.M:
                writer.WritePropertyName("M");
                WriteItem(writer, value.M);
                break;
            case DynamoType.L:
                writer.WriteStartArray("L");
                foreach (DynamoValue element in value.L)
                {
                    WriteValue(writer, element);
                }

                writer.WriteEndArray();
                break;
        }

        writer.WriteEndObject();
    }

    private static string String(JsonElement element, string type) =>
        element.ValueKind == JsonValueKind.String ? element.GetString()! : throw DynamoErrors.Serialization($"The {type} value must be a JSON string.");

    private static byte[] Binary(JsonElement element)
    {
        if (element.ValueKind != JsonValueKind.String || !element.TryGetBytesFromBase64(out byte[]? bytes))
        {
            throw DynamoErrors.Serialization("A binary value (B, BS) must be a base64 string.");
        }

        return bytes;
    }

    private static List<T> Set<T>(JsonElement element, string type, string noun, Func<JsonElement, T> read, IEqualityComparer<T> comparer)
    {
        if (element.ValueKind != JsonValueKind.Array)
        {
            throw DynamoErrors.Serialization($"The {type} value must be a JSON array.");
        }

        var values = new List<T>(element.GetArrayLength());
        var seen = new HashSet<T>(comparer);
        foreach (JsonElement e in element.EnumerateArray())
        {
            T value = read(e);
            if (!seen.Add(value))
            {
                throw DynamoErrors.InvalidParameter($"Input collection contains duplicates: {type} [{string.Join(", ", element.EnumerateArray().Select(x => x.ToString()))}]");
            }

            values.Add(value);
        }

        if (values.Count == 0)
        {
            throw DynamoErrors.InvalidParameter($"An {noun} set  may not be empty");
        }

        return values;
    }

    private static Dictionary<string, DynamoValue> Map(JsonElement element, int depth)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw DynamoErrors.Serialization("The M value must be a JSON object.");
        }

        var map = new Dictionary<string, DynamoValue>(StringComparer.Ordinal);
        foreach (JsonProperty property in element.EnumerateObject())
        {
            map[property.Name] = ReadValue(property.Value, depth + 1);
        }

        return map;
    }

    private static List<DynamoValue> List(JsonElement element, int depth)
    {
        if (element.ValueKind != JsonValueKind.Array)
        {
            throw DynamoErrors.Serialization("The L value must be a JSON array.");
        }

        var list = new List<DynamoValue>(element.GetArrayLength());
        foreach (JsonElement e in element.EnumerateArray())
        {
            list.Add(ReadValue(e, depth + 1));
        }

        return list;
    }

    /// <summary>Compares byte arrays by content.</summary>
    private sealed class BinaryComparer : IEqualityComparer<byte[]>
    {
        public static BinaryComparer Instance { get; } = new();

        public bool Equals(byte[]? x, byte[]? y) => x.AsSpan().SequenceEqual(y);

        public int GetHashCode(byte[] obj) => obj.Length == 0 ? 0 : HashCode.Combine(obj.Length, obj[0], obj[^1]);
    }
}
