using System.Formats.Tar;
using Kumo.Engines;
using Kumo.Storage;

namespace Kumo.Snapshots.Tests.Snapshots;

/// <summary>Export → import → restore across stores, and archives that must be refused.</summary>
public sealed class SnapshotArchiveTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Export_then_import_then_restore_round_trips_byte_exact_and_an_engine_serves_it()
    {
        using var source = new StoreFixture("export");
        Snapshot built = await source.Store.GetOrBuildAsync(source.Request(objects: 4), Ct);
        string archives = source.Directory.Sub("archives");

        ExportedSnapshotArchive exported = await SnapshotArchive.ExportAsync(source.Store, built, archives, Ct);
        byte[] firstBytes = await File.ReadAllBytesAsync(exported.Path, Ct);
        ExportedSnapshotArchive again = await SnapshotArchive.ExportAsync(source.Store, built, archives, Ct);

        Assert.Equal(SnapshotArchive.FileNameFor(built.Key), Path.GetFileName(exported.Path));
        Assert.Equal(built.Manifest.Files.Count, exported.Files);
        Assert.Equal(firstBytes, await File.ReadAllBytesAsync(again.Path, Ct)); // same snapshot, same bytes: cacheable
        Assert.Equal([exported.Path], Directory.GetFiles(archives)); // no temporary file left beside it

        using var target = new TempDirectory("import");
        var store = new SnapshotStore(target.Sub("store"));
        var phases = new List<string>();
        ImportedSnapshotArchive imported = await SnapshotArchive.ImportAsync(store, exported.Path, p => phases.Add(p.Phase), Ct);

        Assert.True(imported.Published);
        Assert.Equal(["extracting", "verified", "published"], phases.Distinct());
        Assert.Equal(built.Manifest.BuildId, imported.Snapshot.Manifest.BuildId);
        Assert.Equal(await File.ReadAllBytesAsync(Path.Combine(built.Directory, "manifest.json"), Ct), await File.ReadAllBytesAsync(Path.Combine(imported.Snapshot.Directory, "manifest.json"), Ct));
        Assert.Equal(imported.Snapshot.Key, Assert.Single(store.List()).Key);
        Assert.Empty(Directory.GetFileSystemEntries(store.Root, AtomicFile.TemporaryPrefix + "*"));
        await store.ValidateAsync(imported.Snapshot, TestEngines.Embedded, Ct);

        // The importing store finds it by key for the same request: no build, no seed.
        Snapshot found = await store.GetOrBuildAsync(source.Request(objects: 4), Ct);
        Assert.False(found.Built);
        Assert.Equal(1, source.Seeds);

        RestoredDataDir restored = await store.RestoreAsync(found, target.Sub("w0/data"), Ct);
        foreach (SnapshotFile file in built.Manifest.Files)
        {
            Assert.Equal(await File.ReadAllBytesAsync(Path.Combine(built.DataDirectory, file.Path), Ct), await File.ReadAllBytesAsync(Path.Combine(restored.Path, file.Path), Ct));
        }

        Assert.Equal(built.Manifest.Files.Select(f => f.Path), Directory.EnumerateFiles(restored.Path, "*", SearchOption.AllDirectories).Select(p => Path.GetRelativePath(restored.Path, p)).Order(StringComparer.Ordinal));
        await using RunningEngine engine = await EngineProcess.StartAsync(TestEngines.Embedded, TestEngines.Options(restored.Path, target.Sub("w0/engine.log")), Ct);
        Assert.Equal(["obj-000", "obj-001", "obj-002", "obj-003"], await TestS3.ListKeysAsync(engine.Endpoint, Ct));
        Assert.Equal(TestS3.Body(3, "plan-a/1"), await TestS3.GetAsync(engine.Endpoint, "obj-003", Ct));
    }

    [Fact]
    public async Task Concurrent_imports_of_one_archive_publish_one_snapshot()
    {
        using var source = new StoreFixture("concurrent");
        Snapshot built = await source.Store.GetOrBuildAsync(source.Request(objects: 3), Ct);
        ExportedSnapshotArchive exported = await SnapshotArchive.ExportAsync(source.Store, built, source.Directory.Sub("archives"), Ct);
        var store = new SnapshotStore(source.Directory.Sub("other-store"));

        ImportedSnapshotArchive[] results = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => Task.Run(() => SnapshotArchive.ImportAsync(store, exported.Path, cancellationToken: Ct), Ct)));

        Assert.Single(results, r => r.Published);
        Assert.All(results, r => Assert.Equal(built.Key, r.Snapshot.Key));
        Assert.Equal(built.Key, Assert.Single(store.List()).Key);
        Assert.Empty(Directory.GetFileSystemEntries(store.Root, AtomicFile.TemporaryPrefix + "*"));
        await store.ValidateAsync(Assert.Single(store.List()), TestEngines.Embedded, Ct);
    }

    public static TheoryData<string> Tampering => ["changed-byte", "extra-file", "traversal-in-data", "traversal-at-top", "absolute-path", "symlink", "missing-file", "other-format", "not-an-archive"];

    [Theory]
    [MemberData(nameof(Tampering))]
    public async Task A_tampered_archive_is_refused_naming_the_entry_and_nothing_is_published(string tampering)
    {
        using var source = new StoreFixture("tamper");
        Snapshot built = await source.Store.GetOrBuildAsync(source.Request(objects: 2), Ct);
        ExportedSnapshotArchive exported = await SnapshotArchive.ExportAsync(source.Store, built, source.Directory.Sub("archives"), Ct);
        string tampered = source.Directory.Sub("tampered.tar");
        string outside = source.Directory.Sub("escaped.txt");
        string key = built.Key;
        string victim = built.Manifest.Files.First(f => f.Path.StartsWith("s3-segments/", StringComparison.Ordinal)).Path;
        string victimEntry = $"{key}/data/{victim}";
        (string? expectedEntry, string expectedProblem) = tampering switch
        {
            "changed-byte" => (victimEntry, "SHA-256"),
            "extra-file" => ($"{key}/data/extra.bin", "not listed in the manifest"),
            "traversal-in-data" => ($"{key}/data/../../escaped.txt", "path traversal"),
            "traversal-at-top" => ("../escaped.txt", "path traversal"),
            "absolute-path" => (outside, "absolute path"),
            "symlink" => ($"{key}/data/link", "SymbolicLink"),
            "missing-file" => (victimEntry, "missing from the archive"),
            "other-format" => (SnapshotArchive.FormatEntryName, "this version reads only"),
            _ => ((string?)null, "not a readable tar archive"),
        };

        if (tampering == "not-an-archive")
        {
            byte[] bytes = await File.ReadAllBytesAsync(exported.Path, Ct);
            await File.WriteAllBytesAsync(tampered, bytes.AsMemory(0, 700), Ct); // cut inside the first header's data
        }
        else
        {
            await RewriteAsync(exported.Path, tampered, tampering, victimEntry, expectedEntry!);
        }

        var store = new SnapshotStore(source.Directory.Sub("target-store"));
        SnapshotArchiveException ex = await Assert.ThrowsAsync<SnapshotArchiveException>(() => SnapshotArchive.ImportAsync(store, tampered, cancellationToken: Ct));

        Assert.Equal(expectedEntry, ex.Entry);
        Assert.Contains(expectedProblem, ex.Message, StringComparison.Ordinal);
        Assert.Contains("Nothing was published", ex.Message, StringComparison.Ordinal);
        Assert.Contains("kumoctl snapshot export", ex.Message, StringComparison.Ordinal);
        Assert.Empty(store.List());
        Assert.Empty(Directory.GetFileSystemEntries(store.Root, AtomicFile.TemporaryPrefix + "*"));
        Assert.False(File.Exists(outside), "nothing is written outside the store");
        Assert.Null(store.TryGet(source.Request(objects: 2)));

        // The untampered archive still imports into the same store afterwards.
        Assert.True((await SnapshotArchive.ImportAsync(store, exported.Path, cancellationToken: Ct)).Published);
    }

    /// <summary>Copies an archive entry by entry, changing it as <paramref name="tampering"/> says.</summary>
    private static async Task RewriteAsync(string from, string to, string tampering, string victimEntry, string added)
    {
        await using FileStream input = File.OpenRead(from);
        await using var reader = new TarReader(input);
        await using FileStream output = File.Create(to);
        await using var writer = new TarWriter(output, TarEntryFormat.Gnu);
        while (await reader.GetNextEntryAsync(copyData: true, Ct) is { } entry)
        {
            if (tampering == "other-format" && entry.Name == SnapshotArchive.FormatEntryName)
            {
                await writer.WriteEntryAsync(new GnuTarEntry(TarEntryType.RegularFile, entry.Name) { DataStream = new MemoryStream("kumo-snapshot-archive 99\nsnapshot-format 1\n"u8.ToArray()) }, Ct);
                continue;
            }

            if (entry.Name == victimEntry && tampering == "missing-file")
            {
                continue;
            }

            if (entry.Name == victimEntry && tampering == "changed-byte")
            {
                byte[] bytes = new byte[entry.Length];
                await entry.DataStream!.ReadExactlyAsync(bytes, Ct);
                bytes[bytes.Length / 2] ^= 0x20;
                await writer.WriteEntryAsync(new GnuTarEntry(TarEntryType.RegularFile, entry.Name) { DataStream = new MemoryStream(bytes) }, Ct);
                continue;
            }

            await writer.WriteEntryAsync(entry, Ct);
        }

        if (tampering is "extra-file" or "traversal-in-data" or "traversal-at-top" or "absolute-path")
        {
            await writer.WriteEntryAsync(new GnuTarEntry(TarEntryType.RegularFile, added) { DataStream = new MemoryStream("escaped"u8.ToArray()) }, Ct);
        }

        if (tampering == "symlink")
        {
            await writer.WriteEntryAsync(new GnuTarEntry(TarEntryType.SymbolicLink, added) { LinkName = "/etc/passwd" }, Ct);
        }
    }
}
