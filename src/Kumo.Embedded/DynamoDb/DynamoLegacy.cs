using System.Text.Json;

namespace Kumo.Embedded.DynamoDb;

/// <summary>
/// The pre-expression parameters older code still sends (Expected, KeyConditions, QueryFilter,
/// ScanFilter, AttributeUpdates, AttributesToGet), turned into the same trees the expressions give.
/// </summary>
internal static class DynamoLegacy
{
    /// <summary>Throws DynamoDB's error when a request mixes a legacy parameter with its expression form.</summary>
    public static void RefuseMix(JsonElement request, string legacy, string expression)
    {
        if (DynamoRequest.Has(request, legacy) && DynamoRequest.Has(request, expression))
        {
            throw DynamoErrors.Validation($"Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {{{legacy}}} Expression parameters: {{{expression}}}");
        }
    }

    /// <summary>Expected (+ ConditionalOperator) as a condition, or null when absent.</summary>
    public static Condition? Expected(JsonElement request)
    {
        if (DynamoRequest.Object(request, "Expected") is not { } expected)
        {
            return null;
        }

        var parts = new List<Condition>();
        foreach (JsonProperty attribute in expected.EnumerateObject())
        {
            JsonElement spec = attribute.Value;
            if (DynamoRequest.String(spec, "ComparisonOperator") is { } comparison)
            {
                if (DynamoRequest.Has(spec, "Value") || DynamoRequest.Has(spec, "Exists"))
                {
                    throw DynamoErrors.InvalidParameter($"Value or Exists parameter cannot be used with ComparisonOperator for Attribute: {attribute.Name}");
                }

                parts.Add(Compare(attribute.Name, comparison, ValueList(spec)));
                continue;
            }

            bool exists = DynamoRequest.Bool(spec, "Exists") ?? true;
            JsonElement? value = DynamoRequest.Object(spec, "Value");
            if (exists && value is null)
            {
                throw DynamoErrors.InvalidParameter($"Exists is set to TRUE for attribute ({attribute.Name}), Value must also be set");
            }

            if (!exists && value is not null)
            {
                throw DynamoErrors.InvalidParameter($"Cannot expect an attribute to have a specified value while expecting it to not exist");
            }

            parts.Add(exists
                ? new Comparison(Comparator.Equal, Path(attribute.Name), new ValueOperand(DynamoJson.ReadValue(value!.Value, 1)))
                : new FunctionCall("attribute_not_exists", [Path(attribute.Name)]));
        }

        return Combine(parts, DynamoRequest.String(request, "ConditionalOperator"));
    }

    /// <summary>A map of attribute name to Condition (KeyConditions, QueryFilter, ScanFilter) as one condition.</summary>
    public static Condition? Conditions(JsonElement request, string member, string? conditionalOperator)
    {
        if (DynamoRequest.Object(request, member) is not { } conditions)
        {
            return null;
        }

        var parts = new List<Condition>();
        foreach (JsonProperty attribute in conditions.EnumerateObject())
        {
            string comparison = DynamoRequest.RequiredString(attribute.Value, "ComparisonOperator");
            parts.Add(Compare(attribute.Name, comparison, ValueList(attribute.Value)));
        }

        return Combine(parts, conditionalOperator);
    }

    /// <summary>AttributeUpdates as update actions, or null when absent.</summary>
    public static IReadOnlyList<UpdateAction>? AttributeUpdates(JsonElement request)
    {
        if (DynamoRequest.Object(request, "AttributeUpdates") is not { } updates)
        {
            return null;
        }

        var actions = new List<UpdateAction>();
        foreach (JsonProperty attribute in updates.EnumerateObject())
        {
            string action = DynamoRequest.String(attribute.Value, "Action") ?? "PUT";
            DynamoValue? value = DynamoRequest.Object(attribute.Value, "Value") is { } v ? DynamoJson.ReadValue(v, 1) : null;
            DocumentPath path = DocumentPath.Of(attribute.Name);
            actions.Add((action, value) switch
            {
                ("PUT", { } put) => new SetAction(path, new SetOperand(new ValueOperand(put))),
                ("PUT", null) => throw DynamoErrors.InvalidParameter($"Only DELETE action is allowed when no attribute value is specified: {attribute.Name}"),
                ("DELETE", null) => new RemoveAction(path),
                ("DELETE", { IsSet: true } set) => new DeleteAction(path, set),
                ("DELETE", _) => throw DynamoErrors.InvalidParameter($"DELETE action with value is not supported for the type {value!.Type}"),
                ("ADD", { Type: DynamoType.N } or { IsSet: true }) => new AddAction(path, value!),
                ("ADD", { Type: DynamoType.L } list) => new SetAction(path, new ListAppend(new IfNotExists(path, new SetOperand(new ValueOperand(DynamoValue.FromList([])))), new SetOperand(new ValueOperand(list)))),
                ("ADD", _) => throw DynamoErrors.InvalidParameter($"ADD action is not supported for the type {value?.TypeName ?? "(none)"}"),
                _ => throw DynamoErrors.Validation($"1 validation error detected: Value '{action}' at 'attributeUpdates.{attribute.Name}.member.action' failed to satisfy constraint: Member must satisfy enum value set: [DELETE, ADD, PUT]"),
            });
        }

        return actions;
    }

    /// <summary>AttributesToGet as projection paths, or null when absent.</summary>
    public static IReadOnlyList<DocumentPath>? AttributesToGet(JsonElement request)
    {
        if (DynamoRequest.Array(request, "AttributesToGet") is not { } names)
        {
            return null;
        }

        var paths = names.Select(n => n.ValueKind == JsonValueKind.String ? n.GetString()! : throw DynamoErrors.Serialization("AttributesToGet must hold strings.")).Distinct(StringComparer.Ordinal).Select(DocumentPath.Of).ToList();
        if (paths.Count == 0)
        {
            throw DynamoErrors.Validation("1 validation error detected: Value '[]' at 'attributesToGet' failed to satisfy constraint: Member must have length greater than or equal to 1");
        }

        return paths;
    }

    private static PathOperand Path(string name) => new(DocumentPath.Of(name));

    private static List<DynamoValue> ValueList(JsonElement spec) =>
        [.. (DynamoRequest.Array(spec, "AttributeValueList") ?? []).Select(v => DynamoJson.ReadValue(v, 1))];

    private static Condition Compare(string attribute, string comparison, List<DynamoValue> values)
    {
        PathOperand path = Path(attribute);
        int expected = comparison switch
        {
            "NULL" or "NOT_NULL" => 0,
            "BETWEEN" => 2,
            "IN" => -1,
            _ => 1,
        };
        if ((expected >= 0 && values.Count != expected) || (expected < 0 && values.Count == 0))
        {
            throw DynamoErrors.InvalidParameter($"Invalid number of argument(s) for the {comparison} ComparisonOperator");
        }

        Operand Arg(int i) => new ValueOperand(values[i]);
        return comparison switch
        {
            "EQ" => new Comparison(Comparator.Equal, path, Arg(0)),
            "NE" => new Comparison(Comparator.NotEqual, path, Arg(0)),
            "LT" => new Comparison(Comparator.Less, path, Arg(0)),
            "LE" => new Comparison(Comparator.LessOrEqual, path, Arg(0)),
            "GT" => new Comparison(Comparator.Greater, path, Arg(0)),
            "GE" => new Comparison(Comparator.GreaterOrEqual, path, Arg(0)),
            "NULL" => new FunctionCall("attribute_not_exists", [path]),
            "NOT_NULL" => new FunctionCall("attribute_exists", [path]),
            "CONTAINS" => new FunctionCall("contains", [path, Arg(0)]),
            "NOT_CONTAINS" => new And(new FunctionCall("attribute_exists", [path]), new Not(new FunctionCall("contains", [path, Arg(0)]))),
            "BEGINS_WITH" => new FunctionCall("begins_with", [path, Arg(0)]),
            "IN" => new In(path, [.. values.Select(v => (Operand)new ValueOperand(v))]),
            "BETWEEN" => new Between(path, Arg(0), Arg(1)),
            _ => throw DynamoErrors.Validation($"1 validation error detected: Value '{comparison}' at 'comparisonOperator' failed to satisfy constraint: Member must satisfy enum value set: [IN, NULL, BETWEEN, LT, NOT_CONTAINS, EQ, GT, NOT_NULL, NE, LE, BEGINS_WITH, GE, CONTAINS]"),
        };
    }

    private static Condition? Combine(List<Condition> parts, string? conditionalOperator)
    {
        if (conditionalOperator is not (null or "AND" or "OR"))
        {
            throw DynamoErrors.Validation($"1 validation error detected: Value '{conditionalOperator}' at 'conditionalOperator' failed to satisfy constraint: Member must satisfy enum value set: [AND, OR]");
        }

        if (parts.Count == 0)
        {
            return null;
        }

        Condition result = parts[0];
        for (int i = 1; i < parts.Count; i++)
        {
            result = conditionalOperator == "OR" ? new Or(result, parts[i]) : new And(result, parts[i]);
        }

        return result;
    }
}
