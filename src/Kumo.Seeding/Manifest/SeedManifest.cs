using System.Text;

namespace Kumo.Seeding;

/// <summary>
/// Loads seed plans from kumo-seed JSON manifests (format version 1).
/// </summary>
/// <remarks>
/// <para>
/// The format is documented in <c>docs/seed-manifest.md</c> and described by the JSON Schema
/// <c>kumo-seed.schema.json</c> shipped in this package (see <see cref="OpenSchema"/>). Parsing is
/// strict: unknown fields, wrong types, invalid names, unknown placeholders, missing or escaping
/// files are errors. Every error names the file, the line, the JSON pointer and the fix; all errors
/// found are reported together in one <see cref="SeedManifestException"/>.
/// </para>
/// <para>
/// File and directory paths are relative to the manifest's directory and must stay inside it. They
/// are checked when the manifest is loaded, before any request reaches an engine. Comments
/// (<c>//</c>, <c>/* */</c>) and trailing commas are accepted.
/// </para>
/// </remarks>
/// <example>
/// <code>
/// // seed.json:
/// // { "$schema": "./kumo-seed.schema.json", "version": 1, "fixtureVersion": "v1",
/// //   "buckets": [ { "name": "orders-{worker}", "objects": [ { "key": "a.json", "file": "data/a.json" } ] } ],
/// //   "queues":  [ { "name": "orders-{worker}", "messages": [ "hello" ] } ] }
/// SeedPlan plan = SeedManifest.Load("fixtures/seed.json");
/// </code>
/// </example>
public static class SeedManifest
{
    /// <summary>The manifest format version this library reads and writes.</summary>
    public const int CurrentVersion = 1;

    /// <summary>The file name of the JSON Schema shipped in the package.</summary>
    public const string SchemaFileName = "kumo-seed.schema.json";

    internal const string SchemaResourceName = "Kumo.Seeding.Schema.kumo-seed.schema.json";

    /// <summary>Loads and validates the manifest at <paramref name="path"/>.</summary>
    /// <param name="path">The manifest file; relative paths are resolved against the current directory.</param>
    /// <returns>The validated plan; its files are relative to the manifest's directory.</returns>
    /// <exception cref="SeedManifestException">The file is missing, unreadable, not valid JSON, or breaks a rule.</exception>
    public static SeedPlan Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string fullPath = Path.GetFullPath(path);
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(fullPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            bool missing = e is FileNotFoundException or DirectoryNotFoundException;
            throw new SeedManifestException(
                [
                    new SeedManifestError(fullPath, string.Empty, null,
                        missing ? "the manifest file does not exist." : $"the manifest file cannot be read: {e.Message}",
                        missing ? $"check the path; relative paths are resolved against the current directory '{Environment.CurrentDirectory}'." : "check the file's permissions."),
                ],
                e);
        }

        return ManifestParser.Parse(bytes, Path.GetDirectoryName(fullPath)!, fullPath);
    }

    /// <summary>Parses and validates manifest JSON held in memory.</summary>
    /// <param name="json">The manifest text.</param>
    /// <param name="baseDirectory">The directory that file and directory paths are relative to.</param>
    /// <param name="sourceName">How errors name the source (e.g. the original path); null for "(inline)".</param>
    /// <returns>The validated plan.</returns>
    /// <exception cref="SeedManifestException">The JSON is invalid or breaks a rule.</exception>
    public static SeedPlan Parse(string json, string baseDirectory, string? sourceName = null)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentException.ThrowIfNullOrEmpty(baseDirectory);
        return ManifestParser.Parse(Encoding.UTF8.GetBytes(json), baseDirectory, sourceName ?? "(inline)");
    }

    /// <summary>Opens the JSON Schema of the manifest format (embedded in this assembly).</summary>
    /// <returns>A readable stream of the schema's UTF-8 JSON.</returns>
    public static Stream OpenSchema() =>
        typeof(SeedManifest).Assembly.GetManifestResourceStream(SchemaResourceName)
        ?? throw new InvalidOperationException($"The embedded resource '{SchemaResourceName}' is missing from {typeof(SeedManifest).Assembly.GetName().Name}.");
}
