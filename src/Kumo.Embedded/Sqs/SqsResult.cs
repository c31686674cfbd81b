namespace Kumo.Embedded.Sqs;

/// <summary>
/// A protocol-neutral response tree that <see cref="SqsJsonProtocol"/> renders as JSON and
/// <see cref="SqsQueryProtocol"/> as query-protocol XML.
/// </summary>
/// <remarks>
/// The two protocols differ only in naming and list/map shapes: JSON uses arrays and objects, the
/// query protocol uses flattened repeated elements (<c>&lt;QueueUrl&gt;</c> per URL,
/// <c>&lt;Attribute&gt;&lt;Name/&gt;&lt;Value/&gt;&lt;/Attribute&gt;</c> per map entry). Each node carries
/// the XML names it needs.
/// </remarks>
internal abstract class SqsNode
{
}

/// <summary>A string leaf.</summary>
internal sealed class SqsText(string value) : SqsNode
{
    public string Value { get; } = value;
}

/// <summary>A boolean leaf (a JSON boolean, XML <c>true</c>/<c>false</c>).</summary>
internal sealed class SqsBoolean(bool value) : SqsNode
{
    public bool Value { get; } = value;
}

/// <summary>A structure: named members in order.</summary>
internal sealed class SqsStructure : SqsNode
{
    private readonly List<SqsMember> _members = [];

    public IReadOnlyList<SqsMember> Members => _members;

    public SqsStructure Add(string name, SqsNode value) => Add(name, name, value);

    public SqsStructure Add(string jsonName, string xmlName, SqsNode value)
    {
        _members.Add(new SqsMember(jsonName, xmlName, value));
        return this;
    }

    public SqsStructure Add(string name, string? value) => value is null ? this : Add(name, new SqsText(value));
}

/// <summary>A structure member with its JSON and XML names.</summary>
internal sealed record SqsMember(string JsonName, string XmlName, SqsNode Value);

/// <summary>A list: a JSON array, or one flattened <see cref="XmlItemName"/> element per item.</summary>
internal sealed class SqsList(string xmlItemName) : SqsNode
{
    public string XmlItemName { get; } = xmlItemName;

    public List<SqsNode> Items { get; } = [];
}

/// <summary>A map: a JSON object, or one flattened entry element (key and value children) per entry.</summary>
internal sealed class SqsMap(string xmlEntryName, string xmlKeyName, string xmlValueName) : SqsNode
{
    public string XmlEntryName { get; } = xmlEntryName;

    public string XmlKeyName { get; } = xmlKeyName;

    public string XmlValueName { get; } = xmlValueName;

    public List<KeyValuePair<string, SqsNode>> Entries { get; } = [];

    public SqsMap Add(string key, SqsNode value)
    {
        Entries.Add(new(key, value));
        return this;
    }
}
