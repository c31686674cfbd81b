using System.Security.Cryptography;
using Kumo.Embedded.S3;
using Microsoft.Extensions.Logging.Abstractions;

namespace Kumo.Embedded.Tests.S3;

/// <summary>
/// The segment store of small bodies on real files: compaction keeps live bodies byte-identical, a reader
/// keeps a compacted segment readable, and a restart after a compaction cut short (or a torn copy) serves
/// every body whole.
/// </summary>
public sealed class BodySegmentTests : IDisposable
{
    private const int BodyBytes = 60 * 1024;

    // Enough 60 KiB bodies to fill the first segment and start a second one.
    private static readonly int Count = (int)(BodySegments.MaxSegmentBytes / (BodyBytes + BodySegments.HeaderSize)) + 40;

    private readonly string _root = TestEngine.NewDataDir();

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <param name="legacy">Name each body by its SHA-256, as versions before <see cref="ContentKey"/> did.</param>
    private static (string Id, byte[] Body)[] Bodies(int count, int seed, bool legacy = false)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, count).Select(_ =>
        {
            byte[] body = new byte[BodyBytes];
            random.NextBytes(body);
            return (legacy ? Convert.ToHexStringLower(SHA256.HashData(body)) : ContentKey.Of(body, out byte[] _, out BodyKey _), body);
        })];
    }

    /// <summary>The body behind the header room <see cref="BodySegments.TryAppend"/> writes its header into.</summary>
    private static byte[] Framed(byte[] body) => [.. new byte[BodySegments.HeaderSize], .. body];

    private static byte[] Read(BodySegments segments, string id)
    {
        using StoredBody stored = segments.TryOpen(id) ?? throw new Xunit.Sdk.XunitException($"{id} is not stored");
        byte[] copy = new byte[stored.Length];
        Assert.Equal(copy.Length, stored.Read(copy, 0));
        return copy;
    }

    private string[] SegmentFiles() => [.. Directory.GetFiles(Path.Combine(_root, BodySegments.DirectoryName)).Order(StringComparer.Ordinal)];

    [Fact]
    public async Task Compaction_moves_the_live_bodies_byte_identical_and_removes_the_segment()
    {
        (string Id, byte[] Body)[] bodies = Bodies(Count, seed: 1);
        using (var segments = new BodySegments(_root, durable: true, NullLogger.Instance))
        {
            foreach ((string id, byte[] body) in bodies)
            {
                Assert.True(segments.TryAppend(id, Framed(body)));
            }

            Assert.False(segments.TryAppend(bodies[0].Id, Framed(bodies[0].Body))); // stored once
            string first = SegmentFiles()[0];
            Assert.Equal(2, segments.SegmentCount);

            // A reader of a body that is released and compacted away still reads it whole.
            StoredBody held = segments.TryOpen(bodies[1].Id)!;
            for (int i = 1; i < Count; i += 3)
            {
                Assert.True(segments.Remove(bodies[i].Id));
            }

            for (int i = 0; i < Count; i += 3)
            {
                Assert.True(segments.Remove(bodies[i].Id));
            }

            await segments.WhenIdleAsync().WaitAsync(TimeSpan.FromSeconds(30), Ct);
            Assert.DoesNotContain(first, SegmentFiles());
            using (held)
            {
                byte[] copy = new byte[held.Length];
                Assert.Equal(copy.Length, held.Read(copy, 0));
                Assert.Equal(bodies[1].Body, copy);
            }

            for (int i = 2; i < Count; i += 3)
            {
                Assert.Equal(bodies[i].Body, Read(segments, bodies[i].Id));
            }

            segments.Sync();
        }

        // And after a restart, from the headers alone.
        using var reloaded = new BodySegments(_root, durable: true, NullLogger.Instance);
        for (int i = 2; i < Count; i += 3)
        {
            Assert.Equal(bodies[i].Body, Read(reloaded, bodies[i].Id));
        }
    }

    [Fact]
    public async Task Compaction_copies_into_a_segment_of_its_own_and_leaves_the_active_one_to_requests()
    {
        (string Id, byte[] Body)[] bodies = Bodies(Count, seed: 3);
        int extent = BodySegments.HeaderSize + BodyBytes;
        int inFirst = (int)(BodySegments.MaxSegmentBytes / extent);
        using var segments = new BodySegments(_root, durable: true, NullLogger.Instance);
        foreach ((string id, byte[] body) in bodies)
        {
            Assert.True(segments.TryAppend(id, Framed(body)));
        }

        // The lanes' buffers written, as the journal does before it writes records.
        segments.Flush();
        string[] before = SegmentFiles();
        Assert.Equal(2, before.Length);
        string active = before[1];
        long activeLength = new FileInfo(active).Length;
        Assert.Equal((Count - inFirst) * (long)extent, activeLength);

        for (int i = 0; i < inFirst; i++)
        {
            if (i % 3 != 0)
            {
                Assert.True(segments.Remove(bodies[i].Id));
            }
        }

        await segments.WhenIdleAsync().WaitAsync(TimeSpan.FromSeconds(30), Ct);
        string[] after = SegmentFiles();
        Assert.DoesNotContain(before[0], after);

        // Nothing was appended to the segment requests append to; the copies went to a new one.
        Assert.Equal(activeLength, new FileInfo(active).Length);
        string target = Assert.Single(after, f => !before.Contains(f));
        long kept = (inFirst + 2) / 3;
        long targetLength = new FileInfo(target).Length;
        Assert.True(targetLength >= kept * extent && targetLength % extent == 0, $"{target} has {targetLength} bytes; expected whole copies of at least the {kept} kept bodies");

        // A new body still goes to the active segment, and every kept body reads byte-identical.
        byte[] late = new byte[BodyBytes];
        new Random(4).NextBytes(late);
        Assert.True(segments.TryAppend(ContentKey.Of(late, out _, out _), Framed(late)));
        segments.Flush();
        Assert.Equal(activeLength + extent, new FileInfo(active).Length);
        for (int i = 0; i < Count; i++)
        {
            if (i >= inFirst || i % 3 == 0)
            {
                Assert.Equal(bodies[i].Body, Read(segments, bodies[i].Id));
            }
        }
    }

    [Fact]
    public void Appends_wait_in_their_lane_until_a_read_a_flush_or_a_full_buffer_writes_them()
    {
        // 60 KiB bodies: four fill a lane's buffer (256 KiB), so the fifth writes those four in one write.
        (string Id, byte[] Body)[] bodies = Bodies(10, seed: 13);
        int extent = BodySegments.HeaderSize + BodyBytes;
        using var segments = new BodySegments(_root, durable: false, NullLogger.Instance);
        Assert.True(segments.TryAppend(bodies[0].Id, Framed(bodies[0].Body)));
        string file = Assert.Single(SegmentFiles());
        Assert.Equal(0, new FileInfo(file).Length);

        // A reader opening a buffered body writes the buffer first.
        Assert.Equal(bodies[0].Body, Read(segments, bodies[0].Id));
        Assert.Equal(extent, new FileInfo(file).Length);

        // One writer, so one lane: bodies 1-4 wait, 5 writes them, 6-8 wait, 9 writes 5-8 and waits.
        for (int i = 1; i < bodies.Length; i++)
        {
            Assert.True(segments.TryAppend(bodies[i].Id, Framed(bodies[i].Body)));
        }

        Assert.Equal(9L * extent, new FileInfo(file).Length);
        segments.Flush();
        Assert.Equal(10L * extent, new FileInfo(file).Length);
        foreach ((string id, byte[] body) in bodies)
        {
            Assert.Equal(body, Read(segments, id));
        }
    }

    [Fact]
    public async Task A_sequential_writer_keeps_to_one_segment_while_the_journal_flushes_its_lane()
    {
        // The journal writes the lanes' buffers every millisecond; a writer finding its lane held for that waits
        // instead of opening a second segment (a snapshot of a seeded store is then one segment, as before buffers).
        (string Id, byte[] Body)[] bodies = Bodies(200, seed: 19);
        using var segments = new BodySegments(_root, durable: true, NullLogger.Instance);
        using var done = new CancellationTokenSource();
        int flushes = 0;
        Task journal = Task.Run(() =>
        {
            while (!done.IsCancellationRequested)
            {
                segments.Flush();
                flushes++;
            }
        }, Ct);

        foreach ((string id, byte[] body) in bodies)
        {
            Assert.True(segments.TryAppend(id, Framed(body)));
        }

        await done.CancelAsync();
        await journal.WaitAsync(TimeSpan.FromSeconds(30), Ct);
        Assert.True(flushes > 0);
        Assert.True(SegmentFiles().Length == 1, string.Join(", ", SegmentFiles().Select(f => $"{Path.GetFileName(f)}: {new FileInfo(f).Length}")));
        foreach ((string id, byte[] body) in bodies)
        {
            Assert.Equal(body, Read(segments, id));
        }
    }

    [Fact]
    public async Task A_sealed_segment_with_nothing_live_is_removed_without_a_copy_and_the_live_ones_stay_readable()
    {
        (string Id, byte[] Body)[] bodies = Bodies(Count, seed: 17);
        int inFirst = (int)(BodySegments.MaxSegmentBytes / (BodySegments.HeaderSize + BodyBytes));
        using var segments = new BodySegments(_root, durable: true, NullLogger.Instance);
        foreach ((string id, byte[] body) in bodies)
        {
            Assert.True(segments.TryAppend(id, Framed(body)));
        }

        string[] before = SegmentFiles();
        Assert.Equal(2, before.Length);

        // The first segment's bodies released in one step (as a load drops unreferenced bodies), so compaction finds it
        // with nothing live. Released one by one, a compaction could start once half were gone and copy the rest.
        HashSet<string> inFirstSegment = [.. bodies.Take(inFirst).Select(b => b.Id)];
        Assert.Equal(inFirst, segments.RemoveUnreferenced(id => !inFirstSegment.Contains(id.ToString())));
        segments.CompactWhereWorthIt();
        await segments.WhenIdleAsync().WaitAsync(TimeSpan.FromSeconds(30), Ct);
        Assert.Equal([before[1]], SegmentFiles()); // no copy was needed, so no compaction target was created
        Assert.Equal(1, segments.SegmentCount);
        for (int i = inFirst; i < Count; i++)
        {
            Assert.Equal(bodies[i].Body, Read(segments, bodies[i].Id));
        }
    }

    [Fact]
    public void Bodies_no_object_names_are_released_by_their_hex_id()
    {
        (string Id, byte[] Body)[] bodies = Bodies(3, seed: 5);
        using var segments = new BodySegments(_root, durable: false, NullLogger.Instance);
        foreach ((string id, byte[] body) in bodies)
        {
            segments.TryAppend(id, Framed(body));
        }

        var asked = new List<string>();
        int removed = segments.RemoveUnreferenced(id =>
        {
            asked.Add(id.ToString());
            return id.SequenceEqual(bodies[1].Id);
        });

        Assert.Equal(2, removed);
        Assert.Equal(bodies.Select(b => b.Id).Order(StringComparer.Ordinal), asked.Order(StringComparer.Ordinal));
        Assert.Null(segments.TryOpen(bodies[0].Id));
        Assert.Null(segments.TryOpen(bodies[2].Id));
        Assert.Equal(bodies[1].Body, Read(segments, bodies[1].Id));
    }

    [Fact]
    public void Small_body_files_move_into_segments_and_a_move_cut_short_is_redone_from_the_files()
    {
        // The layout before segments: a file per body, named by its SHA-256. Three small bodies move; the large one keeps its file.
        (string Id, byte[] Body)[] bodies = Bodies(3, seed: 6, legacy: true);
        byte[] large = new byte[100_000];
        new Random(7).NextBytes(large);
        string largeId = Convert.ToHexStringLower(SHA256.HashData(large));
        string files = Path.Combine(_root, BlobStore.DirectoryName);
        string aside = Path.Combine(_root, "aside");
        Directory.CreateDirectory(files);
        Directory.CreateDirectory(aside);
        foreach ((string id, byte[] body) in bodies.Append((largeId, large)))
        {
            File.WriteAllBytes(Path.Combine(files, id), body);
            File.WriteAllBytes(Path.Combine(aside, id), body);
        }

        using (var blobs = new BlobStore(_root, durable: true, syncEachBlob: false, NullLogger.Instance))
        {
            Assert.Equal(3, blobs.MigrateSmallFiles());
            Assert.Equal([largeId], Directory.GetFiles(files).Select(Path.GetFileName));
            Assert.All(bodies, b => Assert.Equal(b.Body, Read(blobs, b.Id, b.Body.Length)));
        }

        // What a kill after the appends, before they reached the disk, can leave: every file still there, and the
        // segment holding a valid header over zeros for its first copy and ending inside its last one.
        string segment = Assert.Single(SegmentFiles());
        byte[] data = File.ReadAllBytes(segment);
        int extent = BodySegments.HeaderSize + BodyBytes;
        Array.Clear(data, BodySegments.HeaderSize, BodyBytes);
        File.WriteAllBytes(segment, data.AsSpan(0, (3 * extent) - 100).ToArray());
        foreach (string file in Directory.GetFiles(aside))
        {
            File.Copy(file, Path.Combine(files, Path.GetFileName(file)), overwrite: true);
        }

        using (var blobs = new BlobStore(_root, durable: true, syncEachBlob: false, NullLogger.Instance))
        {
            Assert.Equal(3, blobs.MigrateSmallFiles());
            Assert.All(bodies, b => Assert.Equal(b.Body, Read(blobs, b.Id, b.Body.Length)));
        }

        using var restarted = new BlobStore(_root, durable: true, syncEachBlob: false, NullLogger.Instance);
        Assert.Equal(0, restarted.MigrateSmallFiles());
        Assert.Equal([largeId], Directory.GetFiles(files).Select(Path.GetFileName));
        Assert.All(bodies, b => Assert.Equal(b.Body, Read(restarted, b.Id, b.Body.Length)));
        Assert.Equal(large, Read(restarted, largeId, large.Length));
    }

    private static byte[] Read(BlobStore blobs, string id, long size)
    {
        using StoredBody stored = blobs.OpenRead(id, size);
        byte[] copy = new byte[stored.Length];
        Assert.Equal(copy.Length, stored.Read(copy, 0));
        return copy;
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)] // extents written by a version that named bodies by their SHA-256
    public void A_restart_after_a_compaction_cut_short_serves_every_body_whole(bool legacy)
    {
        (string Id, byte[] Body)[] bodies = Bodies(40, seed: 2, legacy);
        using (var segments = new BodySegments(_root, durable: true, NullLogger.Instance))
        {
            foreach ((string id, byte[] body) in bodies)
            {
                segments.TryAppend(id, Framed(body));
            }

            segments.Sync();
        }

        // What a kill (or a power loss) during compactions leaves: the old segment, one whose first copy's
        // bytes never reached the disk (a valid header over zeros) and whose last copy is torn (the file
        // ends inside it), and a later one holding whole copies of the first ten extents.
        string original = Assert.Single(SegmentFiles());
        byte[] data = File.ReadAllBytes(original);
        int extent = BodySegments.HeaderSize + BodyBytes;
        string folder = Path.GetDirectoryName(original)!;
        byte[] lost = data.AsSpan(0, 2 * extent).ToArray();
        Array.Clear(lost, BodySegments.HeaderSize, BodyBytes);
        File.WriteAllBytes(Path.Combine(folder, "segment-2"), [.. lost, .. data.AsSpan(2 * extent, extent - 100).ToArray()]);
        File.WriteAllBytes(Path.Combine(folder, "segment-3"), data.AsSpan(0, 10 * extent).ToArray());

        using (var reloaded = new BodySegments(_root, durable: true, NullLogger.Instance))
        {
            Assert.All(bodies, b => Assert.Equal(b.Body, Read(reloaded, b.Id)));

            // The same state with the original segment gone (the compaction had finished): the whole copies serve.
            Assert.Equal(3, reloaded.SegmentCount);
        }

        File.Delete(original);
        using var after = new BodySegments(_root, durable: true, NullLogger.Instance);
        for (int i = 0; i < 10; i++)
        {
            Assert.Equal(bodies[i].Body, Read(after, bodies[i].Id));
        }

        Assert.Null(after.TryOpen(bodies[39].Id));
    }

    [Fact]
    public async Task Concurrent_appends_use_segments_of_their_own_and_every_body_survives_a_restart_whole()
    {
        // Four writers append 300 bodies (each body twice, from two writers at once, so some pairs race through two
        // lanes); then half are removed and compaction runs.
        (string Id, byte[] Body)[] bodies = Bodies(300, seed: 11);
        int extent = BodySegments.HeaderSize + BodyBytes;
        using (var segments = new BodySegments(_root, durable: true, NullLogger.Instance))
        {
            using var start = new Barrier(4);
            int stored = 0;
            Task[] writers = [.. Enumerable.Range(0, 4).Select(w => Task.Run(() =>
            {
                start.SignalAndWait(Ct);
                for (int i = w % 2; i < bodies.Length; i += 2)
                {
                    if (segments.TryAppend(bodies[i].Id, Framed(bodies[i].Body)))
                    {
                        Interlocked.Increment(ref stored);
                    }
                }
            }, Ct))];
            await Task.WhenAll(writers).WaitAsync(TimeSpan.FromSeconds(60), Ct);

            Assert.Equal(bodies.Length, stored); // each body stored once, whichever writer won
            foreach (string file in SegmentFiles())
            {
                Assert.Equal(0, new FileInfo(file).Length % extent); // whole extents only: one writer per segment at a time
            }

            for (int i = 0; i < bodies.Length; i += 2)
            {
                Assert.True(segments.Remove(bodies[i].Id));
            }

            await segments.WhenIdleAsync().WaitAsync(TimeSpan.FromSeconds(30), Ct);
            for (int i = 1; i < bodies.Length; i += 2)
            {
                Assert.Equal(bodies[i].Body, Read(segments, bodies[i].Id));
            }
        }

        using var reloaded = new BodySegments(_root, durable: true, NullLogger.Instance);
        for (int i = 0; i < bodies.Length; i++)
        {
            if (i % 2 == 1)
            {
                Assert.Equal(bodies[i].Body, Read(reloaded, bodies[i].Id));
            }
        }
    }
}
