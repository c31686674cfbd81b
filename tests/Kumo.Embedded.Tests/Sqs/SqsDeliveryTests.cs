using System.Diagnostics;
using Amazon.SQS.Model;

namespace Kumo.Embedded.Tests.Sqs;

/// <summary>Long polling, visibility timeouts and dead-letter redrive.</summary>
public sealed class SqsDeliveryTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Long_poll_returns_as_soon_as_a_message_is_sent()
    {
        var observer = new LongPollObserver(TimeSpan.FromSeconds(5));
        await using TestEngine engine = await TestEngine.StartAsync(o => o with { Time = observer }, persistent: false);
        string url = (await engine.Sqs.CreateQueueAsync("long-poll", Ct)).QueueUrl;
        var clock = Stopwatch.StartNew();

        Task<ReceiveMessageResponse> receive = engine.Sqs.ReceiveMessageAsync(new ReceiveMessageRequest(url) { WaitTimeSeconds = 10 }, Ct);
        await observer.Parked.WaitAsync(TimeSpan.FromSeconds(5), Ct);
        Assert.False(receive.IsCompleted, "the receive should be parked waiting for a message");
        await engine.Sqs.SendMessageAsync(url, "wake up", Ct);
        ReceiveMessageResponse response = await receive.WaitAsync(TimeSpan.FromSeconds(15), Ct);

        Assert.Equal("wake up", Assert.Single(response.Messages).Body);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"the long poll returned after {clock.Elapsed}, expected well before its 10 s wait");
    }

    [Fact]
    public async Task Long_poll_without_messages_waits_the_wait_time_then_returns_empty()
    {
        await using TestEngine engine = await TestEngine.StartAsync(persistent: false);
        string url = (await engine.Sqs.CreateQueueAsync(new CreateQueueRequest("quiet") { Attributes = new() { ["ReceiveMessageWaitTimeSeconds"] = "1" } }, Ct)).QueueUrl;

        var explicitWait = Stopwatch.StartNew();
        ReceiveMessageResponse first = await engine.Sqs.ReceiveMessageAsync(new ReceiveMessageRequest(url) { WaitTimeSeconds = 1 }, Ct);
        explicitWait.Stop();
        var queueDefault = Stopwatch.StartNew();
        ReceiveMessageResponse second = await engine.Sqs.ReceiveMessageAsync(new ReceiveMessageRequest(url), Ct);
        queueDefault.Stop();
        var shortPoll = Stopwatch.StartNew();
        await engine.Sqs.ReceiveMessageAsync(new ReceiveMessageRequest(url) { WaitTimeSeconds = 0 }, Ct);
        shortPoll.Stop();

        Assert.Empty(first.Messages ?? []);
        Assert.Empty(second.Messages ?? []);
        Assert.InRange(explicitWait.Elapsed, TimeSpan.FromMilliseconds(900), TimeSpan.FromSeconds(5));
        Assert.InRange(queueDefault.Elapsed, TimeSpan.FromMilliseconds(900), TimeSpan.FromSeconds(5));
        Assert.True(shortPoll.Elapsed < TimeSpan.FromMilliseconds(900), $"WaitTimeSeconds=0 overrides the queue's wait, took {shortPoll.Elapsed}");
    }

    [Fact]
    public async Task Stopping_the_engine_ends_a_long_poll()
    {
        var observer = new LongPollObserver(TimeSpan.FromSeconds(10));
        TestEngine engine = await TestEngine.StartAsync(o => o with { Time = observer }, persistent: false);
        string url = (await engine.Sqs.CreateQueueAsync("shutdown", Ct)).QueueUrl;
        Task<ReceiveMessageResponse> receive = engine.Sqs.ReceiveMessageAsync(new ReceiveMessageRequest(url) { WaitTimeSeconds = 20 }, Ct);
        await observer.Parked.WaitAsync(TimeSpan.FromSeconds(5), Ct);

        try
        {
            var clock = Stopwatch.StartNew();
            await engine.Engine.DisposeAsync();

            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"disposing took {clock.Elapsed}: a parked long poll must not hold shutdown for its 20 s wait");
            ReceiveMessageResponse response = await receive.WaitAsync(TimeSpan.FromSeconds(5), Ct);
            Assert.Empty(response.Messages ?? []);
        }
        finally
        {
            await engine.DisposeAsync();
        }
    }

    [Fact]
    public async Task Visibility_timeout_hides_a_message_until_it_expires()
    {
        await using TestEngine engine = await TestEngine.StartAsync(persistent: false);
        string url = (await engine.Sqs.CreateQueueAsync("visibility", Ct)).QueueUrl;
        await engine.Sqs.SendMessageAsync(url, "again and again", Ct);

        Message first = Assert.Single((await engine.Sqs.ReceiveMessageAsync(new ReceiveMessageRequest(url) { VisibilityTimeout = 1 }, Ct)).Messages);
        Assert.Empty((await engine.Sqs.ReceiveMessageAsync(url, Ct)).Messages ?? []);
        Assert.Equal("1", (await engine.Sqs.GetQueueAttributesAsync(url, ["ApproximateNumberOfMessagesNotVisible"], Ct)).Attributes["ApproximateNumberOfMessagesNotVisible"]);

        // The long poll wakes when the visibility timeout ends.
        var clock = Stopwatch.StartNew();
        Message second = Assert.Single((await engine.Sqs.ReceiveMessageAsync(new ReceiveMessageRequest(url)
        {
            WaitTimeSeconds = 5,
            MessageSystemAttributeNames = ["ApproximateReceiveCount"],
        }, Ct)).Messages);

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(4), $"re-delivery took {clock.Elapsed}");
        Assert.Equal(first.MessageId, second.MessageId);
        Assert.NotEqual(first.ReceiptHandle, second.ReceiptHandle);
        Assert.Equal("2", second.Attributes["ApproximateReceiveCount"]);

        // Only the latest receipt handle deletes (an older one is accepted but does nothing, as in SQS).
        await engine.Sqs.DeleteMessageAsync(url, first.ReceiptHandle, Ct);
        Assert.Equal("1", (await engine.Sqs.GetQueueAttributesAsync(url, ["ApproximateNumberOfMessagesNotVisible"], Ct)).Attributes["ApproximateNumberOfMessagesNotVisible"]);
        await engine.Sqs.DeleteMessageAsync(url, second.ReceiptHandle, Ct);
        Assert.Equal("0", (await engine.Sqs.GetQueueAttributesAsync(url, ["ApproximateNumberOfMessagesNotVisible"], Ct)).Attributes["ApproximateNumberOfMessagesNotVisible"]);
    }

    [Fact]
    public async Task Change_visibility_to_zero_makes_a_message_receivable_at_once()
    {
        await using TestEngine engine = await TestEngine.StartAsync(persistent: false);
        string url = (await engine.Sqs.CreateQueueAsync("change-visibility", Ct)).QueueUrl;
        await engine.Sqs.SendMessageBatchAsync(url, [new("a", "one"), new("b", "two")], Ct);
        List<Message> held = (await engine.Sqs.ReceiveMessageAsync(new ReceiveMessageRequest(url) { MaxNumberOfMessages = 10, VisibilityTimeout = 600 }, Ct)).Messages;
        Assert.Equal(2, held.Count);

        await engine.Sqs.ChangeMessageVisibilityAsync(url, held[0].ReceiptHandle, 0, Ct);
        Message again = Assert.Single((await engine.Sqs.ReceiveMessageAsync(new ReceiveMessageRequest(url) { MaxNumberOfMessages = 10 }, Ct)).Messages);
        Assert.Equal(held[0].MessageId, again.MessageId);

        ChangeMessageVisibilityBatchResponse batch = await engine.Sqs.ChangeMessageVisibilityBatchAsync(url,
        [
            new ChangeMessageVisibilityBatchRequestEntry("released", held[1].ReceiptHandle) { VisibilityTimeout = 0 },
            new ChangeMessageVisibilityBatchRequestEntry("bogus", "not-a-handle") { VisibilityTimeout = 0 },
        ], Ct);
        Assert.Equal("released", Assert.Single(batch.Successful).Id);
        Assert.Equal("ReceiptHandleIsInvalid", Assert.Single(batch.Failed).Code);
        Assert.Equal(held[1].MessageId, Assert.Single((await engine.Sqs.ReceiveMessageAsync(url, Ct)).Messages).MessageId);

        await engine.Sqs.DeleteMessageAsync(url, again.ReceiptHandle, Ct);
        AssertMessageGone(await Assert.ThrowsAnyAsync<Amazon.SQS.AmazonSQSException>(() =>
            engine.Sqs.ChangeMessageVisibilityAsync(url, again.ReceiptHandle, 10, Ct)));
        await Assert.ThrowsAnyAsync<Amazon.SQS.AmazonSQSException>(() => engine.Sqs.ChangeMessageVisibilityAsync(url, held[1].ReceiptHandle, 43201, Ct));
    }

    [Fact]
    public async Task A_standard_queue_serves_never_received_messages_first_then_redelivers_in_a_stable_order()
    {
        await using TestEngine engine = await TestEngine.StartAsync(persistent: false);
        string url = (await engine.Sqs.CreateQueueAsync("redelivery-order", Ct)).QueueUrl;
        await engine.Sqs.SendMessageBatchAsync(url, [.. Enumerable.Range(1, 5).Select(i => new SendMessageBatchRequestEntry($"m{i}", $"m{i}"))], Ct);
        async Task<List<string>> ReceiveAsync(int max, int visibility) =>
            [.. (await engine.Sqs.ReceiveMessageAsync(new ReceiveMessageRequest(url) { MaxNumberOfMessages = max, VisibilityTimeout = visibility }, Ct)).Messages.Select(m => m.Body)];

        List<Message> first = (await engine.Sqs.ReceiveMessageAsync(new ReceiveMessageRequest(url) { VisibilityTimeout = 600 }, Ct)).Messages;
        List<string> second = await ReceiveAsync(1, 600);
        await engine.Sqs.ChangeMessageVisibilityAsync(url, Assert.Single(first).ReceiptHandle, 0, Ct);

        // m1 is visible again, m2 is in flight: the never-received m3..m5 come first, then m1, each once per call
        // even with a visibility timeout of 0; the same order again on the next call.
        List<string> third = await ReceiveAsync(10, 0);
        List<string> fourth = await ReceiveAsync(10, 0);

        Assert.Equal("m1", Assert.Single(first).Body);
        Assert.Equal(["m2"], second);
        Assert.Equal(["m3", "m4", "m5", "m1"], third);
        Assert.Equal(third, fourth);
    }

    [Fact]
    public async Task Messages_move_to_the_dead_letter_queue_after_max_receive_count()
    {
        await using TestEngine engine = await TestEngine.StartAsync(persistent: false);
        string dlq = (await engine.Sqs.CreateQueueAsync("work-dlq", Ct)).QueueUrl;
        string url = (await engine.Sqs.CreateQueueAsync(new CreateQueueRequest("work")
        {
            Attributes = new() { ["RedrivePolicy"] = """{"deadLetterTargetArn":"arn:aws:sqs:us-east-1:000000000000:work-dlq","maxReceiveCount":"2"}""" },
        }, Ct)).QueueUrl;
        SendMessageResponse sent = await engine.Sqs.SendMessageAsync(new SendMessageRequest(url, "poison")
        {
            MessageAttributes = new() { ["kind"] = new MessageAttributeValue { DataType = "String", StringValue = "poison" } },
        }, Ct);

        for (int attempt = 1; attempt <= 2; attempt++)
        {
            Message delivery = Assert.Single((await engine.Sqs.ReceiveMessageAsync(new ReceiveMessageRequest(url) { VisibilityTimeout = 0 }, Ct)).Messages);
            Assert.Equal(sent.MessageId, delivery.MessageId);
        }

        Assert.Empty((await engine.Sqs.ReceiveMessageAsync(url, Ct)).Messages ?? []);
        Assert.Equal("0", (await engine.Sqs.GetQueueAttributesAsync(url, ["ApproximateNumberOfMessages"], Ct)).Attributes["ApproximateNumberOfMessages"]);
        Message dead = Assert.Single((await engine.Sqs.ReceiveMessageAsync(new ReceiveMessageRequest(dlq)
        {
            MessageAttributeNames = ["All"],
            MessageSystemAttributeNames = ["All"],
        }, Ct)).Messages);
        Assert.Equal(sent.MessageId, dead.MessageId);
        Assert.Equal("poison", dead.Body);
        Assert.Equal("poison", dead.MessageAttributes["kind"].StringValue);
        Assert.Equal("arn:aws:sqs:us-east-1:000000000000:work", dead.Attributes["DeadLetterQueueSourceArn"]);
    }

    [Fact]
    public async Task Concurrent_senders_and_long_polling_receivers_see_every_message_exactly_once()
    {
        const int Senders = 4, PerSender = 100, Receivers = 4;
        await using TestEngine engine = await TestEngine.StartAsync(persistent: false);
        string url = (await engine.Sqs.CreateQueueAsync("busy", Ct)).QueueUrl;
        var seen = new System.Collections.Concurrent.ConcurrentBag<string>();
        var clock = Stopwatch.StartNew();
        var deadline = TimeSpan.FromSeconds(20);

        Task[] senders = [.. Enumerable.Range(0, Senders).Select(s => Task.Run(async () =>
        {
            for (int i = 0; i < PerSender; i += 10)
            {
                await engine.Sqs.SendMessageBatchAsync(url, [.. Enumerable.Range(i, 10).Select(n => new SendMessageBatchRequestEntry($"e{n}", $"{s}-{n}"))], Ct);
            }
        }, Ct))];
        Task[] receivers = [.. Enumerable.Range(0, Receivers).Select(_ => Task.Run(async () =>
        {
            while (seen.Count < Senders * PerSender && clock.Elapsed < deadline)
            {
                List<Message> batch = (await engine.Sqs.ReceiveMessageAsync(new ReceiveMessageRequest(url) { MaxNumberOfMessages = 10, WaitTimeSeconds = 1 }, Ct)).Messages ?? [];
                foreach (Message message in batch)
                {
                    seen.Add(message.Body);
                }

                if (batch.Count > 0)
                {
                    await engine.Sqs.DeleteMessageBatchAsync(url, [.. batch.Select((m, i) => new DeleteMessageBatchRequestEntry($"d{i}", m.ReceiptHandle))], Ct);
                }
            }
        }, Ct))];
        await Task.WhenAll([.. senders, .. receivers]);

        string[] expected = [.. Enumerable.Range(0, Senders).SelectMany(s => Enumerable.Range(0, PerSender).Select(n => $"{s}-{n}"))];
        Assert.True(seen.Count == expected.Length, $"received {seen.Count} of {expected.Length} messages within {deadline} (duplicates: {seen.Count - seen.Distinct().Count()})");
        Assert.Equal(expected.Order(StringComparer.Ordinal), seen.Order(StringComparer.Ordinal));
        TestContext.Current.SendDiagnosticMessage($"{expected.Length} messages through {Senders} senders / {Receivers} long-polling receivers in {clock.ElapsedMilliseconds} ms");
    }

    private static void AssertMessageGone(Amazon.SQS.AmazonSQSException error)
    {
        Assert.Equal("InvalidParameterValue", error.ErrorCode);
        Assert.Contains("does not exist", error.Message, StringComparison.Ordinal);
    }
}
