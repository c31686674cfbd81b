namespace Kumo.Contract;

/// <summary>The kind of value a queue attribute holds.</summary>
public enum SqsAttributeKind
{
    /// <summary>A whole number within a range.</summary>
    Integer,

    /// <summary><c>true</c> or <c>false</c>, lower-case.</summary>
    Boolean,

    /// <summary>One of a fixed set of values, case-sensitive.</summary>
    Choice,

    /// <summary>A JSON document in a string.</summary>
    Json,

    /// <summary>Any non-empty text.</summary>
    Text,
}
