namespace Kumo.Embedded.DynamoDb;

/// <summary>A value in an expression: a document path, a literal (an expression attribute value), or <c>size(path)</c>.</summary>
internal abstract record Operand;

internal sealed record PathOperand(DocumentPath Path) : Operand;

internal sealed record ValueOperand(DynamoValue Value) : Operand;

internal sealed record SizeOperand(DocumentPath Path) : Operand;

/// <summary>A condition (ConditionExpression, FilterExpression, KeyConditionExpression, or a legacy form).</summary>
internal abstract record Condition;

internal enum Comparator
{
    Equal,
    NotEqual,
    Less,
    LessOrEqual,
    Greater,
    GreaterOrEqual,
}

internal sealed record Comparison(Comparator Operator, Operand Left, Operand Right) : Condition;

internal sealed record Between(Operand Subject, Operand Lower, Operand Upper) : Condition;

internal sealed record In(Operand Subject, IReadOnlyList<Operand> Candidates) : Condition;

/// <summary>attribute_exists, attribute_not_exists, attribute_type, begins_with or contains.</summary>
internal sealed record FunctionCall(string Name, IReadOnlyList<Operand> Arguments) : Condition;

internal sealed record And(Condition Left, Condition Right) : Condition;

internal sealed record Or(Condition Left, Condition Right) : Condition;

internal sealed record Not(Condition Inner) : Condition;

/// <summary>The right-hand side of a SET action.</summary>
internal abstract record SetValue;

internal sealed record SetOperand(Operand Operand) : SetValue;

internal sealed record SetArithmetic(SetValue Left, bool Plus, SetValue Right) : SetValue;

internal sealed record IfNotExists(DocumentPath Path, SetValue Fallback) : SetValue;

internal sealed record ListAppend(SetValue First, SetValue Second) : SetValue;

/// <summary>One action of an UpdateExpression.</summary>
internal abstract record UpdateAction(DocumentPath Path);

internal sealed record SetAction(DocumentPath Path, SetValue Value) : UpdateAction(Path);

internal sealed record RemoveAction(DocumentPath Path) : UpdateAction(Path);

internal sealed record AddAction(DocumentPath Path, DynamoValue Value) : UpdateAction(Path);

internal sealed record DeleteAction(DocumentPath Path, DynamoValue Value) : UpdateAction(Path);
