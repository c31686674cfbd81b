namespace Kumo.Seeding;

/// <summary>
/// An object (or, for a directory source, a set of objects) to put into a bucket.
/// </summary>
/// <remarks>
/// <para>
/// Exactly one source is set, as told by <see cref="Kind"/>: inline <see cref="Text"/>, a
/// <see cref="Path"/> to a file, or a <see cref="Path"/> to a directory whose files become one object
/// each under the key prefix <see cref="Key"/> (relative paths with <c>/</c> separators, ordered
/// ordinally).
/// </para>
/// <para>
/// The content type is <see cref="ContentType"/> when set; otherwise it is derived from the
/// extension of the object key (then of the source file), <c>text/plain</c> for inline text, and
/// <c>application/octet-stream</c> when the extension is unknown. The table is part of this library,
/// not of the operating system, so the result (and the plan hash) is the same on every machine.
/// </para>
/// </remarks>
public sealed class ObjectSeed
{
    internal ObjectSeed(string key, ObjectSourceKind kind, string? text, string? path, string? contentType, IReadOnlyDictionary<string, string> metadata, SeedLocation location)
    {
        Key = key;
        Kind = kind;
        Text = text;
        Path = path;
        ContentType = contentType;
        Metadata = metadata;
        Location = location;
    }

    /// <summary>The object key; for <see cref="ObjectSourceKind.Directory"/>, the key prefix (empty, or ending in <c>/</c>).</summary>
    public string Key { get; }

    /// <summary>Which source the bytes come from.</summary>
    public ObjectSourceKind Kind { get; }

    /// <summary>The inline text (stored as UTF-8) when <see cref="Kind"/> is <see cref="ObjectSourceKind.Text"/>.</summary>
    public string? Text { get; }

    /// <summary>The file or directory path as written, relative to <see cref="SeedPlan.BaseDirectory"/>, with <c>/</c> separators.</summary>
    public string? Path { get; }

    /// <summary>The explicit content type, or null to derive it from the extension.</summary>
    public string? ContentType { get; }

    /// <summary>User metadata (<c>x-amz-meta-*</c>), keys lower-case.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>The full path of the file or directory, set when the plan is validated.</summary>
    public string? FullPath { get; internal set; }

    internal SeedLocation Location { get; }

    /// <summary>For a directory source: its files (relative path with '/', full path), ordered ordinally; set when validated.</summary>
    internal IReadOnlyList<DirectoryFile> Files { get; set; } = [];
}

/// <summary>One file found under a directory source.</summary>
/// <param name="RelativePath">The path below the directory, with '/' separators.</param>
/// <param name="FullPath">The full path on disk.</param>
internal sealed record DirectoryFile(string RelativePath, string FullPath);
