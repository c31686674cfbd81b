using System.Globalization;
using System.Text.Json;
using Kumo.Contract;

namespace Kumo.Embedded.Sqs;

/// <summary>
/// Typed access to a request's parameters in the JSON protocol's shape (the query protocol is
/// normalized to the same shape by <see cref="SqsQueryProtocol"/>).
/// </summary>
/// <remarks>
/// Numbers are accepted as JSON numbers or numeric strings (the query protocol has only strings).
/// A member of the wrong JSON type is a <c>SerializationException</c> naming its path, e.g.
/// <c>Entries[2].DelaySeconds</c>.
/// </remarks>
internal readonly struct SqsInput
{
    private readonly JsonElement _element;
    private readonly string _path;

    public SqsInput(JsonElement element, string path = "")
    {
        _element = element;
        _path = path;
    }

    public string? String(string name)
    {
        if (!TryGet(name, out JsonElement value))
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.String ? value.GetString() : throw Mistyped(name, "a string", value);
    }

    public string RequiredString(string name) => String(name) ?? throw SqsErrors.MissingParameter(PathOf(name));

    public int? Int(string name)
    {
        if (!TryGet(name, out JsonElement value))
        {
            return null;
        }

        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out int number))
        {
            return number;
        }

        if (value.ValueKind == JsonValueKind.String && int.TryParse(value.GetString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out number))
        {
            return number;
        }

        if (value.ValueKind == JsonValueKind.String)
        {
            throw SqsErrors.InvalidParameterValue(PathOf(name), value.GetString(), "Must be an integer.");
        }

        throw Mistyped(name, "an integer", value);
    }

    /// <summary>Reads an integer and checks its range, with SQS's message on failure.</summary>
    public int? Int(string name, int min, int max)
    {
        int? value = Int(name);
        if (value is { } number && (number < min || number > max))
        {
            throw SqsErrors.InvalidParameterValue(PathOf(name), number, string.Create(CultureInfo.InvariantCulture, $"Must be between {min} and {max}, if provided."));
        }

        return value;
    }

    public IReadOnlyList<string> StringList(string name)
    {
        if (!TryGet(name, out JsonElement value))
        {
            return [];
        }

        if (value.ValueKind != JsonValueKind.Array)
        {
            throw Mistyped(name, "a list of strings", value);
        }

        var items = new List<string>(value.GetArrayLength());
        int index = 0;
        foreach (JsonElement item in value.EnumerateArray())
        {
            items.Add(item.ValueKind == JsonValueKind.String ? item.GetString()! : throw Mistyped($"{name}[{index}]", "a string", item));
            index++;
        }

        return items;
    }

    public IReadOnlyList<KeyValuePair<string, string>> StringMap(string name)
    {
        if (!TryGet(name, out JsonElement value))
        {
            return [];
        }

        if (value.ValueKind != JsonValueKind.Object)
        {
            throw Mistyped(name, "a map of strings", value);
        }

        var entries = new List<KeyValuePair<string, string>>();
        foreach (JsonProperty property in value.EnumerateObject())
        {
            entries.Add(new(property.Name, property.Value.ValueKind == JsonValueKind.String
                ? property.Value.GetString()!
                : throw Mistyped($"{name}.{property.Name}", "a string", property.Value)));
        }

        return entries;
    }

    public IReadOnlyList<KeyValuePair<string, SqsInput>> StructureMap(string name)
    {
        if (!TryGet(name, out JsonElement value))
        {
            return [];
        }

        if (value.ValueKind != JsonValueKind.Object)
        {
            throw Mistyped(name, "a map of structures", value);
        }

        var entries = new List<KeyValuePair<string, SqsInput>>();
        foreach (JsonProperty property in value.EnumerateObject())
        {
            string path = $"{PathOf(name)}.{property.Name}";
            entries.Add(new(property.Name, property.Value.ValueKind == JsonValueKind.Object
                ? new SqsInput(property.Value, path)
                : throw SqsErrors.Serialization($"Expected a structure at {path}, found {JsonValueKinds.Describe(property.Value.ValueKind)}.")));
        }

        return entries;
    }

    public IReadOnlyList<SqsInput> StructureList(string name)
    {
        if (!TryGet(name, out JsonElement value))
        {
            return [];
        }

        if (value.ValueKind != JsonValueKind.Array)
        {
            throw Mistyped(name, "a list of structures", value);
        }

        var items = new List<SqsInput>(value.GetArrayLength());
        int index = 0;
        foreach (JsonElement item in value.EnumerateArray())
        {
            string path = string.Create(CultureInfo.InvariantCulture, $"{PathOf(name)}[{index}]");
            items.Add(item.ValueKind == JsonValueKind.Object ? new SqsInput(item, path) : throw SqsErrors.Serialization($"Expected a structure at {path}, found {JsonValueKinds.Describe(item.ValueKind)}."));
            index++;
        }

        return items;
    }

    /// <summary>Reads a base64 blob (JSON protocol: base64 string).</summary>
    public byte[]? Blob(string name)
    {
        string? text = String(name);
        if (text is null)
        {
            return null;
        }

        try
        {
            return Convert.FromBase64String(text);
        }
        catch (FormatException)
        {
            throw SqsErrors.InvalidParameterValue(PathOf(name), text.Length > 40 ? text[..40] + "..." : text, "Must be base64-encoded binary data.");
        }
    }

    public string PathOf(string name) => _path.Length == 0 ? name : $"{_path}.{name}";

    private bool TryGet(string name, out JsonElement value)
    {
        if (_element.ValueKind == JsonValueKind.Object && _element.TryGetProperty(name, out value) && value.ValueKind != JsonValueKind.Null)
        {
            return true;
        }

        value = default;
        return false;
    }

    private Protocol.AwsServiceException Mistyped(string name, string expected, JsonElement found) =>
        SqsErrors.Serialization($"Expected {expected} at {PathOf(name)}, found {JsonValueKinds.Describe(found.ValueKind)}.");
}
