using System.Text;

namespace Kumo.Embedded.DynamoDb;

/// <summary>The ten DynamoDB data types, by their wire names.</summary>
internal enum DynamoType
{
    S,
    N,
    B,
    SS,
    NS,
    BS,
    M,
    L,
    NULL,
    BOOL,
}

/// <summary>One immutable DynamoDB attribute value.</summary>
/// <remarks>Values are never changed once built; an update builds new maps and lists along the path it changes.</remarks>
internal sealed class DynamoValue : IEquatable<DynamoValue>
{
    private static readonly string[] TypeNames = Enum.GetNames<DynamoType>();

    private readonly object? _payload;

    private DynamoValue(DynamoType type, object? payload)
    {
        Type = type;
        _payload = payload;
    }

    public static DynamoValue Null { get; } = new(DynamoType.NULL, null);

    public static DynamoValue True { get; } = new(DynamoType.BOOL, true);

    public static DynamoValue False { get; } = new(DynamoType.BOOL, false);

    public DynamoType Type { get; }

    /// <summary>The wire name of <see cref="Type"/> (S, N, B, SS, …), without the cost of <see cref="Enum.ToString()"/>.</summary>
    public string TypeName => TypeNames[(int)Type];

    public string S => (string)_payload!;

    public DynamoNumber N => (DynamoNumber)_payload!;

    public byte[] B => (byte[])_payload!;

    public IReadOnlyList<string> SS => (IReadOnlyList<string>)_payload!;

    public IReadOnlyList<DynamoNumber> NS => (IReadOnlyList<DynamoNumber>)_payload!;

    public IReadOnlyList<byte[]> BS => (IReadOnlyList<byte[]>)_payload!;

    public IReadOnlyDictionary<string, DynamoValue> M => (IReadOnlyDictionary<string, DynamoValue>)_payload!;

    public IReadOnlyList<DynamoValue> L => (IReadOnlyList<DynamoValue>)_payload!;

    public bool Bool => (bool)_payload!;

    public static DynamoValue FromString(string value) => new(DynamoType.S, value);

    public static DynamoValue FromNumber(DynamoNumber value) => new(DynamoType.N, value);

    public static DynamoValue FromBinary(byte[] value) => new(DynamoType.B, value);

    public static DynamoValue FromBool(bool value) => value ? True : False;

    public static DynamoValue FromStringSet(IReadOnlyList<string> values) => new(DynamoType.SS, values);

    public static DynamoValue FromNumberSet(IReadOnlyList<DynamoNumber> values) => new(DynamoType.NS, values);

    public static DynamoValue FromBinarySet(IReadOnlyList<byte[]> values) => new(DynamoType.BS, values);

    public static DynamoValue FromMap(IReadOnlyDictionary<string, DynamoValue> values) => new(DynamoType.M, values);

    public static DynamoValue FromList(IReadOnlyList<DynamoValue> values) => new(DynamoType.L, values);

    /// <summary>True for the scalar types a key attribute may have (S, N, B).</summary>
    public bool IsScalarKeyType => Type is DynamoType.S or DynamoType.N or DynamoType.B;

    public bool IsSet => Type is DynamoType.SS or DynamoType.NS or DynamoType.BS;

    /// <summary>The number of elements of a set.</summary>
    public int SetCount => Type switch
    {
        DynamoType.SS => SS.Count,
        DynamoType.NS => NS.Count,
        DynamoType.BS => BS.Count,
        _ => 0,
    };

    /// <summary>The size this value counts toward the 400 KB item limit (DynamoDB's published rules).</summary>
    public int Size => Type switch
    {
        DynamoType.S => Encoding.UTF8.GetByteCount(S),
        DynamoType.N => NumberSize(N),
        DynamoType.B => B.Length,
        DynamoType.SS => SS.Sum(Encoding.UTF8.GetByteCount),
        DynamoType.NS => NS.Sum(NumberSize),
        DynamoType.BS => BS.Sum(b => b.Length),
        DynamoType.M => 3 + M.Sum(p => Encoding.UTF8.GetByteCount(p.Key) + p.Value.Size + 1),
        DynamoType.L => 3 + L.Sum(v => v.Size + 1),
        _ => 1,
    };

    /// <summary>Orders two values of the same scalar type (S by UTF-8 bytes, N numerically, B by bytes); null for other pairs.</summary>
    public static int? Compare(DynamoValue a, DynamoValue b)
    {
        if (a.Type != b.Type)
        {
            return null;
        }

        return a.Type switch
        {
            DynamoType.S => CompareUtf8(a.S, b.S),
            DynamoType.N => a.N.CompareTo(b.N),
            DynamoType.B => a.B.AsSpan().SequenceCompareTo(b.B),
            _ => null,
        };
    }

    /// <summary>True when the set holds the scalar <paramref name="element"/>.</summary>
    public bool SetContains(DynamoValue element) => (Type, element.Type) switch
    {
        (DynamoType.SS, DynamoType.S) => SS.Contains(element.S, StringComparer.Ordinal),
        (DynamoType.NS, DynamoType.N) => NS.Contains(element.N),
        (DynamoType.BS, DynamoType.B) => BS.Any(b => b.AsSpan().SequenceEqual(element.B)),
        _ => false,
    };

    public bool Equals(DynamoValue? other)
    {
        if (ReferenceEquals(this, other))
        {
            return true;
        }

        if (other is null || other.Type != Type)
        {
            return false;
        }

        switch (Type)
        {
            case DynamoType.S:
                return string.Equals(S, other.S, StringComparison.Ordinal);
            case DynamoType.N:
                return N.Equals(other.N);
            case DynamoType.B:
                return B.AsSpan().SequenceEqual(other.B);
            case DynamoType.BOOL:
                return Bool == other.Bool;
            case DynamoType.NULL:
                return true;
            case DynamoType.SS:
                return SS.Count == other.SS.Count && SS.All(s => other.SS.Contains(s, StringComparer.Ordinal));
            case DynamoType.NS:
                return NS.Count == other.NS.Count && NS.All(n => other.NS.Contains(n));
            case DynamoType.BS:
                return BS.Count == other.BS.Count && BS.All(b => other.BS.Any(o => o.AsSpan().SequenceEqual(b)));
            case DynamoType.L:
                if (L.Count != other.L.Count)
                {
                    return false;
                }

                for (int i = 0; i < L.Count; i++)
                {
                    if (!L[i].Equals(other.L[i]))
                    {
                        return false;
                    }
                }

                return true;
            case DynamoType.M:
                return M.Count == other.M.Count && M.All(p => other.M.TryGetValue(p.Key, out DynamoValue? o) && p.Value.Equals(o));
            default:
                return false;
        }
    }

    public override bool Equals(object? obj) => Equals(obj as DynamoValue);

    public override int GetHashCode() => Type switch
    {
        DynamoType.S => StringComparer.Ordinal.GetHashCode(S),
        DynamoType.N => N.GetHashCode(),
        DynamoType.B => B.Length,
        _ => (int)Type,
    };

    /// <summary>A short rendering for error messages, e.g. <c>{N:5}</c>.</summary>
    public override string ToString() => Type switch
    {
        DynamoType.S => $"{{S:{S}}}",
        DynamoType.N => $"{{N:{N}}}",
        DynamoType.B => $"{{B:{Convert.ToBase64String(B)}}}",
        _ => $"{{{Type}}}",
    };

    /// <summary>The text used to identify a key value: type and value, unambiguous and ordinal-comparable.</summary>
    public string KeyText => Type switch
    {
        DynamoType.S => "S" + S,
        DynamoType.N => "N" + N.ToString(),
        DynamoType.B => "B" + Convert.ToBase64String(B),
        _ => TypeName,
    };

    private static int NumberSize(DynamoNumber n) => ((n.Digits + 1) / 2) + 1;

    private static int CompareUtf8(string a, string b)
    {
        // UTF-8 byte order equals code point order; UTF-16 ordinal order differs only for surrogates.
        int length = Math.Min(a.Length, b.Length);
        for (int i = 0; i < length; i++)
        {
            char x = a[i];
            char y = b[i];
            if (x == y)
            {
                continue;
            }

            bool xs = char.IsSurrogate(x);
            bool ys = char.IsSurrogate(y);
            if (xs != ys && (xs ? y : x) >= 0xE000)
            {
                // A surrogate (code point >= U+10000) sorts after the BMP characters U+E000 and above.
                return xs ? 1 : -1;
            }

            return x.CompareTo(y);
        }

        return a.Length.CompareTo(b.Length);
    }
}
