using System.Net;

namespace Kumo.Embedded.S3;

/// <summary>S3's bucket naming rules, checked before a bucket is created.</summary>
internal static class BucketNames
{
    /// <summary>Returns null when <paramref name="name"/> is valid, else the rule it breaks.</summary>
    public static string? Violation(string name)
    {
        if (name.Length is < 3 or > 63)
        {
            return "a bucket name must be between 3 and 63 characters long";
        }

        foreach (char c in name)
        {
            if (!(c is >= 'a' and <= 'z' or >= '0' and <= '9' or '-' or '.'))
            {
                return "a bucket name may contain only lowercase letters, digits, hyphens and dots";
            }
        }

        if (!char.IsAsciiLetterOrDigit(name[0]) || !char.IsAsciiLetterOrDigit(name[^1]))
        {
            return "a bucket name must begin and end with a letter or digit";
        }

        if (name.Contains("..", StringComparison.Ordinal))
        {
            return "a bucket name must not contain two adjacent dots";
        }

        if (name.Count(c => c == '.') == 3 && IPAddress.TryParse(name, out _))
        {
            return "a bucket name must not be formatted as an IP address";
        }

        if (name.StartsWith("xn--", StringComparison.Ordinal) || name.EndsWith("-s3alias", StringComparison.Ordinal))
        {
            return "a bucket name must not start with 'xn--' or end with '-s3alias'";
        }

        return null;
    }
}
