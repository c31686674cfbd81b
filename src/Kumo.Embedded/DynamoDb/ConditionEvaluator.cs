using System.Text;

namespace Kumo.Embedded.DynamoDb;

/// <summary>Evaluates a <see cref="Condition"/> against an item, with DynamoDB's semantics for missing attributes and mixed types.</summary>
internal static class ConditionEvaluator
{
    /// <param name="condition">The condition.</param>
    /// <param name="item">The item (an empty one when there is no item).</param>
    /// <param name="kind">The expression's parameter name, for errors.</param>
    public static bool Evaluate(Condition condition, IReadOnlyDictionary<string, DynamoValue> item, string kind) => condition switch
    {
        And and => Evaluate(and.Left, item, kind) && Evaluate(and.Right, item, kind),
        Or or => Evaluate(or.Left, item, kind) || Evaluate(or.Right, item, kind),
        Not not => !Evaluate(not.Inner, item, kind),
        Comparison comparison => Compare(comparison, item),
        Between between => IsBetween(between, item, kind),
        In membership => Resolve(membership.Subject, item) is { } subject && membership.Candidates.Any(c => Resolve(c, item) is { } v && subject.Equals(v)),
        FunctionCall call => Call(call, item, kind),
        _ => throw new InvalidOperationException($"Unknown condition node {condition.GetType().Name}."),
    };

    public static DynamoValue? Resolve(Operand operand, IReadOnlyDictionary<string, DynamoValue> item) => operand switch
    {
        ValueOperand value => value.Value,
        PathOperand path => path.Path.Resolve(item),
        SizeOperand size => size.Path.Resolve(item) is { } v && SizeOf(v) is { } n ? DynamoValue.FromNumber(DynamoNumber.FromInt64(n)) : null,
        _ => null,
    };

    private static long? SizeOf(DynamoValue value) => value.Type switch
    {
        DynamoType.S => Encoding.UTF8.GetByteCount(value.S),
        DynamoType.B => value.B.Length,
        DynamoType.SS or DynamoType.NS or DynamoType.BS => value.SetCount,
        DynamoType.M => value.M.Count,
        DynamoType.L => value.L.Count,
        _ => null,
    };

    private static bool Compare(Comparison comparison, IReadOnlyDictionary<string, DynamoValue> item)
    {
        DynamoValue? left = Resolve(comparison.Left, item);
        DynamoValue? right = Resolve(comparison.Right, item);
        if (left is null || right is null)
        {
            return comparison.Operator == Comparator.NotEqual && !(left is null && right is null);
        }

        switch (comparison.Operator)
        {
            case Comparator.Equal:
                return left.Equals(right);
            case Comparator.NotEqual:
                return !left.Equals(right);
        }

        int? order = DynamoValue.Compare(left, right);
        if (order is not { } o)
        {
            return false;
        }

        return comparison.Operator switch
        {
            Comparator.Less => o < 0,
            Comparator.LessOrEqual => o <= 0,
            Comparator.Greater => o > 0,
            _ => o >= 0,
        };
    }

    private static bool IsBetween(Between between, IReadOnlyDictionary<string, DynamoValue> item, string kind)
    {
        DynamoValue? lower = Resolve(between.Lower, item);
        DynamoValue? upper = Resolve(between.Upper, item);
        if (lower is not null && upper is not null && DynamoValue.Compare(lower, upper) is > 0)
        {
            throw DynamoErrors.Validation($"Invalid {kind}: The BETWEEN operator requires upper bound to be greater than or equal to lower bound; lower bound operand: AttributeValue: {lower}, upper bound operand: AttributeValue: {upper}");
        }

        DynamoValue? subject = Resolve(between.Subject, item);
        if (subject is null || lower is null || upper is null)
        {
            return false;
        }

        return DynamoValue.Compare(subject, lower) is >= 0 && DynamoValue.Compare(subject, upper) is <= 0;
    }

    private static bool Call(FunctionCall call, IReadOnlyDictionary<string, DynamoValue> item, string kind)
    {
        DocumentPath path = ((PathOperand)call.Arguments[0]).Path;
        DynamoValue? subject = path.Resolve(item);
        switch (call.Name)
        {
            case "attribute_exists":
                return subject is not null;
            case "attribute_not_exists":
                return subject is null;
            case "attribute_type":
                return subject is not null && Resolve(call.Arguments[1], item) is { Type: DynamoType.S } type && subject.TypeName == type.S;
            case "begins_with":
                DynamoValue? prefix = Resolve(call.Arguments[1], item);
                if (subject is null || prefix is null)
                {
                    return false;
                }

                return (subject.Type, prefix.Type) switch
                {
                    (DynamoType.S, DynamoType.S) => subject.S.StartsWith(prefix.S, StringComparison.Ordinal),
                    (DynamoType.B, DynamoType.B) => subject.B.AsSpan().StartsWith(prefix.B),
                    _ => false,
                };
            default:
                DynamoValue? operand = Resolve(call.Arguments[1], item);
                if (subject is null || operand is null)
                {
                    return false;
                }

                return subject.Type switch
                {
                    DynamoType.S => operand.Type == DynamoType.S && subject.S.Contains(operand.S, StringComparison.Ordinal),
                    DynamoType.B => operand.Type == DynamoType.B && subject.B.AsSpan().IndexOf(operand.B) >= 0,
                    DynamoType.SS or DynamoType.NS or DynamoType.BS => subject.SetContains(operand),
                    DynamoType.L => subject.L.Any(operand.Equals),
                    _ => false,
                };
        }
    }
}
