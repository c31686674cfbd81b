using Amazon.SQS;
using Amazon.SQS.Model;

namespace Kumo.Embedded.Tests.Sqs;

/// <summary>FIFO queues: per-group order, group blocking, deduplication and sequence numbers.</summary>
public sealed class SqsFifoTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Messages_keep_their_order_within_a_group_and_a_busy_group_is_skipped()
    {
        await using TestEngine engine = await TestEngine.StartAsync(persistent: false);
        string url = await CreateFifoAsync(engine, "orders.fifo", contentBased: true);
        foreach ((string group, string body) in new[] { ("g1", "g1-a"), ("g2", "g2-a"), ("g1", "g1-b"), ("g1", "g1-c"), ("g2", "g2-b") })
        {
            await engine.Sqs.SendMessageAsync(new SendMessageRequest(url, body) { MessageGroupId = group }, Ct);
        }

        Message head = Assert.Single((await engine.Sqs.ReceiveMessageAsync(url, Ct)).Messages);
        Assert.Equal("g1-a", head.Body);

        // g1 has a message in flight, so only g2 is served, in order.
        List<Message> others = (await engine.Sqs.ReceiveMessageAsync(new ReceiveMessageRequest(url) { MaxNumberOfMessages = 10 }, Ct)).Messages;
        Assert.Equal(["g2-a", "g2-b"], others.Select(m => m.Body));
        Assert.Empty((await engine.Sqs.ReceiveMessageAsync(new ReceiveMessageRequest(url) { MaxNumberOfMessages = 10 }, Ct)).Messages ?? []);

        await engine.Sqs.DeleteMessageAsync(url, head.ReceiptHandle, Ct);
        List<Message> rest = (await engine.Sqs.ReceiveMessageAsync(new ReceiveMessageRequest(url)
        {
            MaxNumberOfMessages = 10,
            MessageSystemAttributeNames = ["MessageGroupId", "SequenceNumber", "MessageDeduplicationId"],
        }, Ct)).Messages;
        Assert.Equal(["g1-b", "g1-c"], rest.Select(m => m.Body));
        Assert.All(rest, m => Assert.Equal("g1", m.Attributes["MessageGroupId"]));
        Assert.True(string.CompareOrdinal(rest[0].Attributes["SequenceNumber"], rest[1].Attributes["SequenceNumber"]) < 0);
        Assert.Equal(64, rest[0].Attributes["MessageDeduplicationId"].Length);
    }

    [Fact]
    public async Task A_visible_again_message_blocks_its_group_order()
    {
        await using TestEngine engine = await TestEngine.StartAsync(persistent: false);
        string url = await CreateFifoAsync(engine, "retry.fifo", contentBased: true);
        await engine.Sqs.SendMessageAsync(new SendMessageRequest(url, "first") { MessageGroupId = "g" }, Ct);
        await engine.Sqs.SendMessageAsync(new SendMessageRequest(url, "second") { MessageGroupId = "g" }, Ct);

        Message first = Assert.Single((await engine.Sqs.ReceiveMessageAsync(url, Ct)).Messages);
        await engine.Sqs.ChangeMessageVisibilityAsync(url, first.ReceiptHandle, 0, Ct);

        List<Message> redelivered = (await engine.Sqs.ReceiveMessageAsync(new ReceiveMessageRequest(url) { MaxNumberOfMessages = 10 }, Ct)).Messages;
        Assert.Equal(["first", "second"], redelivered.Select(m => m.Body));
    }

    [Fact]
    public async Task Explicit_deduplication_ids_drop_duplicates_and_return_the_original_ids()
    {
        await using TestEngine engine = await TestEngine.StartAsync(persistent: false);
        string url = await CreateFifoAsync(engine, "dedup.fifo", contentBased: false);

        SendMessageResponse original = await engine.Sqs.SendMessageAsync(new SendMessageRequest(url, "payload") { MessageGroupId = "g", MessageDeduplicationId = "d-1" }, Ct);
        SendMessageResponse duplicate = await engine.Sqs.SendMessageAsync(new SendMessageRequest(url, "payload changed") { MessageGroupId = "g", MessageDeduplicationId = "d-1" }, Ct);
        SendMessageResponse next = await engine.Sqs.SendMessageAsync(new SendMessageRequest(url, "payload") { MessageGroupId = "g", MessageDeduplicationId = "d-2" }, Ct);

        Assert.Equal(original.MessageId, duplicate.MessageId);
        Assert.Equal(original.SequenceNumber, duplicate.SequenceNumber);
        Assert.NotEqual(original.MessageId, next.MessageId);
        Assert.True(string.CompareOrdinal(original.SequenceNumber, next.SequenceNumber) < 0, $"{original.SequenceNumber} < {next.SequenceNumber}");
        List<Message> messages = (await engine.Sqs.ReceiveMessageAsync(new ReceiveMessageRequest(url) { MaxNumberOfMessages = 10 }, Ct)).Messages;
        Assert.Equal(["payload", "payload"], messages.Select(m => m.Body));
        Assert.Equal([original.MessageId, next.MessageId], messages.Select(m => m.MessageId));
    }

    [Fact]
    public async Task Content_based_deduplication_hashes_the_body()
    {
        await using TestEngine engine = await TestEngine.StartAsync(persistent: false);
        string url = await CreateFifoAsync(engine, "content.fifo", contentBased: true);

        SendMessageResponse a = await engine.Sqs.SendMessageAsync(new SendMessageRequest(url, "same") { MessageGroupId = "g" }, Ct);
        SendMessageResponse b = await engine.Sqs.SendMessageAsync(new SendMessageRequest(url, "same") { MessageGroupId = "other-group" }, Ct);
        SendMessageResponse c = await engine.Sqs.SendMessageAsync(new SendMessageRequest(url, "different") { MessageGroupId = "g" }, Ct);

        Assert.Equal(a.MessageId, b.MessageId);
        Assert.NotEqual(a.MessageId, c.MessageId);
        Assert.Equal("2", (await engine.Sqs.GetQueueAttributesAsync(url, ["ApproximateNumberOfMessages"], Ct)).Attributes["ApproximateNumberOfMessages"]);
    }

    [Fact]
    public async Task Fifo_rules_are_enforced()
    {
        await using TestEngine engine = await TestEngine.StartAsync(persistent: false);
        string strict = await CreateFifoAsync(engine, "strict.fifo", contentBased: false);
        string standard = (await engine.Sqs.CreateQueueAsync("standard", Ct)).QueueUrl;

        AmazonSQSException noGroup = await Assert.ThrowsAnyAsync<AmazonSQSException>(() =>
            engine.Sqs.SendMessageAsync(new SendMessageRequest(strict, "x") { MessageDeduplicationId = "d" }, Ct));
        Assert.Equal("MissingParameter", noGroup.ErrorCode);
        Assert.Contains("MessageGroupId", noGroup.Message, StringComparison.Ordinal);
        AmazonSQSException noDedup = await Assert.ThrowsAnyAsync<AmazonSQSException>(() =>
            engine.Sqs.SendMessageAsync(new SendMessageRequest(strict, "x") { MessageGroupId = "g" }, Ct));
        Assert.Contains("ContentBasedDeduplication", noDedup.Message, StringComparison.Ordinal);
        AmazonSQSException perMessageDelay = await Assert.ThrowsAnyAsync<AmazonSQSException>(() =>
            engine.Sqs.SendMessageAsync(new SendMessageRequest(strict, "x") { MessageGroupId = "g", MessageDeduplicationId = "d", DelaySeconds = 5 }, Ct));
        Assert.Contains("DelaySeconds", perMessageDelay.Message, StringComparison.Ordinal);
        AmazonSQSException dedupOnStandard = await Assert.ThrowsAnyAsync<AmazonSQSException>(() =>
            engine.Sqs.SendMessageAsync(new SendMessageRequest(standard, "x") { MessageDeduplicationId = "d" }, Ct));
        Assert.Equal("InvalidParameterValue", dedupOnStandard.ErrorCode);
        AmazonSQSException dlqTypeMismatch = await Assert.ThrowsAnyAsync<AmazonSQSException>(() =>
            engine.Sqs.SetQueueAttributesAsync(strict, new() { ["RedrivePolicy"] = """{"deadLetterTargetArn":"arn:aws:sqs:us-east-1:000000000000:standard","maxReceiveCount":1}""" }, Ct));
        Assert.Contains("FIFO", dlqTypeMismatch.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Batch_send_to_fifo_keeps_entry_order_and_assigns_increasing_sequence_numbers()
    {
        await using TestEngine engine = await TestEngine.StartAsync(persistent: false);
        string url = await CreateFifoAsync(engine, "batch.fifo", contentBased: true);

        SendMessageBatchResponse sent = await engine.Sqs.SendMessageBatchAsync(url,
            [.. Enumerable.Range(1, 5).Select(i => new SendMessageBatchRequestEntry($"e{i}", $"m{i}") { MessageGroupId = "g" })], Ct);

        Assert.Equal(5, sent.Successful.Count);
        List<string> sequence = [.. sent.Successful.Select(s => s.SequenceNumber)];
        Assert.Equal(sequence.Order(StringComparer.Ordinal), sequence);
        Assert.Equal(5, sequence.Distinct().Count());
        List<Message> received = (await engine.Sqs.ReceiveMessageAsync(new ReceiveMessageRequest(url) { MaxNumberOfMessages = 10 }, Ct)).Messages;
        Assert.Equal(["m1", "m2", "m3", "m4", "m5"], received.Select(m => m.Body));
    }

    private static async Task<string> CreateFifoAsync(TestEngine engine, string name, bool contentBased) =>
        (await engine.Sqs.CreateQueueAsync(new CreateQueueRequest(name)
        {
            Attributes = new() { ["FifoQueue"] = "true", ["ContentBasedDeduplication"] = contentBased ? "true" : "false" },
        }, Ct)).QueueUrl;
}
