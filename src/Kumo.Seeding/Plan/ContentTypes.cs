namespace Kumo.Seeding;

/// <summary>The fixed extension → content-type table used for objects without an explicit type.</summary>
internal static class ContentTypes
{
    public const string InlineDefault = "text/plain";
    public const string Unknown = "application/octet-stream";

    private static readonly Dictionary<string, string> ByExtension = new(StringComparer.OrdinalIgnoreCase)
    {
        [".json"] = "application/json",
        [".ndjson"] = "application/x-ndjson",
        [".jsonl"] = "application/jsonl",
        [".txt"] = "text/plain",
        [".log"] = "text/plain",
        [".md"] = "text/markdown",
        [".csv"] = "text/csv",
        [".tsv"] = "text/tab-separated-values",
        [".html"] = "text/html",
        [".htm"] = "text/html",
        [".css"] = "text/css",
        [".js"] = "text/javascript",
        [".mjs"] = "text/javascript",
        [".xml"] = "application/xml",
        [".yaml"] = "application/yaml",
        [".yml"] = "application/yaml",
        [".pdf"] = "application/pdf",
        [".zip"] = "application/zip",
        [".gz"] = "application/gzip",
        [".tar"] = "application/x-tar",
        [".wasm"] = "application/wasm",
        [".parquet"] = "application/vnd.apache.parquet",
        [".avro"] = "application/avro",
        [".bin"] = "application/octet-stream",
        [".png"] = "image/png",
        [".jpg"] = "image/jpeg",
        [".jpeg"] = "image/jpeg",
        [".gif"] = "image/gif",
        [".webp"] = "image/webp",
        [".svg"] = "image/svg+xml",
        [".ico"] = "image/x-icon",
        [".mp3"] = "audio/mpeg",
        [".wav"] = "audio/wav",
        [".mp4"] = "video/mp4",
        [".webm"] = "video/webm",
        [".woff"] = "font/woff",
        [".woff2"] = "font/woff2",
        [".ttf"] = "font/ttf",
        [".otf"] = "font/otf",
    };

    /// <summary>The content type for an object key, falling back to the source path's extension.</summary>
    public static string For(string key, string? sourcePath)
    {
        if (ByExtension.TryGetValue(Extension(key), out string? type))
        {
            return type;
        }

        return sourcePath is not null && ByExtension.TryGetValue(Extension(sourcePath), out type) ? type : Unknown;
    }

    /// <summary>Tells whether <paramref name="value"/> looks like <c>type/subtype[; parameters]</c>.</summary>
    public static bool IsWellFormed(string value)
    {
        int slash = value.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0 || slash == value.Length - 1)
        {
            return false;
        }

        foreach (char c in value)
        {
            if (c < 0x20 || c > 0x7E)
            {
                return false;
            }
        }

        return !value.AsSpan(0, slash).ContainsAny(' ', ';');
    }

    private static string Extension(string path)
    {
        int slash = path.LastIndexOf('/');
        int dot = path.LastIndexOf('.');
        return dot > slash && dot >= 0 ? path[dot..] : string.Empty;
    }
}
