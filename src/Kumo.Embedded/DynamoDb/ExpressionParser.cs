using System.Globalization;

namespace Kumo.Embedded.DynamoDb;

/// <summary>
/// Parses DynamoDB's expression language: conditions (ConditionExpression, FilterExpression,
/// KeyConditionExpression), UpdateExpression and ProjectionExpression, with placeholders resolved
/// from the request's <see cref="ExpressionAttributes"/>.
/// </summary>
/// <remarks>Errors are ValidationExceptions worded as DynamoDB words them ("Invalid UpdateExpression: Syntax error; token: …").</remarks>
internal sealed class ExpressionParser
{
    private const int MaxExpressionLength = 4096;

    private static readonly HashSet<string> ConditionFunctions = new(StringComparer.Ordinal)
    {
        "attribute_exists", "attribute_not_exists", "attribute_type", "begins_with", "contains",
    };

    private readonly string _text;
    private readonly string _kind;
    private readonly ExpressionAttributes _attributes;
    private readonly List<Token> _tokens;
    private int _position;

    private ExpressionParser(string text, string kind, ExpressionAttributes attributes)
    {
        _text = text;
        _kind = kind;
        _attributes = attributes;
        if (text.Length > MaxExpressionLength)
        {
            throw DynamoErrors.Validation($"Invalid {kind}: Expression size has exceeded the maximum allowed size; expression size: {text.Length}");
        }

        if (string.IsNullOrWhiteSpace(text))
        {
            throw DynamoErrors.Validation($"Invalid {kind}: The expression can not be empty;");
        }

        _tokens = Tokenize();
    }

    private enum TokenKind
    {
        Word,
        NamePlaceholder,
        ValuePlaceholder,
        Number,
        Symbol,
        End,
    }

    public static Condition ParseCondition(string text, string kind, ExpressionAttributes attributes)
    {
        var parser = new ExpressionParser(text, kind, attributes);
        Condition condition = parser.ParseOr();
        parser.ExpectEnd();
        return condition;
    }

    public static IReadOnlyList<UpdateAction> ParseUpdate(string text, ExpressionAttributes attributes)
    {
        var parser = new ExpressionParser(text, "UpdateExpression", attributes);
        List<UpdateAction> actions = parser.ParseUpdateClauses();
        for (int i = 0; i < actions.Count; i++)
        {
            for (int j = i + 1; j < actions.Count; j++)
            {
                if (actions[i].Path.Overlaps(actions[j].Path))
                {
                    throw DynamoErrors.Validation($"Invalid UpdateExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; path one: {actions[i].Path.ToListText()}, path two: {actions[j].Path.ToListText()}");
                }
            }
        }

        return actions;
    }

    public static IReadOnlyList<DocumentPath> ParseProjection(string text, ExpressionAttributes attributes)
    {
        var parser = new ExpressionParser(text, "ProjectionExpression", attributes);
        var paths = new List<DocumentPath> { parser.ParsePath() };
        while (parser.TryTake(","))
        {
            paths.Add(parser.ParsePath());
        }

        parser.ExpectEnd();
        for (int i = 0; i < paths.Count; i++)
        {
            for (int j = i + 1; j < paths.Count; j++)
            {
                if (paths[i].Overlaps(paths[j]))
                {
                    throw DynamoErrors.Validation($"Invalid ProjectionExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; path one: {paths[i].ToListText()}, path two: {paths[j].ToListText()}");
                }
            }
        }

        return paths;
    }

    private Token Current => _tokens[_position];

    private Condition ParseOr()
    {
        Condition left = ParseAnd();
        while (TryKeyword("OR"))
        {
            left = new Or(left, ParseAnd());
        }

        return left;
    }

    private Condition ParseAnd()
    {
        Condition left = ParseNot();
        while (TryKeyword("AND"))
        {
            left = new And(left, ParseNot());
        }

        return left;
    }

    private Condition ParseNot() => TryKeyword("NOT") ? new Not(ParseNot()) : ParsePrimary();

    private Condition ParsePrimary()
    {
        if (TryTake("("))
        {
            Condition inner = ParseOr();
            Expect(")");
            return inner;
        }

        if (Current.Kind == TokenKind.Word && Peek(1) is { Kind: TokenKind.Symbol, Text: "(" } && Current.Text != "size")
        {
            return ParseFunction();
        }

        Operand left = ParseOperand();
        if (Current.Kind == TokenKind.Symbol && ComparatorOf(Current.Text) is { } comparator)
        {
            _position++;
            return new Comparison(comparator, left, ParseOperand());
        }

        if (TryKeyword("BETWEEN"))
        {
            Operand lower = ParseOperand();
            ExpectKeyword("AND");
            return new Between(left, lower, ParseOperand());
        }

        if (TryKeyword("IN"))
        {
            Expect("(");
            var candidates = new List<Operand> { ParseOperand() };
            while (TryTake(","))
            {
                candidates.Add(ParseOperand());
            }

            Expect(")");
            if (candidates.Count > 100)
            {
                throw DynamoErrors.Validation($"Invalid {_kind}: The IN operator is provided with too many operands; number of operands: {candidates.Count}");
            }

            return new In(left, candidates);
        }

        throw SyntaxError();
    }

    private FunctionCall ParseFunction()
    {
        string name = Current.Text;
        if (!ConditionFunctions.Contains(name))
        {
            if (name is "if_not_exists" or "list_append")
            {
                throw DynamoErrors.Validation($"Invalid {_kind}: The function is not allowed to be used this way in an expression; function: {name}");
            }

            throw DynamoErrors.Validation($"Invalid {_kind}: Invalid function name; function: {name}");
        }

        _position += 2;
        var arguments = new List<Operand> { ParseOperand() };
        while (TryTake(","))
        {
            arguments.Add(ParseOperand());
        }

        Expect(")");
        int expected = name is "attribute_exists" or "attribute_not_exists" ? 1 : 2;
        if (arguments.Count != expected)
        {
            throw DynamoErrors.Validation($"Invalid {_kind}: Incorrect number of operands for operator or function; operator or function: {name}, number of operands: {arguments.Count}");
        }

        if (arguments[0] is not PathOperand)
        {
            throw DynamoErrors.Validation($"Invalid {_kind}: Operator or function requires a document path; operator or function: {name}");
        }

        if (name == "attribute_type")
        {
            if (arguments[1] is not ValueOperand { Value.Type: DynamoType.S } type || !Enum.TryParse<DynamoType>(type.Value.S, ignoreCase: false, out _) || type.Value.S.Any(char.IsLower))
            {
                throw DynamoErrors.Validation($"Invalid {_kind}: Invalid attribute type name found; type: {(arguments[1] is ValueOperand v ? v.Value.ToString() : "?")}, valid types: {{B,NULL,SS,BOOL,L,BS,N,NS,S,M}}");
            }
        }

        if (name == "begins_with" && arguments[1] is ValueOperand { Value.Type: not (DynamoType.S or DynamoType.B) } prefix)
        {
            throw DynamoErrors.Validation($"Invalid {_kind}: Incorrect operand type for operator or function; operator or function: begins_with, operand type: {prefix.Value.Type}");
        }

        return new FunctionCall(name, arguments);
    }

    private Operand ParseOperand()
    {
        Token token = Current;
        switch (token.Kind)
        {
            case TokenKind.ValuePlaceholder:
                _position++;
                return new ValueOperand(_attributes.Value(token.Text, _kind));
            case TokenKind.Word when token.Text == "size" && Peek(1) is { Kind: TokenKind.Symbol, Text: "(" }:
                _position += 2;
                DocumentPath path = ParsePath();
                Expect(")");
                return new SizeOperand(path);
            case TokenKind.Word when Peek(1) is { Kind: TokenKind.Symbol, Text: "(" }:
                throw DynamoErrors.Validation(ConditionFunctions.Contains(token.Text) || token.Text is "if_not_exists" or "list_append"
                    ? $"Invalid {_kind}: The function is not allowed to be used this way in an expression; function: {token.Text}"
                    : $"Invalid {_kind}: Invalid function name; function: {token.Text}");
            case TokenKind.Word or TokenKind.NamePlaceholder:
                return new PathOperand(ParsePath());
            default:
                throw SyntaxError();
        }
    }

    private DocumentPath ParsePath()
    {
        var steps = new List<PathStep> { PathStep.Key(PathName()) };
        while (true)
        {
            if (TryTake("."))
            {
                steps.Add(PathStep.Key(PathName()));
            }
            else if (Current is { Kind: TokenKind.Symbol, Text: "[" })
            {
                _position++;
                if (Current.Kind != TokenKind.Number || !int.TryParse(Current.Text, NumberStyles.None, CultureInfo.InvariantCulture, out int index))
                {
                    throw SyntaxError();
                }

                _position++;
                Expect("]");
                steps.Add(PathStep.At(index));
            }
            else
            {
                return new DocumentPath(steps);
            }
        }
    }

    private string PathName()
    {
        Token token = Current;
        if (token.Kind == TokenKind.NamePlaceholder)
        {
            _position++;
            return _attributes.Name(token.Text, _kind);
        }

        if (token.Kind == TokenKind.Word)
        {
            if (ReservedWords.Contains(token.Text))
            {
                throw DynamoErrors.Validation($"Invalid {_kind}: Attribute name is a reserved keyword; reserved keyword: {token.Text}");
            }

            _position++;
            return token.Text;
        }

        throw SyntaxError();
    }

    private List<UpdateAction> ParseUpdateClauses()
    {
        var actions = new List<UpdateAction>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        while (Current.Kind != TokenKind.End)
        {
            if (Current.Kind != TokenKind.Word)
            {
                throw SyntaxError();
            }

            string clause = Current.Text.ToUpperInvariant();
            if (clause is not ("SET" or "REMOVE" or "ADD" or "DELETE"))
            {
                throw SyntaxError();
            }

            if (!seen.Add(clause))
            {
                throw DynamoErrors.Validation($"Invalid UpdateExpression: The \"{clause}\" section can only be used once in an update expression;");
            }

            _position++;
            do
            {
                actions.Add(clause switch
                {
                    "SET" => ParseSetAction(),
                    "REMOVE" => new RemoveAction(ParsePath()),
                    "ADD" => ParseValueAction(add: true),
                    _ => ParseValueAction(add: false),
                });
            }
            while (TryTake(","));
        }

        if (actions.Count == 0)
        {
            throw SyntaxError();
        }

        return actions;
    }

    private SetAction ParseSetAction()
    {
        DocumentPath path = ParsePath();
        Expect("=");
        SetValue value = ParseSetOperand();
        if (Current is { Kind: TokenKind.Symbol, Text: "+" or "-" })
        {
            bool plus = Current.Text == "+";
            _position++;
            value = new SetArithmetic(value, plus, ParseSetOperand());
        }

        return new SetAction(path, value);
    }

    private SetValue ParseSetOperand()
    {
        if (Current.Kind == TokenKind.Word && Peek(1) is { Kind: TokenKind.Symbol, Text: "(" })
        {
            string name = Current.Text;
            if (name == "if_not_exists")
            {
                _position += 2;
                DocumentPath path = ParsePath();
                Expect(",");
                SetValue fallback = ParseSetOperand();
                Expect(")");
                return new IfNotExists(path, fallback);
            }

            if (name == "list_append")
            {
                _position += 2;
                SetValue first = ParseSetOperand();
                Expect(",");
                SetValue second = ParseSetOperand();
                Expect(")");
                return new ListAppend(first, second);
            }

            throw DynamoErrors.Validation(ConditionFunctions.Contains(name) || name == "size"
                ? $"Invalid UpdateExpression: The function is not allowed in an update expression; function: {name}"
                : $"Invalid UpdateExpression: Invalid function name; function: {name}");
        }

        return new SetOperand(ParseOperand());
    }

    private UpdateAction ParseValueAction(bool add)
    {
        DocumentPath path = ParsePath();
        if (Current.Kind != TokenKind.ValuePlaceholder)
        {
            throw SyntaxError();
        }

        DynamoValue value = _attributes.Value(Current.Text, _kind);
        _position++;
        bool allowed = add ? value.Type is DynamoType.N || value.IsSet : value.IsSet;
        if (!allowed)
        {
            throw DynamoErrors.Validation($"Invalid UpdateExpression: Incorrect operand type for operator or function; operator: {(add ? "ADD" : "DELETE")}, operand type: {value.Type}");
        }

        return add ? new AddAction(path, value) : new DeleteAction(path, value);
    }

    private static Comparator? ComparatorOf(string symbol) => symbol switch
    {
        "=" => Comparator.Equal,
        "<>" => Comparator.NotEqual,
        "<" => Comparator.Less,
        "<=" => Comparator.LessOrEqual,
        ">" => Comparator.Greater,
        ">=" => Comparator.GreaterOrEqual,
        _ => null,
    };

    private Token Peek(int ahead) => _tokens[Math.Min(_position + ahead, _tokens.Count - 1)];

    private bool TryTake(string symbol)
    {
        if (Current.Kind == TokenKind.Symbol && Current.Text == symbol)
        {
            _position++;
            return true;
        }

        return false;
    }

    private void Expect(string symbol)
    {
        if (!TryTake(symbol))
        {
            throw SyntaxError();
        }
    }

    private bool TryKeyword(string keyword)
    {
        if (Current.Kind == TokenKind.Word && string.Equals(Current.Text, keyword, StringComparison.OrdinalIgnoreCase))
        {
            _position++;
            return true;
        }

        return false;
    }

    private void ExpectKeyword(string keyword)
    {
        if (!TryKeyword(keyword))
        {
            throw SyntaxError();
        }
    }

    private void ExpectEnd()
    {
        if (Current.Kind != TokenKind.End)
        {
            throw SyntaxError();
        }
    }

    private Exception SyntaxError()
    {
        Token token = Current;
        string shown = token.Kind == TokenKind.End ? "<EOF>" : token.Text;
        int start = Math.Max(0, token.Start - 10);
        int end = Math.Min(_text.Length, token.Start + Math.Max(token.Text.Length, 0) + 10);
        string near = _text[start..end];
        return DynamoErrors.Validation($"Invalid {_kind}: Syntax error; token: \"{shown}\", near: \"{near}\"");
    }

    private List<Token> Tokenize()
    {
        var tokens = new List<Token>();
        int i = 0;
        while (i < _text.Length)
        {
            char c = _text[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
                continue;
            }

            int start = i;
            if (c is '#' or ':')
            {
                i++;
                while (i < _text.Length && (char.IsAsciiLetterOrDigit(_text[i]) || _text[i] == '_'))
                {
                    i++;
                }

                if (i == start + 1)
                {
                    throw DynamoErrors.Validation($"Invalid {_kind}: Syntax error; token: \"{c}\", near: \"{_text[start..Math.Min(_text.Length, start + 10)]}\"");
                }

                tokens.Add(new Token(c == '#' ? TokenKind.NamePlaceholder : TokenKind.ValuePlaceholder, _text[start..i], start));
            }
            else if (char.IsAsciiLetter(c) || c == '_')
            {
                while (i < _text.Length && (char.IsAsciiLetterOrDigit(_text[i]) || _text[i] == '_'))
                {
                    i++;
                }

                tokens.Add(new Token(TokenKind.Word, _text[start..i], start));
            }
            else if (char.IsAsciiDigit(c))
            {
                while (i < _text.Length && char.IsAsciiDigit(_text[i]))
                {
                    i++;
                }

                tokens.Add(new Token(TokenKind.Number, _text[start..i], start));
            }
            else if ((c == '<' || c == '>') && i + 1 < _text.Length && (_text[i + 1] == '=' || (c == '<' && _text[i + 1] == '>')))
            {
                i += 2;
                tokens.Add(new Token(TokenKind.Symbol, _text[start..i], start));
            }
            else if ("()[],.=<>+-".Contains(c, StringComparison.Ordinal))
            {
                i++;
                tokens.Add(new Token(TokenKind.Symbol, c.ToString(), start));
            }
            else
            {
                throw DynamoErrors.Validation($"Invalid {_kind}: Syntax error; token: \"{c}\", near: \"{_text[Math.Max(0, start - 10)..Math.Min(_text.Length, start + 10)]}\"");
            }
        }

        tokens.Add(new Token(TokenKind.End, string.Empty, _text.Length));
        return tokens;
    }

    private readonly record struct Token(TokenKind Kind, string Text, int Start);
}
