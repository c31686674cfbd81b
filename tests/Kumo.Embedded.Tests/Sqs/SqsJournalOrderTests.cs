using System.Text.Json;
using Kumo.Embedded.Persistence;
using Kumo.Embedded.Sqs;
using Microsoft.Extensions.Logging.Abstractions;

namespace Kumo.Embedded.Tests.Sqs;

/// <summary>
/// The journal's order is the order of the mutations: with sends, receives and deletes racing on four threads and a
/// checkpoint in the middle, replaying the checkpoint and the journal after it rebuilds exactly the live queue (a record
/// appended out of order would delete a message before it exists, or bring a deleted one back; a mutation that appended
/// its record after leaving the state lock failed this test every time).
/// </summary>
public sealed class SqsJournalOrderTests : IDisposable
{
    private readonly string _dataDir = TestEngine.NewDataDir();

    public void Dispose() => Directory.Delete(_dataDir, recursive: true);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Replay_after_racing_mutations_and_a_checkpoint_rebuilds_the_live_queue()
    {
        var store = new SqsStore(TimeProvider.System);
        await using var journal = new Journal(_dataDir, "sqs", 1, KumoDurability.Flush, TimeSpan.FromSeconds(1), new JournalHooks(), NullLogger.Instance);
        journal.Start();
        store.Attach(journal);
        store.CreateQueue("order", [], []);

        byte[]? checkpoint = null;
        long replayFrom = 0;
        using var start = new Barrier(5);
        using var halfway = new CountdownEvent(4);
        using var checkpointing = new ManualResetEventSlim();
        using var rotated = new ManualResetEventSlim();
        Task[] workers = [.. Enumerable.Range(0, 4).Select(w => Task.Run(async () =>
        {
            start.SignalAndWait(Ct);
            for (int i = 0; i < 400; i++)
            {
                if (i == 200)
                {
                    // Every worker has mutated; the second halves run while the checkpoint captures and rotates.
                    halfway.Signal();
                    Assert.True(checkpointing.Wait(TimeSpan.FromSeconds(30), Ct), "the checkpoint started");
                }
                else if (i == 399)
                {
                    // The last mutation of each worker comes after the rotation, so the journal after the checkpoint is
                    // never empty: on a loaded machine the checkpoint's thread could otherwise start after every worker
                    // had finished, and the test would check nothing.
                    Assert.True(rotated.Wait(TimeSpan.FromSeconds(30), Ct), "the checkpoint rotated the journal");
                }

                store.Send("order", new SendMessageInput($"{w}-{i}", null, SqsMessageAttribute.None, SqsMessageAttribute.None, null, null));
                if (i % 2 == 1)
                {
                    foreach (ReceivedMessage received in await store.ReceiveAsync("order", 2, 30, 0, Ct))
                    {
                        if (received.Message.Body.EndsWith('0') || received.Message.Body.EndsWith('5'))
                        {
                            store.DeleteMessage("order", received.ReceiptHandle);
                        }
                    }
                }
            }
        }, Ct)), Task.Run(async () =>
        {
            start.SignalAndWait(Ct);
            Assert.True(halfway.Wait(TimeSpan.FromSeconds(30), Ct), "the workers reached halfway");
            checkpointing.Set();
            using var stream = new MemoryStream();
            await store.Checkpoint(() =>
            {
                replayFrom = journal.Rotate();
                rotated.Set();
                return replayFrom;
            })(stream, Ct);
            checkpoint = stream.ToArray();
        }, Ct)];
        await Task.WhenAll(workers).WaitAsync(TimeSpan.FromSeconds(60), Ct);
        await journal.SyncAsync().WaitAsync(TimeSpan.FromSeconds(30), Ct);

        var replayed = new SqsStore(TimeProvider.System);
        Assert.Equal(replayFrom, replayed.LoadCheckpoint(checkpoint!));
        int records = 0;
        foreach ((long segment, string path) in JournalSegments.List(_dataDir, "sqs").Where(s => s.Segment >= replayFrom))
        {
            ReadOnlyMemory<byte> data = await File.ReadAllBytesAsync(path, Ct);
            int offset = 0;
            while (JournalFrame.TryRead(data, ref offset, out ReadOnlyMemory<byte> payload))
            {
                replayed.Replay(payload.Span);
                records++;
            }

            Assert.True(offset == data.Length, $"segment {segment} ends with {data.Length - offset} bytes that are not a whole record");
        }

        Assert.True(records > 0, "the journal after the checkpoint holds records");
        Assert.Equal(await MessageIdsAsync(store), await MessageIdsAsync(replayed));
    }

    private static async Task<string[]> MessageIdsAsync(SqsStore store)
    {
        using var stream = new MemoryStream();
        await store.Checkpoint(() => 0)(stream, Ct);
        using JsonDocument document = JsonDocument.Parse(stream.ToArray());
        return [.. document.RootElement.GetProperty("queues")[0].GetProperty("messages").EnumerateArray()
            .Select(m => m.GetProperty("messageId").GetString()!)
            .Order(StringComparer.Ordinal)];
    }
}
