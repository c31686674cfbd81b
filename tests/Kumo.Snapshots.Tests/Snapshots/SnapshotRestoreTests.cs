using System.Diagnostics;
using Kumo.Engines;
using Kumo.Storage;

namespace Kumo.Snapshots.Tests.Snapshots;

public sealed class SnapshotRestoreTests
{
    [Theory]
    [InlineData(RestoreMode.Copy)]
    [InlineData(RestoreMode.HardLink)]
    public async Task Two_workers_restored_from_one_snapshot_see_its_data_and_not_each_others_writes(RestoreMode mode)
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        using var fixture = new StoreFixture("workers", mode);
        Snapshot snapshot = await fixture.Store.GetOrBuildAsync(fixture.Request(objects: 3), ct);

        RestoredDataDir first = await fixture.Store.RestoreAsync(snapshot, fixture.Directory.Sub("worker-1/data"), ct);
        RestoredDataDir second = await fixture.Store.RestoreAsync(snapshot, fixture.Directory.Sub("worker-2/data"), ct);

        Assert.Equal(snapshot.Manifest.Files.Count, first.Files);
        Assert.Equal(snapshot.Manifest.TotalBytes, second.Bytes);
        Assert.Equal(snapshot.Key, first.SnapshotKey);
        Assert.Equal(mode == RestoreMode.HardLink ? first.Files : 0, first.LinkedFiles);
        const UnixFileMode readOnly = UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
        Assert.All(snapshot.Manifest.Files, f => Assert.Equal(readOnly, File.GetUnixFileMode(Path.Combine(snapshot.DataDirectory, f.Path))));
        Assert.All(snapshot.Manifest.Files, f => Assert.Equal(
            mode == RestoreMode.HardLink ? readOnly : readOnly | UnixFileMode.UserWrite,
            File.GetUnixFileMode(Path.Combine(first.Path, f.Path))));

        await using RunningEngine a = await EngineProcess.StartAsync(TestEngines.Embedded, TestEngines.Options(first.Path, fixture.Directory.Sub("worker-1/engine.log")), ct);
        await using RunningEngine b = await EngineProcess.StartAsync(TestEngines.Embedded, TestEngines.Options(second.Path, fixture.Directory.Sub("worker-2/engine.log")), ct);
        string[] seeded = ["obj-000", "obj-001", "obj-002"];
        Assert.Equal(seeded, await TestS3.ListKeysAsync(a.Endpoint, ct));
        Assert.Equal(seeded, await TestS3.ListKeysAsync(b.Endpoint, ct));
        Assert.Equal(TestS3.Body(1, "plan-a/1"), await TestS3.GetAsync(b.Endpoint, "obj-001", ct));

        // Worker 1 overwrites a seeded object, deletes another and adds one; worker 2 sees none of it.
        using (var s3 = TestS3.Client(a.Endpoint))
        {
            await TestS3.PutAsync(s3, "obj-001", "changed by worker 1", ct);
            await TestS3.PutAsync(s3, "worker-1-only", "new", ct);
            await s3.DeleteObjectAsync(TestS3.Bucket, "obj-002", ct);
        }

        Assert.Equal(["obj-000", "obj-001", "worker-1-only"], await TestS3.ListKeysAsync(a.Endpoint, ct));
        Assert.Equal("changed by worker 1", await TestS3.GetAsync(a.Endpoint, "obj-001", ct));
        Assert.Equal(seeded, await TestS3.ListKeysAsync(b.Endpoint, ct));
        Assert.Equal(TestS3.Body(1, "plan-a/1"), await TestS3.GetAsync(b.Endpoint, "obj-001", ct));

        // After worker 1 flushed its changes to disk, the snapshot (and worker 2) are unchanged, byte for byte.
        Assert.True((await a.StopAsync(ct)).IsClean);
        Assert.True((await b.StopAsync(ct)).IsClean);
        await fixture.Store.ValidateAsync(snapshot, TestEngines.Embedded, ct);
        RestoredDataDir third = await fixture.Store.RestoreAsync(snapshot, fixture.Directory.Sub("worker-3/data"), ct);
        await using RunningEngine c = await EngineProcess.StartAsync(TestEngines.Embedded, TestEngines.Options(third.Path, fixture.Directory.Sub("worker-3/engine.log")), ct);
        Assert.Equal(seeded, await TestS3.ListKeysAsync(c.Endpoint, ct));
        Assert.Equal(1, fixture.Seeds);
    }

    [Fact]
    public async Task A_corrupted_file_is_detected_on_restore_naming_the_file_and_the_snapshot_is_rebuilt()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        using var fixture = new StoreFixture("corrupt");
        SnapshotRequest request = fixture.Request(objects: 2);
        Snapshot snapshot = await fixture.Store.GetOrBuildAsync(request, ct);
        string victim = snapshot.Manifest.Files.First(f => f.Path.StartsWith("s3-segments/", StringComparison.Ordinal)).Path;
        string victimPath = Path.Combine(snapshot.DataDirectory, victim);
        byte[] bytes = await File.ReadAllBytesAsync(victimPath, ct);
        bytes[bytes.Length / 2] ^= 0x20; // same size, different content: only the hash can tell
        StoreFixture.Tamper(victimPath, bytes);
        Assert.NotNull(fixture.Store.TryGet(request)); // the cheap shape check cannot see it

        SnapshotCorruptException ex = await Assert.ThrowsAsync<SnapshotCorruptException>(() => fixture.Store.RestoreAsync(snapshot, fixture.Directory.Sub("w1/data"), ct));

        Assert.Equal("data/" + victim, ex.File);
        Assert.Contains("data/" + victim, ex.Message, StringComparison.Ordinal);
        Assert.Contains("SHA-256", ex.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(fixture.Directory.Sub("w1/data")), "a failed restore leaves no target behind");
        Assert.Empty(Directory.GetFileSystemEntries(fixture.Directory.Sub("w1")));
        Assert.False(Directory.Exists(snapshot.Directory), "the corrupt snapshot is discarded");

        RestoredDataDir restored = await fixture.Store.RestoreAsync(request, fixture.Directory.Sub("w1/data"), ct);

        Assert.Equal(2, fixture.Seeds);
        Snapshot rebuilt = Assert.Single(fixture.Store.List());
        Assert.NotEqual(snapshot.Manifest.BuildId, rebuilt.Manifest.BuildId);
        Assert.Equal(rebuilt.Key, restored.SnapshotKey);
        Assert.Equal(
            await File.ReadAllBytesAsync(Path.Combine(rebuilt.DataDirectory, victim), ct),
            await File.ReadAllBytesAsync(Path.Combine(restored.Path, victim), ct));
    }

    [Fact]
    public async Task Missing_truncated_or_extra_files_make_the_snapshot_absent_and_it_is_rebuilt()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        using var fixture = new StoreFixture("shape");
        SnapshotRequest request = fixture.Request(objects: 2);

        Snapshot original = await fixture.Store.GetOrBuildAsync(request, ct);
        File.Delete(Path.Combine(original.DataDirectory, original.Manifest.Files[0].Path));
        SnapshotCorruptException missing = await Assert.ThrowsAsync<SnapshotCorruptException>(() => fixture.Store.ValidateAsync(original, TestEngines.Embedded, ct));
        Snapshot afterMissing = await fixture.Store.GetOrBuildAsync(request, ct);

        StoreFixture.Tamper(Path.Combine(afterMissing.DataDirectory, "s3.json"), "{"u8.ToArray());
        Snapshot afterTruncated = await fixture.Store.GetOrBuildAsync(request, ct);

        await File.WriteAllTextAsync(Path.Combine(afterTruncated.DataDirectory, "stray.json"), "{}", ct);
        SnapshotCorruptException extra = await Assert.ThrowsAsync<SnapshotCorruptException>(() => fixture.Store.ValidateAsync(afterTruncated, TestEngines.Embedded, ct));
        Snapshot afterExtra = await fixture.Store.GetOrBuildAsync(request, ct);

        Assert.Contains("missing", missing.Message, StringComparison.Ordinal);
        Assert.Equal("data/" + original.Manifest.Files[0].Path, missing.File);
        Assert.Equal("data/stray.json", extra.File);
        Assert.Contains("not listed", extra.Message, StringComparison.Ordinal);
        Assert.All([afterMissing, afterTruncated, afterExtra], s => Assert.True(s.Built));
        Assert.Equal(4, fixture.Seeds);
        await fixture.Store.ValidateAsync(afterExtra, TestEngines.Embedded, ct);
    }

    [Fact]
    public async Task Restore_refuses_a_target_that_is_not_empty_and_accepts_an_empty_one()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        using var fixture = new StoreFixture("target");
        Snapshot snapshot = await fixture.Store.GetOrBuildAsync(fixture.Request(objects: 1), ct);
        string occupied = fixture.Directory.Sub("occupied");
        Directory.CreateDirectory(occupied);
        await File.WriteAllTextAsync(Path.Combine(occupied, "keep.txt"), "mine", ct);
        string empty = fixture.Directory.Sub("empty");
        Directory.CreateDirectory(empty);

        IOException ex = await Assert.ThrowsAsync<IOException>(() => fixture.Store.RestoreAsync(snapshot, occupied, ct));
        RestoredDataDir restored = await fixture.Store.RestoreAsync(snapshot, empty, ct);

        Assert.Contains(occupied, ex.Message, StringComparison.Ordinal);
        Assert.Contains("not empty", ex.Message, StringComparison.Ordinal);
        Assert.Equal("mine", await File.ReadAllTextAsync(Path.Combine(occupied, "keep.txt"), ct));
        Assert.Equal(empty, restored.Path);
        Assert.True(File.Exists(Path.Combine(empty, "s3.json")));
        Assert.Empty(Directory.GetDirectories(fixture.Directory.Path, AtomicFile.TemporaryPrefix + "*"));
    }

    [Fact]
    public async Task Restore_timings_against_cp_r_are_reported()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        using var fixture = new StoreFixture("timing");
        Snapshot snapshot = await fixture.Store.GetOrBuildAsync(fixture.Request(objects: 200), ct);

        var results = new List<string>();
        for (int round = 0; round < 3; round++)
        {
            RestoredDataDir copy = await fixture.Store.RestoreAsync(snapshot, fixture.Directory.Sub($"copy-{round}"), RestoreMode.Copy, ct);
            RestoredDataDir link = await fixture.Store.RestoreAsync(snapshot, fixture.Directory.Sub($"link-{round}"), RestoreMode.HardLink, ct);
            var clock = Stopwatch.StartNew();
            using Process cp = Process.Start("cp", ["-r", snapshot.DataDirectory, fixture.Directory.Sub($"cp-{round}")]);
            await cp.WaitForExitAsync(ct);
            double cpMs = clock.Elapsed.TotalMilliseconds;

            Assert.Equal(0, cp.ExitCode);
            Assert.Equal(snapshot.Manifest.Files.Count, copy.Files);
            Assert.Equal(copy.Files, link.LinkedFiles);
            results.Add($"round {round}: restore copy {copy.Elapsed.TotalMilliseconds:0.0} ms, restore hard-link {link.Elapsed.TotalMilliseconds:0.0} ms, cp -r {cpMs:0.0} ms ({copy.Files} files, {copy.Bytes} bytes, hashes checked by restore only)");
        }

        TestContext.Current.SendDiagnosticMessage(string.Join('\n', results));
        Console.WriteLine(string.Join('\n', results));
    }
}
