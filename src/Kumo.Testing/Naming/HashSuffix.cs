using System.Security.Cryptography;
using System.Text;

namespace Kumo.Testing;

/// <summary>Shortens a name to a length limit, keeping it unique with a hash of the original.</summary>
internal static class HashSuffix
{
    /// <summary>The number of hex characters of the SHA-256 kept as the suffix.</summary>
    public const int Length = 8;

    /// <summary>
    /// Returns <paramref name="value"/> when it fits in <paramref name="maxLength"/>; otherwise its
    /// head, a '-' and the first <see cref="Length"/> hex characters of the SHA-256 of <paramref name="original"/>.
    /// </summary>
    /// <param name="value">The cleaned name to shorten.</param>
    /// <param name="maxLength">The longest result allowed.</param>
    /// <param name="original">What the suffix is computed from (the caller's raw input), so distinct inputs stay distinct.</param>
    /// <param name="trimHyphens">Drop hyphens the cut leaves at the end of the head, so the result never has "--".</param>
    /// <returns>A name of at most <paramref name="maxLength"/> characters.</returns>
    public static string Shorten(string value, int maxLength, string original, bool trimHyphens)
    {
        if (value.Length <= maxLength)
        {
            return value;
        }

        string head = value[..(maxLength - Length - 1)];
        if (trimHyphens)
        {
            head = head.TrimEnd('-');
        }

        return head + "-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(original)))[..Length];
    }
}
