using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Kumo.Embedded.S3;

/// <summary>The bucket and key a request addresses, path-style or <c>&lt;bucket&gt;.localhost</c> virtual-host style.</summary>
internal readonly record struct S3Target(string? Bucket, string? Key)
{
    private const string VirtualHostSuffix = ".localhost";

    /// <remarks>The path is sliced as a span: only the bucket and the key become strings.</remarks>
    public static S3Target From(HttpContext context)
    {
        string raw = context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? context.Request.Path.Value ?? "/";
        ReadOnlySpan<char> path = raw;
        int query = path.IndexOf('?');
        if (query >= 0)
        {
            path = path[..query];
        }

        if (path.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || path.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
        {
            path = new Uri(path.ToString()).AbsolutePath;
        }

        if (context.Request.Host.Value is { } hostValue && BucketOfHost(hostValue) is { } bucket)
        {
            string key = Decode(path.TrimStart('/'));
            return new S3Target(bucket, key.Length == 0 ? null : key);
        }

        ReadOnlySpan<char> trimmed = path.TrimStart('/');
        if (trimmed.Length == 0)
        {
            return new S3Target(null, null);
        }

        int slash = trimmed.IndexOf('/');
        if (slash < 0)
        {
            return new S3Target(Decode(trimmed), null);
        }

        string objectKey = Decode(trimmed[(slash + 1)..]);
        return new S3Target(Decode(trimmed[..slash]), objectKey.Length == 0 ? null : objectKey);
    }

    /// <summary>
    /// The bucket a <c>Host</c> header names (<c>&lt;bucket&gt;.localhost</c>, with or without a port), or null. The name
    /// is cut and compared as a span: a request to <c>127.0.0.1:4566</c> allocates nothing and scans no text for the suffix.
    /// </summary>
    private static string? BucketOfHost(string hostValue)
    {
        ReadOnlySpan<char> name = hostValue;
        int colon = name.LastIndexOf(':');
        if (colon >= 0 && name.LastIndexOf(']') < colon)
        {
            name = name[..colon];
        }

        return name.Length > VirtualHostSuffix.Length && name.EndsWith(VirtualHostSuffix, StringComparison.OrdinalIgnoreCase)
            ? name[..^VirtualHostSuffix.Length].ToString()
            : null;
    }

    private static string Decode(ReadOnlySpan<char> value) => value.Contains('%') ? Uri.UnescapeDataString(value) : value.ToString();
}
