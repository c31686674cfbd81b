using System.Buffers;
using System.Text;

namespace Kumo.Embedded.Server;

/// <summary>
/// The header names clients send most, each one string for all requests: a name on the wire that matches one (in any
/// case) is reported with this spelling, as Kestrel reports its known headers, and compared by reference when parsing.
/// </summary>
internal static class KnownHeaders
{
    public const string Host = "Host";
    public const string ContentLength = "Content-Length";
    public const string TransferEncoding = "Transfer-Encoding";
    public const string Connection = "Connection";
    public const string Expect = "Expect";

    private static readonly string[] Names =
    [
        Host, ContentLength, TransferEncoding, Connection, Expect, "Content-Type", "Content-Encoding", "Content-MD5",
        "Accept", "Accept-Encoding", "User-Agent", "Authorization", "Date", "Range", "If-Match", "If-None-Match",
        "If-Modified-Since", "If-Unmodified-Since", "Cache-Control", "Content-Disposition", "Content-Language", "Expires",
        "X-Amz-Target", "X-Amz-Date", "X-Amz-Content-SHA256", "X-Amz-Security-Token", "X-Amz-User-Agent",
        "X-Amz-Decoded-Content-Length", "X-Amz-Trailer", "X-Amz-Sdk-Checksum-Algorithm", "X-Amz-Checksum-CRC32",
        "X-Amz-Copy-Source", "X-Amz-Query-Mode", "amz-sdk-invocation-id", "amz-sdk-request", "Keep-Alive", "TE",
    ];

    private static readonly byte[][] Bytes = [.. Names.Select(Encoding.ASCII.GetBytes)];

    /// <summary>The known name equal (ignoring case) to <paramref name="name"/>, or null.</summary>
    public static string? Find(ReadOnlySpan<byte> name)
    {
        for (int i = 0; i < Bytes.Length; i++)
        {
            if (Bytes[i].Length == name.Length && Ascii.EqualsIgnoreCase(Bytes[i], name))
            {
                return Names[i];
            }
        }

        return null;
    }

    // RFC 9110's token characters, which methods and header names are made of.
    private static readonly SearchValues<byte> TokenBytes =
        SearchValues.Create("!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"u8);

    /// <summary>Whether <paramref name="name"/> is a valid method or header name: RFC 9110 token characters only.</summary>
    public static bool IsToken(ReadOnlySpan<byte> name) => !name.ContainsAnyExcept(TokenBytes);
}
