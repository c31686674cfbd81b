using System.Diagnostics;
using System.Formats.Tar;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Kumo.Storage;

namespace Kumo.Snapshots;

/// <summary>
/// Moves a published snapshot between machines as one file (a tar archive): exported from one store, cached by CI,
/// imported into another store on another runner, where fixtures and the Aspire layer find it by key and restore it
/// without rebuilding.
/// </summary>
/// <remarks>
/// <para>
/// <b>Name.</b> <c>kumo-snapshot-&lt;key&gt;.tar</c>, where the key is the snapshot's content address (a hash of the
/// snapshot format, the plan hash, the fixture version and the engine's name and version): the same snapshot always
/// gets the same name, and any drift a new one. Exporting the same snapshot twice gives identical bytes.
/// </para>
/// <para>
/// <b>Layout.</b> The entries are, in order: <c>kumo-snapshot-archive</c> (the archive and snapshot format versions),
/// <c>&lt;key&gt;/manifest.json</c>, then <c>&lt;key&gt;/data/&lt;path&gt;</c> for each file of the manifest in its
/// order. Only regular files; nothing else is accepted on import.
/// </para>
/// <para>
/// <b>Import.</b> The archive is read once, as a stream. The format entry must match; the manifest must be valid and
/// its key must be the directory the entries live in; each data entry must be a regular file listed in the manifest,
/// once, inside the snapshot (absolute paths, <c>..</c> segments, links and unlisted files are refused), and its size
/// and SHA-256 must match the manifest. Files are written and fsynced into <c>&lt;store&gt;/.tmp-&lt;pid&gt;-…</c>;
/// only when every listed file has arrived and matched is the snapshot directory published with one rename under
/// the key's lock. A refused or killed import publishes nothing, and what it left is a temporary directory of a
/// dead process, which the next import, build or <see cref="SnapshotStore.SweepStale"/> removes. Concurrent imports
/// of one archive publish one snapshot; the others find it and report <see cref="ImportedSnapshotArchive.Published"/>
/// false.
/// </para>
/// </remarks>
/// <example>
/// <code>
/// // On the runner that built it:
/// var store = new SnapshotStore(".kumo/snapshots");
/// foreach (Snapshot snapshot in store.List())
/// {
///     ExportedSnapshotArchive archive = await SnapshotArchive.ExportAsync(store, snapshot, ".kumo/archives", ct);
/// }
///
/// // On every other runner, after restoring .kumo/archives from the CI cache:
/// ImportedSnapshotArchive imported = await SnapshotArchive.ImportAsync(new SnapshotStore(".kumo/snapshots"), archivePath, cancellationToken: ct);
/// // KumoFixture / WithSnapshot() with KUMO_SNAPSHOT_DIR=.kumo/snapshots now restore it without seeding.
/// </code>
/// </example>
public static class SnapshotArchive
{
    /// <summary>The archive format version, recorded in the format entry. Bump it when the layout changes.</summary>
    public const int FormatVersion = 1;

    /// <summary>The start of every archive file name.</summary>
    public const string FileNamePrefix = "kumo-snapshot-";

    /// <summary>The end of every archive file name.</summary>
    public const string FileExtension = ".tar";

    /// <summary>The name of the first entry, which records the formats.</summary>
    public const string FormatEntryName = "kumo-snapshot-archive";

    private const int ProgressEvery = 100;
    private const UnixFileMode ReadOnlyMode = UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
    private static readonly TimeSpan PublishLockTimeout = SnapshotStore.DefaultLockTimeout;

    /// <summary>The archive file name of the snapshot with <paramref name="key"/>.</summary>
    /// <param name="key">A snapshot key (32 lowercase hex digits).</param>
    /// <returns><c>kumo-snapshot-&lt;key&gt;.tar</c>.</returns>
    public static string FileNameFor(string key)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(key);
        if (!SnapshotLayout.IsKey(key))
        {
            throw new ArgumentException($"'{key}' is not a snapshot key (32 lowercase hex digits).", nameof(key));
        }

        return FileNamePrefix + key + FileExtension;
    }

    /// <summary>
    /// Verifies <paramref name="snapshot"/> (every file's size and SHA-256) and writes it as one archive into
    /// <paramref name="outputDirectory"/>, atomically (a reader never sees a partial archive under the final name).
    /// </summary>
    /// <param name="store">The store that holds the snapshot (its lock keeps the snapshot from being pruned meanwhile).</param>
    /// <param name="snapshot">The snapshot, from <see cref="SnapshotStore.List"/>, <see cref="SnapshotStore.TryGet"/> or <see cref="SnapshotStore.GetOrBuildAsync"/>.</param>
    /// <param name="outputDirectory">Where to write the archive (created if missing); an archive of the same name is replaced.</param>
    /// <param name="cancellationToken">Cancels the export; the output directory then holds no new archive.</param>
    /// <returns>The archive written.</returns>
    /// <exception cref="SnapshotCorruptException">The snapshot does not match its manifest; nothing is exported.</exception>
    public static async Task<ExportedSnapshotArchive> ExportAsync(SnapshotStore store, Snapshot snapshot, string outputDirectory, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentException.ThrowIfNullOrWhiteSpace(outputDirectory);
        using FileLock reading = await FileLock.AcquireAsync(store.LockPathFor(snapshot.Key), exclusive: false, SnapshotStore.DefaultLockTimeout, $"export snapshot {snapshot.Key}", cancellationToken).ConfigureAwait(false);
        SnapshotManifest manifest = await Task.Run(() => SnapshotValidator.CheckContent(snapshot.Directory, cancellationToken), cancellationToken).ConfigureAwait(false);
        string output = Path.GetFullPath(outputDirectory);
        Directory.CreateDirectory(output);
        string path = Path.Combine(output, FileNameFor(manifest.Key));
        await AtomicFile.WriteAsync(path, (stream, ct) => WriteAsync(stream, snapshot.Directory, manifest, ct), cancellationToken).ConfigureAwait(false);
        return new ExportedSnapshotArchive(path, manifest.Key, manifest.Files.Count, manifest.TotalBytes);
    }

    /// <summary>
    /// Verifies the archive at <paramref name="archivePath"/> entry by entry and publishes its snapshot into
    /// <paramref name="store"/> with one atomic rename (see the remarks of <see cref="SnapshotArchive"/>).
    /// </summary>
    /// <param name="store">The store to publish into (its root is created if missing).</param>
    /// <param name="archivePath">The archive written by <see cref="ExportAsync"/>.</param>
    /// <param name="progress">Called as the import advances (for logs); null reports nothing.</param>
    /// <param name="cancellationToken">Cancels the import; nothing is then published.</param>
    /// <returns>The snapshot in the store and whether this call published it.</returns>
    /// <exception cref="SnapshotArchiveException">The archive is not a valid snapshot archive; the message names the entry and the problem.</exception>
    /// <exception cref="FileNotFoundException">There is no file at <paramref name="archivePath"/>.</exception>
    public static async Task<ImportedSnapshotArchive> ImportAsync(SnapshotStore store, string archivePath, Action<SnapshotImportProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentException.ThrowIfNullOrWhiteSpace(archivePath);
        string archive = Path.GetFullPath(archivePath);
        if (!File.Exists(archive))
        {
            throw new FileNotFoundException($"The snapshot archive '{archive}' does not exist. Fix: pass the file 'kumoctl snapshot export' wrote (kumo-snapshot-<key>.tar).", archive);
        }

        var clock = Stopwatch.StartNew();
        Directory.CreateDirectory(store.Root);
        store.SweepStale();
        string temporary = Path.Combine(store.Root, $"{AtomicFile.TemporaryPrefix}{Environment.ProcessId}-{Guid.NewGuid():N}-import");
        Directory.CreateDirectory(temporary);
        try
        {
            (string extracted, SnapshotManifest manifest) = await ExtractAsync(archive, temporary, progress, cancellationToken).ConfigureAwait(false);
            progress?.Invoke(new SnapshotImportProgress("verified", manifest.Files.Count, manifest.Files.Count));
            using FileLock publishing = await FileLock.AcquireAsync(store.LockPathFor(manifest.Key), exclusive: true, PublishLockTimeout, $"import snapshot {manifest.Key}", cancellationToken).ConfigureAwait(false);
            string final = Path.Combine(store.Root, manifest.Key);
            if (Directory.Exists(final))
            {
                try
                {
                    SnapshotManifest present = SnapshotValidator.CheckShape(final);
                    progress?.Invoke(new SnapshotImportProgress("already-present", manifest.Files.Count, manifest.Files.Count));
                    return new ImportedSnapshotArchive(new Snapshot(final, present, built: false), Published: false, clock.Elapsed);
                }
                catch (Exception ex) when (ex is SnapshotCorruptException or IOException)
                {
                    store.DiscardLocked(final, $"an import replaces it: {ex.Message}");
                }
            }

            Directory.Move(extracted, final);
            Fsync.Path(store.Root);
            progress?.Invoke(new SnapshotImportProgress("published", manifest.Files.Count, manifest.Files.Count));
            return new ImportedSnapshotArchive(new Snapshot(final, manifest, built: false), Published: true, clock.Elapsed);
        }
        finally
        {
            store.RemoveDirectory(temporary, reason: null);
        }
    }

    private static async Task WriteAsync(Stream stream, string snapshotDirectory, SnapshotManifest manifest, CancellationToken cancellationToken)
    {
        // Fixed metadata (times from the manifest, no owner names) so the same snapshot always gives the same bytes.
        DateTimeOffset time = manifest.CreatedUtc;
        await using var writer = new TarWriter(stream, TarEntryFormat.Gnu, leaveOpen: true);
        await WriteEntryAsync(writer, FormatEntryName, new MemoryStream(FormatEntryContent()), time, cancellationToken).ConfigureAwait(false);
        await using (var manifestFile = File.OpenRead(Path.Combine(snapshotDirectory, SnapshotLayout.ManifestFileName)))
        {
            await WriteEntryAsync(writer, ManifestEntryName(manifest.Key), manifestFile, time, cancellationToken).ConfigureAwait(false);
        }

        string data = Path.Combine(snapshotDirectory, SnapshotLayout.DataDirectoryName);
        foreach (SnapshotFile file in manifest.Files)
        {
            await using var content = new FileStream(ContainedPath.Combine(data, file.Path), FileMode.Open, FileAccess.Read, FileShare.Read, 81920, useAsync: true);
            if (content.Length != file.Size)
            {
                throw new SnapshotCorruptException(snapshotDirectory, SnapshotValidator.DataPath(file.Path), $"has {content.Length} bytes; the manifest says {file.Size}");
            }

            await WriteEntryAsync(writer, DataEntryPrefix(manifest.Key) + file.Path, content, time, cancellationToken).ConfigureAwait(false);
        }
    }

    private static Task WriteEntryAsync(TarWriter writer, string name, Stream content, DateTimeOffset time, CancellationToken cancellationToken)
    {
        var entry = new GnuTarEntry(TarEntryType.RegularFile, name)
        {
            DataStream = content,
            ModificationTime = time,
            AccessTime = time,
            ChangeTime = time,
            Mode = ReadOnlyMode,
            Uid = 0,
            Gid = 0,
            UserName = string.Empty,
            GroupName = string.Empty,
        };
        return writer.WriteEntryAsync(entry, cancellationToken);
    }

    private static async Task<(string Extracted, SnapshotManifest Manifest)> ExtractAsync(string archive, string temporary, Action<SnapshotImportProgress>? progress, CancellationToken cancellationToken)
    {
        await using var input = new FileStream(archive, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, useAsync: true);
        await using var reader = new TarReader(input, leaveOpen: true);
        try
        {
            TarEntry first = await NextAsync(reader, archive, "the format entry", cancellationToken).ConfigureAwait(false);
            await CheckFormatAsync(first, archive, cancellationToken).ConfigureAwait(false);

            TarEntry manifestEntry = await NextAsync(reader, archive, "the manifest entry '<key>/manifest.json'", cancellationToken).ConfigureAwait(false);
            (string extracted, SnapshotManifest manifest) = await ExtractManifestAsync(manifestEntry, archive, temporary, cancellationToken).ConfigureAwait(false);

            var pending = new Dictionary<string, SnapshotFile>(manifest.Files.Count, StringComparer.Ordinal);
            foreach (SnapshotFile file in manifest.Files)
            {
                pending.Add(file.Path, file);
            }

            string prefix = DataEntryPrefix(manifest.Key);
            string data = Path.Combine(extracted, SnapshotLayout.DataDirectoryName);
            Directory.CreateDirectory(data);
            var directories = new HashSet<string>(StringComparer.Ordinal) { data };
            var written = new List<string>(manifest.Files.Count);
            int done = 0;
            progress?.Invoke(new SnapshotImportProgress("extracting", 0, manifest.Files.Count));
            while (await reader.GetNextEntryAsync(copyData: false, cancellationToken).ConfigureAwait(false) is { } entry)
            {
                string relative = CheckDataEntry(entry, archive, prefix, manifest, pending, out SnapshotFile file);
                string target = ContainedPath.Combine(data, relative);
                string directory = Path.GetDirectoryName(target)!;
                if (directories.Add(directory))
                {
                    Directory.CreateDirectory(directory);
                }

                string sha256 = await CopyHashedAsync(entry, target, cancellationToken).ConfigureAwait(false);
                if (!string.Equals(sha256, file.Sha256, StringComparison.Ordinal))
                {
                    throw new SnapshotArchiveException(archive, entry.Name, $"has SHA-256 {sha256}; its manifest says {file.Sha256} (the archive was changed after export)");
                }

                SnapshotStore.MakeReadOnly(target);
                written.Add(target);
                pending.Remove(relative);
                done++;
                if (done % ProgressEvery == 0)
                {
                    progress?.Invoke(new SnapshotImportProgress("extracting", done, manifest.Files.Count));
                }
            }

            if (pending.Count > 0)
            {
                string missing = manifest.Files.First(f => pending.ContainsKey(f.Path)).Path;
                throw new SnapshotArchiveException(archive, prefix + missing, $"is listed in the manifest but missing from the archive ({pending.Count} file(s) missing; the archive is truncated)");
            }

            // Made durable together, in parallel (one fsync per file as it arrived would dominate the import).
            ParallelFiles.For(written.Count, i => Fsync.Path(written[i]), cancellationToken);
            foreach (string directory in directories)
            {
                Fsync.Path(directory);
            }

            Fsync.Path(extracted);
            SnapshotValidator.CheckShape(extracted);
            return (extracted, manifest);
        }
        catch (Exception ex) when (ex is InvalidDataException or EndOfStreamException or FormatException)
        {
            throw new SnapshotArchiveException(archive, null, $"is not a readable tar archive ({ex.GetType().Name}: {ex.Message})", ex);
        }
    }

    private static async Task<TarEntry> NextAsync(TarReader reader, string archive, string expected, CancellationToken cancellationToken)
        => await reader.GetNextEntryAsync(copyData: false, cancellationToken).ConfigureAwait(false)
           ?? throw new SnapshotArchiveException(archive, null, $"ends before {expected}; it is empty or not a kumo snapshot archive");

    private static async Task CheckFormatAsync(TarEntry entry, string archive, CancellationToken cancellationToken)
    {
        byte[] expected = FormatEntryContent();
        if (entry.Name != FormatEntryName || !IsRegularFile(entry))
        {
            throw new SnapshotArchiveException(archive, entry.Name, $"comes first where the regular file '{FormatEntryName}' is expected; this is not a kumo snapshot archive");
        }

        if (entry.Length > expected.Length * 4L || entry.DataStream is null)
        {
            throw new SnapshotArchiveException(archive, entry.Name, $"has {entry.Length} bytes, not the format line of archive format {FormatVersion}");
        }

        using var buffer = new MemoryStream();
        await entry.DataStream.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
        if (!buffer.ToArray().AsSpan().SequenceEqual(expected))
        {
            string found = Encoding.UTF8.GetString(buffer.ToArray()).Trim();
            throw new SnapshotArchiveException(archive, entry.Name, $"says '{found}', but this version reads only '{Encoding.UTF8.GetString(expected).Trim()}' (export and import with the same Kumo version)");
        }
    }

    private static async Task<(string Extracted, SnapshotManifest Manifest)> ExtractManifestAsync(TarEntry entry, string archive, string temporary, CancellationToken cancellationToken)
    {
        string name = entry.Name;
        int slash = name.IndexOf('/', StringComparison.Ordinal);
        string key = slash < 0 ? string.Empty : name[..slash];
        if (!IsRegularFile(entry) || !SnapshotLayout.IsKey(key) || name[(slash + 1)..] != SnapshotLayout.ManifestFileName)
        {
            throw new SnapshotArchiveException(archive, name, $"comes second where the regular file '<key>/{SnapshotLayout.ManifestFileName}' (a 32-hex-digit key) is expected");
        }

        string extracted = Path.Combine(temporary, key);
        Directory.CreateDirectory(extracted);
        string path = Path.Combine(extracted, SnapshotLayout.ManifestFileName);
        await CopyHashedAsync(entry, path, cancellationToken).ConfigureAwait(false);
        Fsync.Path(path);
        try
        {
            return (extracted, ManifestCodec.Read(extracted));
        }
        catch (SnapshotCorruptException ex)
        {
            throw new SnapshotArchiveException(archive, name, $"is not a valid manifest: {ex.Message}", ex);
        }
    }

    private static string CheckDataEntry(TarEntry entry, string archive, string prefix, SnapshotManifest manifest, Dictionary<string, SnapshotFile> pending, out SnapshotFile file)
    {
        string name = entry.Name;
        if (Path.IsPathRooted(name) || name.StartsWith('/') || name.Contains('\\', StringComparison.Ordinal))
        {
            throw new SnapshotArchiveException(archive, name, "is an absolute path or uses '\\'; every entry must be a relative path inside the snapshot");
        }

        if (name.Split('/').Any(segment => segment is ".." or "."))
        {
            throw new SnapshotArchiveException(archive, name, "has a '.' or '..' segment and would leave the snapshot directory (path traversal)");
        }

        if (!IsRegularFile(entry))
        {
            throw new SnapshotArchiveException(archive, name, $"is a {entry.EntryType} entry{(string.IsNullOrEmpty(entry.LinkName) ? string.Empty : $" to '{entry.LinkName}'")}; a snapshot archive holds only regular files");
        }

        if (!name.StartsWith(prefix, StringComparison.Ordinal))
        {
            throw new SnapshotArchiveException(archive, name, $"is outside '{prefix}', the data directory of snapshot {manifest.Key}");
        }

        string relative = name[prefix.Length..];
        if (!pending.TryGetValue(relative, out SnapshotFile? listed))
        {
            bool known = manifest.Files.Any(f => f.Path == relative);
            throw new SnapshotArchiveException(archive, name, known ? "appears twice" : "is not listed in the manifest (an extra file)");
        }

        if (entry.Length != listed.Size)
        {
            throw new SnapshotArchiveException(archive, name, string.Create(CultureInfo.InvariantCulture, $"has {entry.Length} bytes; its manifest says {listed.Size}"));
        }

        file = listed;
        return relative;
    }

    /// <summary>Copies an entry's content into a new file and returns its SHA-256 (the caller fsyncs it).</summary>
    private static async Task<string> CopyHashedAsync(TarEntry entry, string target, CancellationToken cancellationToken)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        await using (var output = new FileStream(target, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, useAsync: true))
        {
            if (entry.DataStream is { } content)
            {
                byte[] buffer = new byte[81920];
                int read;
                while ((read = await content.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
                {
                    sha.AppendData(buffer, 0, read);
                    await output.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                }
            }
        }

        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }

    private static bool IsRegularFile(TarEntry entry) => entry.EntryType is TarEntryType.RegularFile or TarEntryType.V7RegularFile;

    private static byte[] FormatEntryContent() => Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"kumo-snapshot-archive {FormatVersion}\nsnapshot-format {SnapshotStore.FormatVersion}\n"));

    private static string ManifestEntryName(string key) => key + "/" + SnapshotLayout.ManifestFileName;

    private static string DataEntryPrefix(string key) => key + "/" + SnapshotLayout.DataDirectoryName + "/";
}
