using System.Diagnostics;
using Kumo.Storage;

namespace Kumo.Snapshots.Tests.Snapshots;

public sealed class SnapshotMaintenanceTests
{
    [Fact]
    public async Task Prune_keeps_the_newest_N_removes_the_rest_and_skips_a_snapshot_being_read()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        using var fixture = new StoreFixture("prune");
        var snapshots = new List<Snapshot>();
        for (int i = 1; i <= 5; i++)
        {
            snapshots.Add(await fixture.Store.GetOrBuildAsync(fixture.Request(fixture: $"v{i}", objects: 1), ct));
        }

        string garbage = Path.Combine(fixture.Store.Root, new string('e', 32));
        Directory.CreateDirectory(garbage); // a key-shaped directory without a manifest
        using FileLock reader = FileLock.TryAcquire(Path.Combine(fixture.Store.Root, ".lock-" + snapshots[0].Key), exclusive: false)!;

        IReadOnlyList<string> removed = fixture.Store.Prune(keepNewest: 2);

        Assert.Equal([snapshots[4].Key, snapshots[3].Key], fixture.Store.List().Where(s => s.Key != snapshots[0].Key).Select(s => s.Key));
        Assert.Equal(new[] { snapshots[1].Key, snapshots[2].Key, garbage[^32..] }.Order(), removed.Order());
        Assert.True(Directory.Exists(snapshots[0].Directory), "a snapshot whose lock is held is never pruned");
        Assert.False(Directory.Exists(snapshots[1].Directory));
        Assert.False(Directory.Exists(garbage));
        Assert.Empty(Directory.GetDirectories(fixture.Store.Root, AtomicFile.TemporaryPrefix + "*"));

        reader.Dispose();
        Assert.Equal([snapshots[0].Key], fixture.Store.Prune(keepNewest: 2));
        Assert.Equal(2, fixture.Store.List().Count);
        Assert.Equal(5, fixture.Store.Prune(keepNewest: 0).Count + 3);
        Assert.Empty(fixture.Store.List());
    }

    [Fact]
    public async Task SweepStale_removes_temporary_directories_of_dead_processes_only()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        using var fixture = new StoreFixture("sweep");
        Directory.CreateDirectory(fixture.Store.Root);
        using Process finished = Process.Start("true")!;
        await finished.WaitForExitAsync(ct);
        string dead = Path.Combine(fixture.Store.Root, $".tmp-{finished.Id}-abc");
        string mine = Path.Combine(fixture.Store.Root, $".tmp-{Environment.ProcessId}-def");
        Directory.CreateDirectory(Path.Combine(dead, "data"));
        await File.WriteAllTextAsync(Path.Combine(dead, "data", "s3.json"), "{}", ct);
        Directory.CreateDirectory(mine);

        IReadOnlyList<string> removed = fixture.Store.SweepStale();

        Assert.Equal([dead], removed);
        Assert.False(Directory.Exists(dead));
        Assert.True(Directory.Exists(mine));
    }

    [Fact]
    public void Locks_are_exclusive_for_builders_and_shared_for_readers()
    {
        using var dir = new TempDirectory("locks");
        string path = dir.Sub(".lock-x");

        using (FileLock builder = FileLock.TryAcquire(path, exclusive: true)!)
        {
            Assert.NotNull(builder);
            Assert.Null(FileLock.TryAcquire(path, exclusive: true));
            Assert.Null(FileLock.TryAcquire(path, exclusive: false));
            Assert.Contains($"pid {Environment.ProcessId}", File.ReadAllText(path + ".owner"), StringComparison.Ordinal);
        }

        using FileLock reader1 = FileLock.TryAcquire(path, exclusive: false)!;
        using FileLock reader2 = FileLock.TryAcquire(path, exclusive: false)!;
        Assert.NotNull(reader1);
        Assert.NotNull(reader2);
        Assert.Null(FileLock.TryAcquire(path, exclusive: true));
    }

    [Fact]
    public async Task Waiting_for_a_held_lock_times_out_with_a_message_naming_the_holder()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        using var fixture = new StoreFixture("lock-timeout");
        SnapshotRequest request = fixture.Request() with { LockTimeout = TimeSpan.FromMilliseconds(300) };
        Directory.CreateDirectory(fixture.Store.Root);
        using FileLock held = FileLock.TryAcquire(Path.Combine(fixture.Store.Root, ".lock-" + fixture.Store.KeyFor(request)), exclusive: true)!;

        TimeoutException ex = await Assert.ThrowsAsync<TimeoutException>(() => fixture.Store.GetOrBuildAsync(request, ct));

        Assert.Contains($"pid {Environment.ProcessId}", ex.Message, StringComparison.Ordinal);
        Assert.Contains("LockTimeout", ex.Message, StringComparison.Ordinal);
        Assert.Equal(0, fixture.Seeds);
    }

    [Fact]
    public async Task Concurrent_requests_in_one_process_build_once()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        using var fixture = new StoreFixture("tasks");
        SnapshotRequest request = fixture.Request(objects: 2);

        Snapshot[] results = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => fixture.Store.GetOrBuildAsync(request, ct), ct)));

        Assert.Equal(1, fixture.Seeds);
        Assert.Single(results, s => s.Built);
        Assert.Single(results.Select(s => s.Manifest.BuildId).Distinct());
    }
}
