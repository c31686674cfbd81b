using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Kumo.Embedded.Sqs;

/// <summary>One message attribute (or message system attribute) value: a data type and a string or binary value.</summary>
/// <remarks>
/// The data type is <c>String</c>, <c>Number</c> or <c>Binary</c>, optionally followed by a custom
/// label (<c>Number.int</c>). String and Number carry <see cref="StringValue"/>, Binary carries
/// <see cref="BinaryValue"/>.
/// </remarks>
internal sealed partial class SqsMessageAttribute
{
    /// <summary>No attributes: the one empty map every message and send without attributes shares (read-only by its type).</summary>
    public static readonly IReadOnlyDictionary<string, SqsMessageAttribute> None = new SortedDictionary<string, SqsMessageAttribute>(StringComparer.Ordinal);

    public SqsMessageAttribute(string dataType, string? stringValue, byte[]? binaryValue)
    {
        DataType = dataType;
        StringValue = stringValue;
        BinaryValue = binaryValue;
    }

    public string DataType { get; }

    public string? StringValue { get; }

    public byte[]? BinaryValue { get; }

    public bool IsBinary => DataType.StartsWith("Binary", StringComparison.Ordinal);

    /// <summary>The bytes this attribute counts against the message size quota (name + type + value).</summary>
    public int SizeWith(string name) => Encoding.UTF8.GetByteCount(name) + Encoding.UTF8.GetByteCount(DataType)
        + (IsBinary ? BinaryValue?.Length ?? 0 : Encoding.UTF8.GetByteCount(StringValue ?? string.Empty));

    /// <summary>Validates a message attribute as SQS does and returns it; throws <c>InvalidParameterValue</c> naming the attribute.</summary>
    public static SqsMessageAttribute Create(string name, string? dataType, string? stringValue, byte[]? binaryValue, bool system)
    {
        ValidateName(name, system);
        if (string.IsNullOrEmpty(dataType))
        {
            throw SqsErrors.InvalidParameterValue($"The message attribute '{name}' must contain a non-empty message attribute type (String, Number or Binary).");
        }

        if (dataType.Length > SqsLimits.MaxDataTypeLength || !DataTypePattern().IsMatch(dataType))
        {
            throw SqsErrors.InvalidParameterValue($"The message attribute '{name}' has an invalid message attribute type '{dataType}'. The type must be String, Number or Binary, optionally followed by '.<label>'.");
        }

        if (system && dataType != "String")
        {
            throw SqsErrors.InvalidParameterValue($"The message system attribute '{name}' must have the data type String.");
        }

        var attribute = new SqsMessageAttribute(dataType, stringValue, binaryValue);
        if (attribute.IsBinary)
        {
            if (binaryValue is null || binaryValue.Length == 0)
            {
                throw SqsErrors.InvalidParameterValue($"The message attribute '{name}' must contain non-empty message attribute value for message attribute type '{dataType}' (set BinaryValue).");
            }

            if (stringValue is not null)
            {
                throw SqsErrors.InvalidParameterValue($"The message attribute '{name}' with type '{dataType}' must use field 'BinaryValue', not 'StringValue'.");
            }

            return attribute;
        }

        if (string.IsNullOrEmpty(stringValue))
        {
            throw SqsErrors.InvalidParameterValue($"The message attribute '{name}' must contain non-empty message attribute value for message attribute type '{dataType}' (set StringValue).");
        }

        if (binaryValue is not null)
        {
            throw SqsErrors.InvalidParameterValue($"The message attribute '{name}' with type '{dataType}' must use field 'StringValue', not 'BinaryValue'.");
        }

        if (MessageContents.FindInvalidCharacter(stringValue) is int index)
        {
            throw SqsErrors.InvalidParameterValue($"The message attribute '{name}' contains the invalid character U+{((int)stringValue[index]).ToString("X4", CultureInfo.InvariantCulture)} at index {index}. Allowed: #x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF.");
        }

        if (dataType.StartsWith("Number", StringComparison.Ordinal) && !NumberPattern().IsMatch(stringValue))
        {
            throw SqsErrors.InvalidParameterValue($"Can't cast the value of message (user) attribute '{name}' to a number: '{stringValue}'.");
        }

        return attribute;
    }

    private static void ValidateName(string name, bool system)
    {
        if (system)
        {
            if (name != "AWSTraceHeader")
            {
                throw SqsErrors.InvalidParameterValue($"Message system attribute name '{name}' is invalid. The only supported message system attribute is AWSTraceHeader.");
            }

            return;
        }

        if (name.Length == 0 || name.Length > SqsLimits.MaxAttributeNameLength || !NamePattern().IsMatch(name)
            || name.StartsWith('.') || name.EndsWith('.') || name.Contains("..", StringComparison.Ordinal))
        {
            throw SqsErrors.InvalidParameterValue($"Message (user) attribute name '{name}' is invalid. A name is 1 to 256 characters of A-Z, a-z, 0-9, '_', '-' and '.', and must not start or end with '.' or contain '..'.");
        }

        if (name.StartsWith("AWS.", StringComparison.OrdinalIgnoreCase) || name.StartsWith("Amazon.", StringComparison.OrdinalIgnoreCase))
        {
            throw SqsErrors.InvalidParameterValue($"Message (user) attribute name '{name}' is reserved: names must not start with 'AWS.' or 'Amazon.'.");
        }
    }

    [GeneratedRegex(@"^(String|Number|Binary)(\..+)?$", RegexOptions.CultureInvariant)]
    private static partial Regex DataTypePattern();

    [GeneratedRegex(@"^[A-Za-z0-9_.\-]+$", RegexOptions.CultureInvariant)]
    private static partial Regex NamePattern();

    [GeneratedRegex(@"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$", RegexOptions.CultureInvariant)]
    private static partial Regex NumberPattern();
}
