using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Kumo.Embedded.S3;

/// <summary>The bucket and key a request addresses, path-style or <c>&lt;bucket&gt;.localhost</c> virtual-host style.</summary>
internal readonly record struct S3Target(string? Bucket, string? Key)
{
    public static S3Target From(HttpContext context)
    {
        string raw = context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? context.Request.Path.Value ?? "/";
        int query = raw.IndexOf('?', StringComparison.Ordinal);
        string path = query < 0 ? raw : raw[..query];
        if (path.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || path.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
        {
            path = new Uri(path).AbsolutePath;
        }

        string host = context.Request.Host.Host;
        const string suffix = ".localhost";
        if (host.EndsWith(suffix, StringComparison.OrdinalIgnoreCase) && host.Length > suffix.Length)
        {
            string bucket = host[..^suffix.Length];
            string key = Decode(path.TrimStart('/'));
            return new S3Target(bucket, key.Length == 0 ? null : key);
        }

        string trimmed = path.TrimStart('/');
        if (trimmed.Length == 0)
        {
            return new S3Target(null, null);
        }

        int slash = trimmed.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0)
        {
            return new S3Target(Decode(trimmed), null);
        }

        string objectKey = Decode(trimmed[(slash + 1)..]);
        return new S3Target(Decode(trimmed[..slash]), objectKey.Length == 0 ? null : objectKey);
    }

    private static string Decode(string value) => Uri.UnescapeDataString(value);
}
