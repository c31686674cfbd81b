namespace Kumo.Snapshots;

/// <summary>Checks a snapshot directory against its manifest.</summary>
internal static class SnapshotValidator
{
    /// <summary>
    /// The cheap check used before reuse: the manifest is valid, every listed file exists with its
    /// recorded size, and the data directory holds nothing else. Hashes are checked on restore.
    /// </summary>
    /// <exception cref="SnapshotCorruptException">Something does not match; the message names the file.</exception>
    internal static SnapshotManifest CheckShape(string snapshotDirectory)
    {
        SnapshotManifest manifest = ReadWithData(snapshotDirectory, out string data);
        foreach (SnapshotFile file in manifest.Files)
        {
            var info = new FileInfo(Path.Combine(data, file.Path));
            if (!info.Exists)
            {
                throw new SnapshotCorruptException(snapshotDirectory, DataPath(file.Path), "is listed in the manifest but missing");
            }

            if (info.Length != file.Size)
            {
                throw new SnapshotCorruptException(snapshotDirectory, DataPath(file.Path), $"has {info.Length} bytes; the manifest says {file.Size}");
            }
        }

        CheckNothingUnlisted(snapshotDirectory, data, manifest);
        return manifest;
    }

    /// <summary>
    /// The check a restore starts with: the manifest is valid and the data directory holds no file it
    /// does not list. Each listed file's presence, size and SHA-256 are then checked as it is restored
    /// (<see cref="HashListed"/> and <see cref="CheckMatch"/>), so it is not stat-ed twice.
    /// </summary>
    /// <exception cref="SnapshotCorruptException">Something does not match; the message names the file.</exception>
    internal static SnapshotManifest CheckListing(string snapshotDirectory)
    {
        SnapshotManifest manifest = ReadWithData(snapshotDirectory, out string data);
        CheckNothingUnlisted(snapshotDirectory, data, manifest);
        return manifest;
    }

    /// <summary>The full check: <see cref="CheckShape"/> plus the SHA-256 of every file (hashed in parallel).</summary>
    /// <exception cref="SnapshotCorruptException">Something does not match; the message names the file (the first in manifest order when several differ).</exception>
    internal static SnapshotManifest CheckContent(string snapshotDirectory, CancellationToken cancellationToken)
    {
        SnapshotManifest manifest = CheckShape(snapshotDirectory);
        string data = Path.Combine(snapshotDirectory, SnapshotLayout.DataDirectoryName);
        IReadOnlyList<SnapshotFile> files = manifest.Files;
        ParallelFiles.For(
            files.Count,
            i =>
            {
                SnapshotFile file = files[i];
                (long size, string sha256) = HashListed(snapshotDirectory, Path.Combine(data, file.Path), file.Path);
                CheckMatch(snapshotDirectory, file, size, sha256);
            },
            cancellationToken);

        return manifest;
    }

    private static SnapshotManifest ReadWithData(string snapshotDirectory, out string data)
    {
        SnapshotManifest manifest = ManifestCodec.Read(snapshotDirectory);
        data = Path.Combine(snapshotDirectory, SnapshotLayout.DataDirectoryName);
        if (!Directory.Exists(data))
        {
            throw new SnapshotCorruptException(snapshotDirectory, SnapshotLayout.DataDirectoryName + "/", "is missing");
        }

        return manifest;
    }

    private static void CheckNothingUnlisted(string snapshotDirectory, string data, SnapshotManifest manifest)
    {
        var listed = new HashSet<string>(manifest.Files.Count, StringComparer.Ordinal);
        foreach (SnapshotFile file in manifest.Files)
        {
            listed.Add(file.Path);
        }

        foreach (string path in Directory.EnumerateFiles(data, "*", SearchOption.AllDirectories))
        {
            string relative = Path.GetRelativePath(data, path).Replace('\\', '/');
            if (!listed.Contains(relative))
            {
                throw new SnapshotCorruptException(snapshotDirectory, DataPath(relative), "is not listed in the manifest");
            }
        }
    }

    /// <summary>Hashes a listed file, reporting a missing one as corruption.</summary>
    internal static (long Size, string Sha256) HashListed(string snapshotDirectory, string fullPath, string relative)
    {
        try
        {
            return FileHashing.Hash(fullPath);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new SnapshotCorruptException(snapshotDirectory, DataPath(relative), "is listed in the manifest but missing", ex);
        }
    }

    internal static void CheckMatch(string snapshotDirectory, SnapshotFile file, long size, string sha256)
    {
        if (size != file.Size)
        {
            throw new SnapshotCorruptException(snapshotDirectory, DataPath(file.Path), $"has {size} bytes; the manifest says {file.Size}");
        }

        if (!string.Equals(sha256, file.Sha256, StringComparison.Ordinal))
        {
            throw new SnapshotCorruptException(snapshotDirectory, DataPath(file.Path), $"has SHA-256 {sha256}; the manifest says {file.Sha256}");
        }
    }

    internal static string DataPath(string relative) => SnapshotLayout.DataDirectoryName + "/" + relative;
}
