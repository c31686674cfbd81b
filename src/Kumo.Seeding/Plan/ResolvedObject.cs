using System.Text;

namespace Kumo.Seeding;

/// <summary>One concrete object to put: key, content type, metadata and where its bytes are.</summary>
public sealed class ResolvedObject
{
    internal ResolvedObject(string key, string contentType, IReadOnlyDictionary<string, string> metadata, string? filePath, string? text)
    {
        Key = key;
        ContentType = contentType;
        Metadata = metadata;
        FilePath = filePath;
        Text = text;
    }

    /// <summary>The object key.</summary>
    public string Key { get; }

    /// <summary>The effective content type.</summary>
    public string ContentType { get; }

    /// <summary>User metadata, keys lower-case.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>The file holding the bytes, or null for inline text.</summary>
    public string? FilePath { get; }

    /// <summary>The inline text (sent as UTF-8), or null for a file.</summary>
    public string? Text { get; }

    /// <summary>Opens the object's bytes for reading (a file stream, or the UTF-8 bytes of the text).</summary>
    /// <returns>A readable, seekable stream the caller disposes.</returns>
    public Stream OpenRead() => FilePath is not null
        ? new FileStream(FilePath, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, useAsync: true)
        : new MemoryStream(Encoding.UTF8.GetBytes(Text ?? string.Empty), writable: false);
}
