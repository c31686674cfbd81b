using System.Globalization;

namespace Kumo.Seeding;

/// <summary>Adds objects to a bucket of a <see cref="SeedPlanBuilder"/>.</summary>
/// <remarks>
/// Each method mirrors an object entry of the JSON manifest: <see cref="Object"/> is
/// <c>"text"</c>, <see cref="File"/> is <c>"file"</c>, and <see cref="Directory"/> is
/// <c>"directory"</c> with <c>"prefix"</c>.
/// </remarks>
/// <example>
/// <code>
/// builder.Bucket("assets-{worker}", b => b.Object("readme.txt", "hi").File("logo.png", "assets/logo.png"));
/// </code>
/// </example>
public sealed class BucketSeedBuilder
{
    private readonly List<Entry> _entries = [];

    internal BucketSeedBuilder()
    {
    }

    /// <summary>Adds an object with inline text (stored as UTF-8).</summary>
    /// <param name="key">The object key.</param>
    /// <param name="text">The content.</param>
    /// <param name="contentType">The content type; <c>text/plain</c> when null.</param>
    /// <param name="metadata">User metadata (<c>x-amz-meta-*</c>).</param>
    /// <returns>This builder.</returns>
    public BucketSeedBuilder Object(string key, string text, string? contentType = null, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(text);
        _entries.Add(new Entry(key, ObjectSourceKind.Text, text, contentType, metadata));
        return this;
    }

    /// <summary>Adds an object whose bytes are a file.</summary>
    /// <param name="key">The object key.</param>
    /// <param name="path">The file, relative to the builder's base directory.</param>
    /// <param name="contentType">The content type; derived from the extension when null.</param>
    /// <param name="metadata">User metadata (<c>x-amz-meta-*</c>).</param>
    /// <returns>This builder.</returns>
    public BucketSeedBuilder File(string key, string path, string? contentType = null, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(path);
        _entries.Add(new Entry(key, ObjectSourceKind.File, path.Replace('\\', '/'), contentType, metadata));
        return this;
    }

    /// <summary>Adds one object per file under a directory, keyed <c>prefix + relative/path</c>.</summary>
    /// <param name="prefix">The key prefix; empty for the bucket root. A missing trailing <c>/</c> is added.</param>
    /// <param name="path">The directory, relative to the builder's base directory.</param>
    /// <param name="contentType">A content type for every file; derived per file from its extension when null.</param>
    /// <param name="metadata">User metadata for every file.</param>
    /// <returns>This builder.</returns>
    public BucketSeedBuilder Directory(string prefix, string path, string? contentType = null, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        ArgumentNullException.ThrowIfNull(path);
        _entries.Add(new Entry(ObjectSeedFactory.NormalizePrefix(prefix), ObjectSourceKind.Directory, path.Replace('\\', '/'), contentType, metadata));
        return this;
    }

    internal List<ObjectSeed> Create(string bucketPointer, SeedErrors errors)
    {
        var objects = new List<ObjectSeed>(_entries.Count);
        for (int i = 0; i < _entries.Count; i++)
        {
            Entry entry = _entries[i];
            string pointer = bucketPointer + "/objects/" + i.ToString(CultureInfo.InvariantCulture);
            Dictionary<string, string> metadata = SeedPlanBuilder.LowerCaseMetadata(entry.Metadata, pointer, errors);
            objects.Add(entry.Kind == ObjectSourceKind.Text
                ? new ObjectSeed(entry.Key, entry.Kind, entry.Source, null, entry.ContentType, metadata, new SeedLocation(pointer, null))
                : new ObjectSeed(entry.Key, entry.Kind, null, entry.Source, entry.ContentType, metadata, new SeedLocation(pointer, null)));
        }

        return objects;
    }

    private sealed record Entry(string Key, ObjectSourceKind Kind, string Source, string? ContentType, IReadOnlyDictionary<string, string>? Metadata);
}
