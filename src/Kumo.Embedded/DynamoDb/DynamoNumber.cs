using System.Globalization;
using System.Numerics;
using System.Text;

namespace Kumo.Embedded.DynamoDb;

/// <summary>A DynamoDB number: up to 38 significant decimal digits, magnitude 1E-130 to 9.99…E+125, exact (never a double).</summary>
/// <remarks>
/// Held as <c>Mantissa × 10^Exponent</c> with no trailing zeros in the mantissa, so equal numbers
/// have equal fields ("1.50", "1.5" and "15E-1" are one value) and <see cref="ToString"/> is canonical.
/// </remarks>
internal readonly struct DynamoNumber : IComparable<DynamoNumber>, IEquatable<DynamoNumber>
{
    public const int MaxDigits = 38;

    private DynamoNumber(BigInteger mantissa, int exponent)
    {
        Mantissa = mantissa;
        Exponent = exponent;
    }

    public BigInteger Mantissa { get; }

    public int Exponent { get; }

    public static DynamoNumber Zero => default;

    /// <summary>Parses the wire text; throws a ValidationException with AWS's message when it is not a DynamoDB number.</summary>
    public static DynamoNumber Parse(string text)
    {
        if (!TryParseExact(text, out BigInteger mantissa, out int exponent))
        {
            throw DynamoErrors.Validation($"The parameter cannot be converted to a numeric value: {text}");
        }

        return Create(mantissa, exponent);
    }

    /// <summary>Normalizes and range-checks a value (the result of a parse or of arithmetic).</summary>
    public static DynamoNumber Create(BigInteger mantissa, int exponent)
    {
        if (mantissa.IsZero)
        {
            return default;
        }

        while (mantissa % 10 == 0)
        {
            mantissa /= 10;
            exponent++;
        }

        int digits = BigInteger.Abs(mantissa).ToString(CultureInfo.InvariantCulture).Length;
        if (digits > MaxDigits)
        {
            throw DynamoErrors.Validation("Attempting to store more than 38 significant digits in a Number");
        }

        // The magnitude is mantissa × 10^exponent, between 10^(digits-1+exponent) and 10^(digits+exponent).
        int magnitude = digits - 1 + exponent;
        if (magnitude > 125)
        {
            throw DynamoErrors.Validation("Number overflow. Attempting to store a number with magnitude larger than supported range");
        }

        if (magnitude < -130)
        {
            throw DynamoErrors.Validation("Number underflow. Attempting to store a number with magnitude smaller than supported range");
        }

        return new DynamoNumber(mantissa, exponent);
    }

    public static DynamoNumber FromInt64(long value) => Create(value, 0);

    public DynamoNumber Add(DynamoNumber other)
    {
        int exponent = Math.Min(Exponent, other.Exponent);
        BigInteger a = Mantissa * BigInteger.Pow(10, Exponent - exponent);
        BigInteger b = other.Mantissa * BigInteger.Pow(10, other.Exponent - exponent);
        return Create(a + b, exponent);
    }

    public DynamoNumber Negate() => new(-Mantissa, Exponent);

    /// <summary>The number of significant digits (for the item size rule).</summary>
    public int Digits => Mantissa.IsZero ? 1 : BigInteger.Abs(Mantissa).ToString(CultureInfo.InvariantCulture).Length;

    /// <summary>The value as a whole number of seconds when it fits (a TTL attribute), else null.</summary>
    public long? ToInt64Floor()
    {
        if (Exponent >= 0)
        {
            if (Exponent > 20)
            {
                return null;
            }

            BigInteger whole = Mantissa * BigInteger.Pow(10, Exponent);
            return whole >= long.MinValue && whole <= long.MaxValue ? (long)whole : null;
        }

        if (-Exponent > 60)
        {
            return Mantissa.Sign < 0 ? -1 : 0;
        }

        BigInteger truncated = BigInteger.Divide(Mantissa, BigInteger.Pow(10, -Exponent));
        return truncated >= long.MinValue && truncated <= long.MaxValue ? (long)truncated : null;
    }

    public int CompareTo(DynamoNumber other)
    {
        int sign = Mantissa.Sign.CompareTo(other.Mantissa.Sign);
        if (sign != 0 || Mantissa.IsZero)
        {
            return sign;
        }

        int exponent = Math.Min(Exponent, other.Exponent);
        BigInteger a = Mantissa * BigInteger.Pow(10, Exponent - exponent);
        BigInteger b = other.Mantissa * BigInteger.Pow(10, other.Exponent - exponent);
        return a.CompareTo(b);
    }

    public bool Equals(DynamoNumber other) => Mantissa == other.Mantissa && Exponent == other.Exponent;

    public override bool Equals(object? obj) => obj is DynamoNumber other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(Mantissa, Exponent);

    /// <summary>Plain decimal notation, as DynamoDB returns numbers ("1E+2" comes back as "100").</summary>
    public override string ToString()
    {
        if (Mantissa.IsZero)
        {
            return "0";
        }

        string digits = BigInteger.Abs(Mantissa).ToString(CultureInfo.InvariantCulture);
        var text = new StringBuilder(digits.Length + Math.Abs(Exponent) + 3);
        if (Mantissa.Sign < 0)
        {
            text.Append('-');
        }

        if (Exponent >= 0)
        {
            text.Append(digits).Append('0', Exponent);
        }
        else if (-Exponent < digits.Length)
        {
            text.Append(digits, 0, digits.Length + Exponent).Append('.').Append(digits, digits.Length + Exponent, -Exponent);
        }
        else
        {
            text.Append("0.").Append('0', -Exponent - digits.Length).Append(digits);
        }

        return text.ToString();
    }

    private static bool TryParseExact(string text, out BigInteger mantissa, out int exponent)
    {
        mantissa = default;
        exponent = 0;
        ReadOnlySpan<char> s = text.AsSpan();
        if (s.Length == 0 || s.Length > 200)
        {
            return false;
        }

        int i = 0;
        bool negative = false;
        if (s[i] is '+' or '-')
        {
            negative = s[i] == '-';
            i++;
        }

        var digits = new StringBuilder(s.Length);
        int fraction = 0;
        bool sawDigit = false;
        bool sawPoint = false;
        for (; i < s.Length; i++)
        {
            char c = s[i];
            if (char.IsAsciiDigit(c))
            {
                digits.Append(c);
                sawDigit = true;
                if (sawPoint)
                {
                    fraction++;
                }
            }
            else if (c == '.' && !sawPoint)
            {
                sawPoint = true;
            }
            else
            {
                break;
            }
        }

        if (!sawDigit)
        {
            return false;
        }

        int explicitExponent = 0;
        if (i < s.Length)
        {
            if (s[i] is not ('e' or 'E'))
            {
                return false;
            }

            i++;
            if (!int.TryParse(s[i..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out explicitExponent)
                || s[i..].Length == 0 || !char.IsAsciiDigit(s[^1]) || Math.Abs(explicitExponent) > 1000)
            {
                return false;
            }
        }

        string all = digits.ToString().TrimStart('0');
        mantissa = all.Length == 0 ? BigInteger.Zero : BigInteger.Parse(all, CultureInfo.InvariantCulture);
        if (negative)
        {
            mantissa = -mantissa;
        }

        exponent = explicitExponent - fraction;
        return true;
    }
}
