using System.Text;
using Amazon.SQS;
using Amazon.SQS.Model;
using Kumo.Contract;
using Kumo.Embedded.Sqs;
using Microsoft.Extensions.Logging.Abstractions;

namespace Kumo.Embedded.Tests.Sqs;

/// <summary>SQS state in $KUMO_DATA_DIR/sqs.json survives an in-process restart on the same data directory.</summary>
public sealed class SqsPersistenceTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Queues_attributes_tags_and_messages_survive_a_restart()
    {
        string dataDir = TestEngine.NewDataDir();
        try
        {
            string inFlightId, visibleId, fifoFirstSequence, fifoDuplicateId;
            await using (KumoEngine first = await StartAsync(dataDir))
            {
                using AmazonSQSClient sqs = Client(first);
                await sqs.CreateQueueAsync("keep-dlq", Ct);
                string url = (await sqs.CreateQueueAsync(new CreateQueueRequest("keep")
                {
                    Attributes = new()
                    {
                        ["VisibilityTimeout"] = "77",
                        ["RedrivePolicy"] = """{"deadLetterTargetArn":"arn:aws:sqs:us-east-1:000000000000:keep-dlq","maxReceiveCount":5}""",
                    },
                    Tags = new() { ["team"] = "storage" },
                }, Ct)).QueueUrl;
                string fifo = (await sqs.CreateQueueAsync(new CreateQueueRequest("keep.fifo")
                {
                    Attributes = new() { ["FifoQueue"] = "true", ["ContentBasedDeduplication"] = "true" },
                }, Ct)).QueueUrl;

                inFlightId = (await sqs.SendMessageAsync(url, "taken before the restart", Ct)).MessageId;
                Assert.Single((await sqs.ReceiveMessageAsync(new ReceiveMessageRequest(url) { VisibilityTimeout = 3600 }, Ct)).Messages);
                visibleId = (await sqs.SendMessageAsync(new SendMessageRequest(url, "waiting")
                {
                    MessageAttributes = new()
                    {
                        ["s"] = new MessageAttributeValue { DataType = "String", StringValue = "text" },
                        ["b"] = new MessageAttributeValue { DataType = "Binary", BinaryValue = new MemoryStream([1, 2, 3]) },
                    },
                }, Ct)).MessageId;
                SendMessageResponse fifoFirst = await sqs.SendMessageAsync(new SendMessageRequest(fifo, "fifo-1") { MessageGroupId = "g" }, Ct);
                fifoFirstSequence = fifoFirst.SequenceNumber;
                fifoDuplicateId = fifoFirst.MessageId;
            }

            string document = await File.ReadAllTextAsync(Path.Combine(dataDir, "sqs.json"), Ct);
            Assert.Contains("\"keep.fifo\"", document, StringComparison.Ordinal);
            Assert.DoesNotContain(Directory.EnumerateFileSystemEntries(dataDir, "*", SearchOption.AllDirectories), p => Path.GetFileName(p).Contains("keep", StringComparison.Ordinal));

            await using (KumoEngine second = await StartAsync(dataDir))
            {
                using AmazonSQSClient sqs = Client(second);
                string url = (await sqs.GetQueueUrlAsync("keep", Ct)).QueueUrl;
                string fifo = (await sqs.GetQueueUrlAsync("keep.fifo", Ct)).QueueUrl;
                Assert.Equal(3, (await sqs.ListQueuesAsync(new ListQueuesRequest(), Ct)).QueueUrls.Count);

                Dictionary<string, string> attributes = (await sqs.GetQueueAttributesAsync(url, ["All"], Ct)).Attributes;
                Assert.Equal("77", attributes["VisibilityTimeout"]);
                Assert.Contains("keep-dlq", attributes["RedrivePolicy"], StringComparison.Ordinal);
                Assert.Equal("2", attributes["ApproximateNumberOfMessages"]);
                Assert.Equal("0", attributes["ApproximateNumberOfMessagesNotVisible"]);
                Assert.Equal("storage", (await sqs.ListQueueTagsAsync(new ListQueueTagsRequest { QueueUrl = url }, Ct)).Tags["team"]);

                // The message in flight at shutdown is visible again (kumo would have lost it); the SDK re-checks the attribute MD5s.
                List<Message> messages = (await sqs.ReceiveMessageAsync(new ReceiveMessageRequest(url)
                {
                    MaxNumberOfMessages = 10,
                    MessageAttributeNames = ["All"],
                    MessageSystemAttributeNames = ["ApproximateReceiveCount"],
                }, Ct)).Messages;
                Assert.Equal([inFlightId, visibleId], messages.Select(m => m.MessageId));
                Assert.Equal("2", messages[0].Attributes["ApproximateReceiveCount"]);
                Assert.Equal([1, 2, 3], messages[1].MessageAttributes["b"].BinaryValue.ToArray());

                // FIFO sequence numbers keep increasing and the deduplication window is remembered.
                SendMessageResponse duplicate = await sqs.SendMessageAsync(new SendMessageRequest(fifo, "fifo-1") { MessageGroupId = "g" }, Ct);
                Assert.Equal(fifoDuplicateId, duplicate.MessageId);
                SendMessageResponse fifoNext = await sqs.SendMessageAsync(new SendMessageRequest(fifo, "fifo-2") { MessageGroupId = "g" }, Ct);
                Assert.True(string.CompareOrdinal(fifoFirstSequence, fifoNext.SequenceNumber) < 0, $"{fifoFirstSequence} < {fifoNext.SequenceNumber}");
                await sqs.DeleteQueueAsync(fifo, Ct);
            }

            await using (KumoEngine third = await StartAsync(dataDir))
            {
                using AmazonSQSClient sqs = Client(third);
                await Assert.ThrowsAsync<QueueDoesNotExistException>(() => sqs.GetQueueUrlAsync("keep.fifo", Ct));
                Dictionary<string, string> counts = (await sqs.GetQueueAttributesAsync((await sqs.GetQueueUrlAsync("keep", Ct)).QueueUrl, ["All"], Ct)).Attributes;
                Assert.Equal("2", counts["ApproximateNumberOfMessages"]);
                Assert.Equal("0", counts["ApproximateNumberOfMessagesNotVisible"]);
            }
        }
        finally
        {
            Directory.Delete(dataDir, recursive: true);
        }
    }

    [Fact]
    public async Task A_corrupt_document_is_quarantined_and_the_engine_starts_empty()
    {
        string dataDir = TestEngine.NewDataDir();
        try
        {
            await File.WriteAllTextAsync(Path.Combine(dataDir, "sqs.json"), """{"format":2,"queues":[{"name":"q","attributes":{"VisibilityTimeout":"99999"}}]}""", Ct);

            await using KumoEngine engine = await StartAsync(dataDir);
            using AmazonSQSClient sqs = Client(engine);

            Assert.Empty((await sqs.ListQueuesAsync(new ListQueuesRequest(), Ct)).QueueUrls ?? []);
            Assert.Single(Directory.GetFiles(dataDir, "sqs.json.corrupt-*"));
        }
        finally
        {
            Directory.Delete(dataDir, recursive: true);
        }
    }

    [Theory]
    [InlineData("""{"format":2,"queues":[{"name":"q","attributes":{"VisibilityTimeout":"99999"}}]}""", "/queues/0/attributes/VisibilityTimeout")]
    [InlineData("""{"format":2,"queues":[{"name":"bad name","attributes":{}}]}""", "/queues/0/name")]
    [InlineData("""{"format":9,"queues":[]}""", "/format")]
    [InlineData("""{"format":2,"queues":[{"name":"q","messages":[{"messageId":"m","body":"b","messageAttributes":[{"name":"n","dataType":"Number","stringValue":"x"}]}]}]}""", "/queues/0/messages/0/messageAttributes/0")]
    public void Load_names_the_json_pointer_of_a_bad_value(string document, string pointer)
    {
        var store = new SqsStore(TimeProvider.System);

        InvalidDataException error = Assert.Throws<InvalidDataException>(() => store.LoadCheckpoint(Encoding.UTF8.GetBytes(document)));

        Assert.Contains(pointer, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_checkpoint_names_the_segment_it_started_and_loads_back()
    {
        var store = new SqsStore(TimeProvider.System);
        store.CreateQueue("q", [], []);

        byte[] checkpoint = await WrittenAsync(store.Checkpoint(() => 7));

        var reloaded = new SqsStore(TimeProvider.System);
        Assert.Equal(7, reloaded.LoadCheckpoint(checkpoint));
        reloaded.RequireQueue("q");
    }

    [Fact]
    public async Task A_checkpoint_keeps_the_delivery_state_of_its_capture_not_later_receives()
    {
        // The store captures under its lock and serializes after releasing it: a receive in between must not leak in.
        var queue = new SqsQueue("q", new SqsQueueAttributes(fifo: false), createdTimestamp: 1_000);
        var message = new SqsMessage { MessageId = "m", Body = "b", Md5OfBody = MessageContents.Md5Hex("b"), SentTimestamp = 1_000, SenderId = "s", VisibleAt = 1_000 };
        queue.Add(message);
        SqsQueueSnapshot captured = SqsStateMapper.Capture(queue);

        SqsMessage received = Assert.Single(queue.Receive(now: 2_000, max: 1, visibilityTimeout: 97, deadLetter: null));
        Assert.Equal((1, 99_000L, (long?)2_000, 1), (received.ReceiveCount, received.VisibleAt, received.FirstReceiveTimestamp, received.ReceiptNonce));
        byte[] document = await WrittenAsync(SqsStateMapper.Writer([captured], journal: 4));

        (List<SqsQueue> queues, long journal) = SqsStateMapper.Deserialize(document, now: 1_500);
        SqsMessage loaded = Assert.Single(Assert.Single(queues).Messages);
        Assert.Equal(4, journal);
        Assert.Equal(("m", 0, 1_000L, (long?)null, 0), (loaded.MessageId, loaded.ReceiveCount, loaded.VisibleAt, loaded.FirstReceiveTimestamp, loaded.ReceiptNonce));
    }

    [Fact]
    public async Task A_checkpoint_writes_each_message_with_its_own_fields()
    {
        // The writer describes every message in one reused document object: nothing of one message may carry over to the next.
        var queue = new SqsQueue("q", new SqsQueueAttributes(fifo: false), createdTimestamp: 1_000);
        var attributes = new SortedDictionary<string, SqsMessageAttribute>(StringComparer.Ordinal)
        {
            ["a"] = SqsMessageAttribute.Create("a", "String", "first", null, system: false),
        };
        SqsMessage[] sent =
        [
            new() { MessageId = "m1", Body = "one", Md5OfBody = MessageContents.Md5Hex("one"), MessageAttributes = attributes, SentTimestamp = 1_001, SenderId = "s1", DeadLetterQueueSourceArn = "arn:aws:sqs:us-east-1:000000000000:src", VisibleAt = 1_000, ReceiveCount = 2, FirstReceiveTimestamp = 1_100, ReceiptNonce = 4 },
            new() { MessageId = "m2", Body = "two", Md5OfBody = MessageContents.Md5Hex("two"), SentTimestamp = 1_002, SenderId = "s2", VisibleAt = 1_000 },
            new() { MessageId = "m3", Body = "three", Md5OfBody = MessageContents.Md5Hex("three"), MessageAttributes = attributes, SentTimestamp = 1_003, SenderId = "s3", VisibleAt = 1_000, ReceiveCount = 1, FirstReceiveTimestamp = 1_200, ReceiptNonce = 1 },
        ];
        foreach (SqsMessage message in sent)
        {
            queue.Add(message);
        }

        byte[] document = await WrittenAsync(SqsStateMapper.Writer([SqsStateMapper.Capture(queue)], journal: 2));

        (List<SqsQueue> queues, _) = SqsStateMapper.Deserialize(document, now: 1_500);
        var describe = (SqsMessage m) => (m.MessageId, m.Body, string.Join(",", m.MessageAttributes.Keys), m.SentTimestamp, m.SenderId, m.DeadLetterQueueSourceArn, m.ReceiveCount, m.FirstReceiveTimestamp, m.ReceiptNonce);
        Assert.Equal(sent.Select(describe), Assert.Single(queues).Messages.Select(describe));
    }

    /// <summary>What a checkpoint writer writes, as the checkpoint file would hold it.</summary>
    private static async Task<byte[]> WrittenAsync(Func<Stream, CancellationToken, Task> write)
    {
        using var stream = new MemoryStream();
        await write(stream, Ct);
        return stream.ToArray();
    }

    private static Task<KumoEngine> StartAsync(string dataDir) =>
        KumoEngine.StartAsync(new KumoEngineOptions { Port = 0, DataDir = dataDir, LogLevel = KumoLogLevel.Warn }, NullLoggerProvider.Instance, Ct);

    private static AmazonSQSClient Client(KumoEngine engine) => new(TestEngine.Credentials, TestEngine.SqsConfig(engine.Endpoint));
}
