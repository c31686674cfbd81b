using System.Text.Json;

namespace Kumo.Embedded.DynamoDb;

/// <summary>
/// A request's ExpressionAttributeNames and ExpressionAttributeValues, shared by all its expressions,
/// with the record of which were used (DynamoDB rejects unused ones).
/// </summary>
internal sealed class ExpressionAttributes
{
    private readonly Dictionary<string, string> _names = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DynamoValue> _values = new(StringComparer.Ordinal);
    private readonly HashSet<string> _usedNames = new(StringComparer.Ordinal);
    private readonly HashSet<string> _usedValues = new(StringComparer.Ordinal);

    public static ExpressionAttributes Empty => new();

    public bool HasNames => _names.Count > 0;

    public bool HasValues => _values.Count > 0;

    /// <summary>Reads the two maps from a request (or a transaction's element).</summary>
    public static ExpressionAttributes Read(JsonElement request)
    {
        var attributes = new ExpressionAttributes();
        if (request.TryGetProperty("ExpressionAttributeNames", out JsonElement names) && names.ValueKind != JsonValueKind.Null)
        {
            if (names.ValueKind != JsonValueKind.Object)
            {
                throw DynamoErrors.Serialization("ExpressionAttributeNames must be a JSON object such as {\"#s\":\"status\"}.");
            }

            foreach (JsonProperty name in names.EnumerateObject())
            {
                if (!name.Name.StartsWith('#') || name.Name.Length < 2)
                {
                    throw DynamoErrors.Validation($"ExpressionAttributeNames contains invalid key: Syntax error; key: \"{name.Name}\"");
                }

                if (name.Value.ValueKind != JsonValueKind.String || name.Value.GetString()!.Length == 0)
                {
                    throw DynamoErrors.Validation($"ExpressionAttributeNames contains invalid value: Empty attribute name; for key: \"{name.Name}\"");
                }

                attributes._names[name.Name] = name.Value.GetString()!;
            }
        }

        if (request.TryGetProperty("ExpressionAttributeValues", out JsonElement values) && values.ValueKind != JsonValueKind.Null)
        {
            if (values.ValueKind != JsonValueKind.Object)
            {
                throw DynamoErrors.Serialization("ExpressionAttributeValues must be a JSON object such as {\":v\":{\"S\":\"x\"}}.");
            }

            foreach (JsonProperty value in values.EnumerateObject())
            {
                if (!value.Name.StartsWith(':') || value.Name.Length < 2)
                {
                    throw DynamoErrors.Validation($"ExpressionAttributeValues contains invalid key: Syntax error; key: \"{value.Name}\"");
                }

                attributes._values[value.Name] = DynamoJson.ReadValue(value.Value, 1);
            }
        }

        return attributes;
    }

    public string Name(string placeholder, string expressionKind)
    {
        if (!_names.TryGetValue(placeholder, out string? name))
        {
            throw DynamoErrors.Validation($"Invalid {expressionKind}: An expression attribute name used in the document path is not defined; attribute name: {placeholder}");
        }

        _usedNames.Add(placeholder);
        return name;
    }

    public DynamoValue Value(string placeholder, string expressionKind)
    {
        if (!_values.TryGetValue(placeholder, out DynamoValue? value))
        {
            throw DynamoErrors.Validation($"Invalid {expressionKind}: An expression attribute value used in expression is not defined; attribute value: {placeholder}");
        }

        _usedValues.Add(placeholder);
        return value;
    }

    /// <summary>Throws DynamoDB's error for names or values no expression of the request used.</summary>
    public void RequireAllUsed(bool anyExpression)
    {
        if (!anyExpression && (_names.Count > 0 || _values.Count > 0))
        {
            throw DynamoErrors.Validation(_values.Count > 0
                ? "ExpressionAttributeValues can only be specified when using expressions"
                : "ExpressionAttributeNames can only be specified when using expressions");
        }

        string[] unusedValues = [.. _values.Keys.Where(k => !_usedValues.Contains(k)).Order(StringComparer.Ordinal)];
        if (unusedValues.Length > 0)
        {
            throw DynamoErrors.Validation($"Value provided in ExpressionAttributeValues unused in expressions: keys: {{{string.Join(", ", unusedValues)}}}");
        }

        string[] unusedNames = [.. _names.Keys.Where(k => !_usedNames.Contains(k)).Order(StringComparer.Ordinal)];
        if (unusedNames.Length > 0)
        {
            throw DynamoErrors.Validation($"Value provided in ExpressionAttributeNames unused in expressions: keys: {{{string.Join(", ", unusedNames)}}}");
        }
    }
}
