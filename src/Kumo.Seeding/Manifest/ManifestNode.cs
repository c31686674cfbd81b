using System.Text.Json;

namespace Kumo.Seeding;

/// <summary>A JSON value of a manifest with its pointer and line, so every error can say where it is.</summary>
internal abstract class ManifestNode(string pointer, int line)
{
    public string Pointer { get; } = pointer;

    public int Line { get; } = line;

    /// <summary>How the value is described in a type error, e.g. "a number".</summary>
    public abstract string Describe();
}

/// <summary>A JSON object; properties in document order.</summary>
internal sealed class ManifestObject(string pointer, int line) : ManifestNode(pointer, line)
{
    public List<ManifestProperty> Properties { get; } = [];

    public ManifestNode? this[string name] => Properties.Find(p => p.Name == name)?.Value;

    public override string Describe() => "an object";
}

/// <summary>A property of a JSON object.</summary>
internal sealed record ManifestProperty(string Name, int Line, ManifestNode Value);

/// <summary>A JSON array.</summary>
internal sealed class ManifestArray(string pointer, int line) : ManifestNode(pointer, line)
{
    public List<ManifestNode> Items { get; } = [];

    public override string Describe() => "an array";
}

/// <summary>A JSON string, number, boolean or null.</summary>
internal sealed class ManifestValue(string pointer, int line, JsonTokenType kind, string? text) : ManifestNode(pointer, line)
{
    public JsonTokenType Kind { get; } = kind;

    /// <summary>The string value, the raw number text, "true"/"false", or null.</summary>
    public string? Text { get; } = text;

    public override string Describe() => Kind switch
    {
        JsonTokenType.String => "a string",
        JsonTokenType.Number => "a number",
        JsonTokenType.True or JsonTokenType.False => "a boolean",
        _ => "null",
    };
}
