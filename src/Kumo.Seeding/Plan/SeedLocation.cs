namespace Kumo.Seeding;

/// <summary>
/// Where an element of a seed plan was written: its JSON pointer, and its line and the lines of its
/// fields when it came from a manifest file (fluent plans have pointers but no lines).
/// </summary>
internal sealed class SeedLocation
{
    private readonly Dictionary<string, int>? _fieldLines;

    public SeedLocation(string pointer, int? line, Dictionary<string, int>? fieldLines = null)
    {
        Pointer = pointer;
        Line = line;
        _fieldLines = fieldLines;
    }

    /// <summary>The JSON pointer of the element, e.g. <c>/queues/2</c>; empty for the document root.</summary>
    public string Pointer { get; }

    /// <summary>The 1-based line of the element, or null for fluent plans.</summary>
    public int? Line { get; }

    /// <summary>The pointer of a field of this element, e.g. <c>/queues/2/name</c>.</summary>
    public string PointerOf(string field) => Pointer + "/" + EscapePointerToken(field);

    /// <summary>The pointer of an entry of a map field, e.g. <c>/queues/2/attributes/VisibilityTimeout</c>.</summary>
    public string PointerOf(string field, string key) => PointerOf(field) + "/" + EscapePointerToken(key);

    /// <summary>The line of a field of this element, falling back to the element's own line.</summary>
    public int? LineOf(string field) => _fieldLines is not null && _fieldLines.TryGetValue(field, out int line) ? line : Line;

    /// <summary>The line of an entry of a map field, falling back to the field's line.</summary>
    public int? LineOf(string field, string key) => _fieldLines is not null && _fieldLines.TryGetValue(field + "/" + key, out int line) ? line : LineOf(field);

    /// <summary>Escapes one JSON pointer reference token (RFC 6901).</summary>
    public static string EscapePointerToken(string token) => token.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal);
}
