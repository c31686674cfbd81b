using System.Security.Cryptography;
using System.Text;

namespace Kumo.Embedded.Sqs;

/// <summary>The character rules and digests SQS applies to message bodies.</summary>
internal static class MessageContents
{
    /// <summary>
    /// The index of the first character SQS rejects, or null. Allowed: <c>#x9 | #xA | #xD | #x20-#xD7FF |
    /// #xE000-#xFFFD | #x10000-#x10FFFF</c> (the last as a valid surrogate pair).
    /// </summary>
    public static int? FindInvalidCharacter(string text)
    {
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (c >= 0x20 && c < 0xD800)
            {
                continue;
            }

            if (c is '\t' or '\n' or '\r')
            {
                continue;
            }

            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
                continue;
            }

            if (c >= 0xE000 && c <= 0xFFFD)
            {
                continue;
            }

            return i;
        }

        return null;
    }

    /// <summary>The lowercase hex MD5 of the UTF-8 bytes of <paramref name="text"/> (MD5OfMessageBody).</summary>
    public static string Md5Hex(string text) => Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(text)));

    /// <summary>The lowercase hex SHA-256 of the UTF-8 bytes of <paramref name="text"/> (content-based deduplication).</summary>
    public static string Sha256Hex(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
