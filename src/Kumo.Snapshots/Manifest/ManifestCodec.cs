using System.Buffers;
using System.Globalization;
using System.Text.Json;
using Kumo.Storage;

namespace Kumo.Snapshots;

/// <summary>Writes and reads <c>manifest.json</c>, checking every field and naming the JSON pointer of anything wrong.</summary>
internal static class ManifestCodec
{
    private static readonly SearchValues<char> LowerHexDigits = SearchValues.Create("0123456789abcdef");

    internal static byte[] Serialize(SnapshotManifest manifest) => JsonSerializer.SerializeToUtf8Bytes(manifest, SnapshotJsonContext.Default.SnapshotManifest);

    /// <summary>Reads and checks the manifest of <paramref name="snapshotDirectory"/>.</summary>
    /// <exception cref="SnapshotCorruptException">The manifest is missing, unreadable, or a field is invalid.</exception>
    internal static SnapshotManifest Read(string snapshotDirectory)
    {
        string path = Path.Combine(snapshotDirectory, SnapshotLayout.ManifestFileName);
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (FileNotFoundException ex)
        {
            throw new SnapshotCorruptException(snapshotDirectory, SnapshotLayout.ManifestFileName, "is missing", ex);
        }
        catch (DirectoryNotFoundException ex)
        {
            throw new SnapshotCorruptException(snapshotDirectory, SnapshotLayout.ManifestFileName, "is missing (the snapshot directory is gone)", ex);
        }

        SnapshotManifest? manifest;
        try
        {
            manifest = JsonSerializer.Deserialize(bytes, SnapshotJsonContext.Default.SnapshotManifest);
        }
        catch (JsonException ex)
        {
            throw new SnapshotCorruptException(snapshotDirectory, SnapshotLayout.ManifestFileName, $"is not a valid manifest at JSON pointer '{Pointer(ex.Path)}' (line {ex.LineNumber + 1}): {ex.Message.TrimEnd('.')}", ex);
        }

        if (manifest is null)
        {
            throw new SnapshotCorruptException(snapshotDirectory, SnapshotLayout.ManifestFileName, "is 'null' instead of a manifest object");
        }

        Check(snapshotDirectory, manifest);
        return manifest;
    }

    private static void Check(string snapshotDirectory, SnapshotManifest manifest)
    {
        void Fail(string pointer, string problem)
            => throw new SnapshotCorruptException(snapshotDirectory, SnapshotLayout.ManifestFileName, $"has an invalid value at JSON pointer '{pointer}': {problem}");

        if (manifest.FormatVersion != SnapshotStore.FormatVersion)
        {
            Fail("/formatVersion", $"{manifest.FormatVersion} is not the supported format {SnapshotStore.FormatVersion}");
        }

        string directoryName = Path.GetFileName(Path.TrimEndingDirectorySeparator(snapshotDirectory));
        if (!string.Equals(manifest.Key, directoryName, StringComparison.Ordinal))
        {
            Fail("/key", $"'{manifest.Key}' differs from the directory name '{directoryName}'");
        }

        string expectedKey = SnapshotKeys.Compute(manifest.FormatVersion, manifest.PlanHash, manifest.FixtureVersion, manifest.Engine.Name, manifest.Engine.Version);
        if (!string.Equals(manifest.Key, expectedKey, StringComparison.Ordinal))
        {
            Fail("/key", $"'{manifest.Key}' is not the key of the recorded plan, fixture and engine ('{expectedKey}')");
        }

        if (string.IsNullOrWhiteSpace(manifest.BuildId))
        {
            Fail("/buildId", "is empty");
        }

        var seen = new HashSet<string>(manifest.Files.Count, StringComparer.Ordinal);
        for (int i = 0; i < manifest.Files.Count; i++)
        {
            SnapshotFile file = manifest.Files[i];
            string At() => string.Create(CultureInfo.InvariantCulture, $"/files/{i}");
            if (file is null)
            {
                Fail(At(), "is null");
                return;
            }

            if (!IsPlainRelativePath(file.Path))
            {
                Fail(At() + "/path", $"'{file.Path}' is not a relative path with '/' separators and no '.', '..' or empty segments");
            }

            try
            {
                ContainedPath.Combine(snapshotDirectory, file.Path);
            }
            catch (ArgumentException ex)
            {
                Fail(At() + "/path", ex.Message);
            }

            if (!seen.Add(file.Path))
            {
                Fail(At() + "/path", $"'{file.Path}' is listed twice");
            }

            if (file.Size < 0)
            {
                Fail(At() + "/size", $"{file.Size} is negative");
            }

            if (file.Sha256 is not { Length: 64 } || file.Sha256.AsSpan().ContainsAnyExcept(LowerHexDigits))
            {
                Fail(At() + "/sha256", $"'{file.Sha256}' is not 64 lowercase hex digits");
            }
        }
    }

    /// <summary>True for a non-empty path with <c>/</c> separators, no leading <c>/</c>, no <c>\</c>, and no <c>.</c>, <c>..</c> or empty segments.</summary>
    private static bool IsPlainRelativePath(string? path)
    {
        if (string.IsNullOrEmpty(path) || path.Contains('\\', StringComparison.Ordinal))
        {
            return false;
        }

        foreach (Range range in path.AsSpan().Split('/'))
        {
            ReadOnlySpan<char> segment = path.AsSpan(range);
            if (segment.IsEmpty || segment is "." or "..")
            {
                return false;
            }
        }

        return true;
    }

    private static string Pointer(string? jsonPath)
    {
        if (string.IsNullOrEmpty(jsonPath) || jsonPath == "$")
        {
            return string.Empty;
        }

        // "$.files[3].sha256" -> "/files/3/sha256"
        string trimmed = jsonPath.StartsWith('$') ? jsonPath[1..] : jsonPath;
        return trimmed.Replace("[", ".", StringComparison.Ordinal).Replace("]", string.Empty, StringComparison.Ordinal).Replace("'", string.Empty, StringComparison.Ordinal).Replace('.', '/');
    }
}
