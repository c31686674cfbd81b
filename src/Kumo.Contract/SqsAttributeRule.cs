using System.Globalization;
using System.Text.Json;

namespace Kumo.Contract;

/// <summary>What AWS accepts as the value of one settable SQS queue attribute.</summary>
/// <param name="Name">The attribute name (case-sensitive).</param>
/// <param name="Kind">The kind of value.</param>
/// <param name="Min">The smallest value of an <see cref="SqsAttributeKind.Integer"/> attribute.</param>
/// <param name="Max">The largest value of an <see cref="SqsAttributeKind.Integer"/> attribute.</param>
/// <param name="Choices">The values of a <see cref="SqsAttributeKind.Choice"/> attribute.</param>
/// <param name="FifoOnly">Whether only FIFO queues have the attribute.</param>
public sealed record SqsAttributeRule(string Name, SqsAttributeKind Kind, long Min, long Max, IReadOnlyList<string> Choices, bool FifoOnly)
{
    /// <summary>Whether <paramref name="value"/> is a valid value of this attribute.</summary>
    /// <param name="value">The value as SQS receives it (a string).</param>
    /// <param name="jsonError">The parser's message when a JSON attribute does not parse, else null.</param>
    /// <returns>True when valid.</returns>
    public bool Accepts(string value, out string? jsonError)
    {
        ArgumentNullException.ThrowIfNull(value);
        jsonError = null;
        switch (Kind)
        {
            case SqsAttributeKind.Integer:
                return long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out long number) && number >= Min && number <= Max;
            case SqsAttributeKind.Boolean:
                return value is "true" or "false";
            case SqsAttributeKind.Choice:
                return Choices.Contains(value, StringComparer.Ordinal);
            case SqsAttributeKind.Json:
                try
                {
                    using var document = JsonDocument.Parse(value);
                    return true;
                }
                catch (JsonException e)
                {
                    jsonError = e.Message;
                    return false;
                }

            default:
                return value.Length > 0;
        }
    }
}
