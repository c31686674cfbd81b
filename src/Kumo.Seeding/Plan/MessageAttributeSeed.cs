namespace Kumo.Seeding;

/// <summary>A message attribute of a seeded SQS message.</summary>
/// <remarks>
/// Only the <c>String</c> and <c>Number</c> data types are supported (optionally with a custom
/// suffix, e.g. <c>Number.int</c>); <c>Number</c> values must parse as a decimal number.
/// </remarks>
/// <example>
/// <code>
/// var attribute = MessageAttributeSeed.Number("3");
/// </code>
/// </example>
public sealed record MessageAttributeSeed
{
    /// <summary>Creates an attribute.</summary>
    /// <param name="dataType">The SQS data type: <c>String</c> or <c>Number</c>, optionally with a <c>.suffix</c>.</param>
    /// <param name="value">The value.</param>
    public MessageAttributeSeed(string dataType, string value)
    {
        ArgumentNullException.ThrowIfNull(dataType);
        ArgumentNullException.ThrowIfNull(value);
        DataType = dataType;
        Value = value;
    }

    /// <summary>The SQS data type, e.g. <c>String</c>.</summary>
    public string DataType { get; }

    /// <summary>The value.</summary>
    public string Value { get; }

    /// <summary>A <c>String</c> attribute.</summary>
    /// <param name="value">The value.</param>
    /// <returns>The attribute.</returns>
    public static MessageAttributeSeed String(string value) => new("String", value);

    /// <summary>A <c>Number</c> attribute.</summary>
    /// <param name="value">The value, a decimal number.</param>
    /// <returns>The attribute.</returns>
    public static MessageAttributeSeed Number(string value) => new("Number", value);
}
