using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Amazon.SQS;
using Amazon.SQS.Model;

namespace Kumo.Embedded.Tests.Sqs;

/// <summary>
/// Sending, receiving and deleting through the real AmazonSQSClient, which recomputes
/// MD5OfMessageBody, MD5OfMessageAttributes and MD5OfMessageSystemAttributes and fails the call on a mismatch.
/// </summary>
public sealed class SqsMessageTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Send_receive_delete_with_string_number_and_binary_attributes()
    {
        await using TestEngine engine = await TestEngine.StartAsync(persistent: false);
        string url = (await engine.Sqs.CreateQueueAsync("messages", Ct)).QueueUrl;
        byte[] blob = [0, 1, 2, 250, 251, 252];
        long before = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

        SendMessageResponse sent = await engine.Sqs.SendMessageAsync(new SendMessageRequest(url, "héllo wörld ✓ 𝄞")
        {
            MessageAttributes = new()
            {
                ["text"] = new MessageAttributeValue { DataType = "String", StringValue = "ünïcode" },
                ["count"] = new MessageAttributeValue { DataType = "Number", StringValue = "-12.5e3" },
                ["bytes"] = new MessageAttributeValue { DataType = "Binary", BinaryValue = new MemoryStream(blob) },
                ["typed"] = new MessageAttributeValue { DataType = "Number.int", StringValue = "7" },
            },
        }, Ct);

        Assert.Equal(Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes("héllo wörld ✓ 𝄞"))), sent.MD5OfMessageBody);
        Assert.NotNull(sent.MD5OfMessageAttributes);

        ReceiveMessageResponse received = await engine.Sqs.ReceiveMessageAsync(new ReceiveMessageRequest(url)
        {
            MessageAttributeNames = ["All"],
            MessageSystemAttributeNames = ["All"],
        }, Ct);

        Message message = Assert.Single(received.Messages);
        Assert.Equal(sent.MessageId, message.MessageId);
        Assert.Equal("héllo wörld ✓ 𝄞", message.Body);
        Assert.Equal(sent.MD5OfMessageAttributes, message.MD5OfMessageAttributes);
        Assert.Equal("ünïcode", message.MessageAttributes["text"].StringValue);
        Assert.Equal("-12.5e3", message.MessageAttributes["count"].StringValue);
        Assert.Equal("Number.int", message.MessageAttributes["typed"].DataType);
        Assert.Equal(blob, message.MessageAttributes["bytes"].BinaryValue.ToArray());
        Assert.Equal("1", message.Attributes["ApproximateReceiveCount"]);
        Assert.Equal("000000000000", message.Attributes["SenderId"]);
        long sentAt = long.Parse(message.Attributes["SentTimestamp"], CultureInfo.InvariantCulture);
        Assert.InRange(sentAt, before - 1000, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() + 1000);
        Assert.True(long.Parse(message.Attributes["ApproximateFirstReceiveTimestamp"], CultureInfo.InvariantCulture) >= sentAt);

        await engine.Sqs.DeleteMessageAsync(url, message.ReceiptHandle, Ct);
        Dictionary<string, string> counts = (await engine.Sqs.GetQueueAttributesAsync(url, ["All"], Ct)).Attributes;
        Assert.Equal("0", counts["ApproximateNumberOfMessages"]);
        Assert.Equal("0", counts["ApproximateNumberOfMessagesNotVisible"]);
    }

    [Fact]
    public async Task Message_attribute_names_select_by_name_and_prefix()
    {
        await using TestEngine engine = await TestEngine.StartAsync(persistent: false);
        string url = (await engine.Sqs.CreateQueueAsync("select", Ct)).QueueUrl;
        await engine.Sqs.SendMessageAsync(new SendMessageRequest(url, "body")
        {
            MessageAttributes = new()
            {
                ["order.id"] = new MessageAttributeValue { DataType = "String", StringValue = "o-1" },
                ["order.total"] = new MessageAttributeValue { DataType = "Number", StringValue = "99" },
                ["trace"] = new MessageAttributeValue { DataType = "String", StringValue = "t-1" },
            },
        }, Ct);

        Message message = Assert.Single((await engine.Sqs.ReceiveMessageAsync(new ReceiveMessageRequest(url)
        {
            MessageAttributeNames = ["order.*"],
            VisibilityTimeout = 0,
        }, Ct)).Messages);
        Assert.Equal(["order.id", "order.total"], message.MessageAttributes.Keys.Order(StringComparer.Ordinal));

        Message named = Assert.Single((await engine.Sqs.ReceiveMessageAsync(new ReceiveMessageRequest(url)
        {
            MessageAttributeNames = ["trace"],
            MessageSystemAttributeNames = ["ApproximateReceiveCount"],
        }, Ct)).Messages);
        Assert.Equal(["trace"], named.MessageAttributes.Keys);
        Assert.Equal(new Dictionary<string, string> { ["ApproximateReceiveCount"] = "2" }, named.Attributes);

        await engine.Sqs.SendMessageAsync(url, "second", Ct);
        Message none = (await engine.Sqs.ReceiveMessageAsync(new ReceiveMessageRequest(url), Ct)).Messages.Single(m => m.Body == "second");
        Assert.True(none.MessageAttributes is null || none.MessageAttributes.Count == 0);
        Assert.Null(none.MD5OfMessageAttributes);
    }

    [Fact]
    public async Task Trace_header_system_attribute_round_trips_with_its_md5()
    {
        await using TestEngine engine = await TestEngine.StartAsync(persistent: false);
        string url = (await engine.Sqs.CreateQueueAsync("traced", Ct)).QueueUrl;
        const string Trace = "Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1";

        SendMessageResponse sent = await engine.Sqs.SendMessageAsync(new SendMessageRequest(url, "traced body")
        {
            MessageSystemAttributes = new() { ["AWSTraceHeader"] = new MessageSystemAttributeValue { DataType = "String", StringValue = Trace } },
        }, Ct);

        Assert.NotNull(sent.MD5OfMessageSystemAttributes);
        Message message = Assert.Single((await engine.Sqs.ReceiveMessageAsync(new ReceiveMessageRequest(url)
        {
            MessageSystemAttributeNames = ["AWSTraceHeader"],
        }, Ct)).Messages);
        Assert.Equal(Trace, message.Attributes["AWSTraceHeader"]);
    }

    [Fact]
    public async Task Batch_send_reports_per_entry_failures()
    {
        await using TestEngine engine = await TestEngine.StartAsync(persistent: false);
        string url = (await engine.Sqs.CreateQueueAsync(new CreateQueueRequest("batch") { Attributes = new() { ["MaximumMessageSize"] = "1024" } }, Ct)).QueueUrl;

        SendMessageBatchResponse response = await engine.Sqs.SendMessageBatchAsync(url,
        [
            new SendMessageBatchRequestEntry("ok-1", "first")
            {
                MessageAttributes = new() { ["n"] = new MessageAttributeValue { DataType = "Number", StringValue = "1" } },
            },
            new SendMessageBatchRequestEntry("too_big", new string('x', 1025)),
            new SendMessageBatchRequestEntry("bad-char", "nul \u0000 inside"),
            new SendMessageBatchRequestEntry("ok-2", "second") { DelaySeconds = 0 },
        ], Ct);

        Assert.Equal(["ok-1", "ok-2"], response.Successful.Select(s => s.Id));
        Assert.All(response.Successful, s => Assert.False(string.IsNullOrEmpty(s.MessageId)));
        Assert.Equal(["too_big", "bad-char"], response.Failed.Select(f => f.Id));
        Assert.All(response.Failed, f => Assert.True(f.SenderFault));
        Assert.Equal("InvalidParameterValue", response.Failed[0].Code);
        Assert.Contains("1024", response.Failed[0].Message, StringComparison.Ordinal);
        Assert.Equal("InvalidMessageContents", response.Failed[1].Code);
        Assert.Equal("2", (await engine.Sqs.GetQueueAttributesAsync(url, ["ApproximateNumberOfMessages"], Ct)).Attributes["ApproximateNumberOfMessages"]);
    }

    [Fact]
    public async Task Batch_limits_fail_the_whole_request()
    {
        await using TestEngine engine = await TestEngine.StartAsync(persistent: false);
        string url = (await engine.Sqs.CreateQueueAsync("limits", Ct)).QueueUrl;

        await Assert.ThrowsAsync<TooManyEntriesInBatchRequestException>(() => engine.Sqs.SendMessageBatchAsync(url,
            [.. Enumerable.Range(0, 11).Select(i => new SendMessageBatchRequestEntry($"e{i}", "x"))], Ct));
        await Assert.ThrowsAsync<BatchEntryIdsNotDistinctException>(() => engine.Sqs.SendMessageBatchAsync(url,
            [new SendMessageBatchRequestEntry("same", "a"), new SendMessageBatchRequestEntry("same", "b")], Ct));
        await Assert.ThrowsAsync<InvalidBatchEntryIdException>(() => engine.Sqs.SendMessageBatchAsync(url,
            [new SendMessageBatchRequestEntry("not valid!", "a")], Ct));
        await Assert.ThrowsAsync<EmptyBatchRequestException>(() => engine.Sqs.DeleteMessageBatchAsync(new DeleteMessageBatchRequest { QueueUrl = url, Entries = [] }, Ct));
        Assert.Equal("0", (await engine.Sqs.GetQueueAttributesAsync(url, ["ApproximateNumberOfMessages"], Ct)).Attributes["ApproximateNumberOfMessages"]);
    }

    [Fact]
    public async Task Batch_delete_reports_invalid_receipt_handles()
    {
        await using TestEngine engine = await TestEngine.StartAsync(persistent: false);
        string url = (await engine.Sqs.CreateQueueAsync("batch-delete", Ct)).QueueUrl;
        await engine.Sqs.SendMessageBatchAsync(url, [new("a", "one"), new("b", "two")], Ct);
        List<Message> messages = (await engine.Sqs.ReceiveMessageAsync(new ReceiveMessageRequest(url) { MaxNumberOfMessages = 10 }, Ct)).Messages;
        Assert.Equal(2, messages.Count);

        DeleteMessageBatchResponse response = await engine.Sqs.DeleteMessageBatchAsync(url,
        [
            new DeleteMessageBatchRequestEntry("first", messages[0].ReceiptHandle),
            new DeleteMessageBatchRequestEntry("bogus", "not-a-receipt-handle"),
            new DeleteMessageBatchRequestEntry("second", messages[1].ReceiptHandle),
        ], Ct);

        Assert.Equal(["first", "second"], response.Successful.Select(s => s.Id));
        BatchResultErrorEntry failed = Assert.Single(response.Failed);
        Assert.Equal("bogus", failed.Id);
        Assert.Equal("ReceiptHandleIsInvalid", failed.Code);
        Dictionary<string, string> counts = (await engine.Sqs.GetQueueAttributesAsync(url, ["All"], Ct)).Attributes;
        Assert.Equal("0", counts["ApproximateNumberOfMessages"]);
        Assert.Equal("0", counts["ApproximateNumberOfMessagesNotVisible"]);
    }

    [Fact]
    public async Task Invalid_receipt_handle_is_ReceiptHandleIsInvalidException()
    {
        await using TestEngine engine = await TestEngine.StartAsync(persistent: false);
        string url = (await engine.Sqs.CreateQueueAsync("handles", Ct)).QueueUrl;
        string other = (await engine.Sqs.CreateQueueAsync("other", Ct)).QueueUrl;
        await engine.Sqs.SendMessageAsync(other, "elsewhere", Ct);
        string foreignHandle = Assert.Single((await engine.Sqs.ReceiveMessageAsync(other, Ct)).Messages).ReceiptHandle;

        await Assert.ThrowsAsync<ReceiptHandleIsInvalidException>(() => engine.Sqs.DeleteMessageAsync(url, "garbage", Ct));
        await Assert.ThrowsAsync<ReceiptHandleIsInvalidException>(() => engine.Sqs.DeleteMessageAsync(url, foreignHandle, Ct));
        await Assert.ThrowsAsync<ReceiptHandleIsInvalidException>(() => engine.Sqs.ChangeMessageVisibilityAsync(url, "garbage", 0, Ct));
    }

    [Fact]
    public async Task Body_size_and_characters_are_validated()
    {
        await using TestEngine engine = await TestEngine.StartAsync(persistent: false);
        string url = (await engine.Sqs.CreateQueueAsync(new CreateQueueRequest("sized") { Attributes = new() { ["MaximumMessageSize"] = "1024" } }, Ct)).QueueUrl;

        await engine.Sqs.SendMessageAsync(url, new string('a', 1024), Ct);
        AmazonSQSException tooBig = await Assert.ThrowsAnyAsync<AmazonSQSException>(() => engine.Sqs.SendMessageAsync(url, new string('a', 1025), Ct));
        Assert.Equal("InvalidParameterValue", tooBig.ErrorCode);
        Assert.Contains("1024", tooBig.Message, StringComparison.Ordinal);
        AmazonSQSException attributesCount = await Assert.ThrowsAnyAsync<AmazonSQSException>(() => engine.Sqs.SendMessageAsync(new SendMessageRequest(url, new string('a', 1000))
        {
            MessageAttributes = new() { ["pad"] = new MessageAttributeValue { DataType = "String", StringValue = new string('p', 30) } },
        }, Ct));
        Assert.Equal("InvalidParameterValue", attributesCount.ErrorCode);

        await Assert.ThrowsAsync<InvalidMessageContentsException>(() => engine.Sqs.SendMessageAsync(url, "bell \u0007", Ct));
        await Assert.ThrowsAsync<InvalidMessageContentsException>(() => engine.Sqs.SendMessageAsync(url, "\uFFFF", Ct));
        await engine.Sqs.SendMessageAsync(url, "tab\tnewline\ncr\r emoji 😀 private \uE000", Ct);
        AmazonSQSException empty = await Assert.ThrowsAnyAsync<AmazonSQSException>(() => engine.Sqs.SendMessageAsync(url, string.Empty, Ct));
        Assert.Equal("MissingParameter", empty.ErrorCode);
        AmazonSQSException badNumber = await Assert.ThrowsAnyAsync<AmazonSQSException>(() => engine.Sqs.SendMessageAsync(new SendMessageRequest(url, "x")
        {
            MessageAttributes = new() { ["n"] = new MessageAttributeValue { DataType = "Number", StringValue = "twelve" } },
        }, Ct));
        Assert.Equal("InvalidParameterValue", badNumber.ErrorCode);
        AmazonSQSException reserved = await Assert.ThrowsAnyAsync<AmazonSQSException>(() => engine.Sqs.SendMessageAsync(new SendMessageRequest(url, "x")
        {
            MessageAttributes = new() { ["AWS.thing"] = new MessageAttributeValue { DataType = "String", StringValue = "v" } },
        }, Ct));
        Assert.Equal("InvalidParameterValue", reserved.ErrorCode);
        Assert.Equal("2", (await engine.Sqs.GetQueueAttributesAsync(url, ["ApproximateNumberOfMessages"], Ct)).Attributes["ApproximateNumberOfMessages"]);
    }

    [Fact]
    public async Task Receive_parameters_are_range_checked()
    {
        await using TestEngine engine = await TestEngine.StartAsync(persistent: false);
        string url = (await engine.Sqs.CreateQueueAsync("ranges", Ct)).QueueUrl;

        foreach (ReceiveMessageRequest request in new[]
        {
            new ReceiveMessageRequest(url) { MaxNumberOfMessages = 11 },
            new ReceiveMessageRequest(url) { MaxNumberOfMessages = 0 },
            new ReceiveMessageRequest(url) { WaitTimeSeconds = 21 },
            new ReceiveMessageRequest(url) { VisibilityTimeout = 43201 },
        })
        {
            AmazonSQSException error = await Assert.ThrowsAnyAsync<AmazonSQSException>(() => engine.Sqs.ReceiveMessageAsync(request, Ct));
            Assert.Equal("InvalidParameterValue", error.ErrorCode);
        }

        AmazonSQSException delay = await Assert.ThrowsAnyAsync<AmazonSQSException>(() => engine.Sqs.SendMessageAsync(new SendMessageRequest(url, "x") { DelaySeconds = 901 }, Ct));
        Assert.Contains("DelaySeconds", delay.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Queue_and_message_delays_hold_messages_back()
    {
        await using TestEngine engine = await TestEngine.StartAsync(persistent: false);
        string delayedQueue = (await engine.Sqs.CreateQueueAsync(new CreateQueueRequest("delayed") { Attributes = new() { ["DelaySeconds"] = "1" } }, Ct)).QueueUrl;
        string plainQueue = (await engine.Sqs.CreateQueueAsync("plain", Ct)).QueueUrl;

        await engine.Sqs.SendMessageAsync(delayedQueue, "queue delay", Ct);
        await engine.Sqs.SendMessageAsync(new SendMessageRequest(plainQueue, "message delay") { DelaySeconds = 1 }, Ct);
        await engine.Sqs.SendMessageAsync(new SendMessageRequest(delayedQueue, "override to zero") { DelaySeconds = 0 }, Ct);

        Assert.Empty((await engine.Sqs.ReceiveMessageAsync(plainQueue, Ct)).Messages ?? []);
        Dictionary<string, string> counts = (await engine.Sqs.GetQueueAttributesAsync(delayedQueue, ["All"], Ct)).Attributes;
        Assert.Equal("1", counts["ApproximateNumberOfMessagesDelayed"]);
        Assert.Equal("1", counts["ApproximateNumberOfMessages"]);
        Assert.Equal("override to zero", Assert.Single((await engine.Sqs.ReceiveMessageAsync(delayedQueue, Ct)).Messages).Body);

        // A long poll wakes when the delay ends (well within the 5 s wait).
        Assert.Equal("queue delay", Assert.Single((await engine.Sqs.ReceiveMessageAsync(new ReceiveMessageRequest(delayedQueue) { WaitTimeSeconds = 5 }, Ct)).Messages).Body);
        Assert.Equal("message delay", Assert.Single((await engine.Sqs.ReceiveMessageAsync(new ReceiveMessageRequest(plainQueue) { WaitTimeSeconds = 5 }, Ct)).Messages).Body);
    }

    [Fact]
    public async Task Purge_removes_every_message()
    {
        await using TestEngine engine = await TestEngine.StartAsync(persistent: false);
        string url = (await engine.Sqs.CreateQueueAsync("purge", Ct)).QueueUrl;
        await engine.Sqs.SendMessageBatchAsync(url, [new("a", "1"), new("b", "2"), new("c", "3")], Ct);
        Assert.Single((await engine.Sqs.ReceiveMessageAsync(url, Ct)).Messages);

        await engine.Sqs.PurgeQueueAsync(url, Ct);

        Dictionary<string, string> counts = (await engine.Sqs.GetQueueAttributesAsync(url, ["All"], Ct)).Attributes;
        Assert.Equal("0", counts["ApproximateNumberOfMessages"]);
        Assert.Equal("0", counts["ApproximateNumberOfMessagesNotVisible"]);
        Assert.Empty((await engine.Sqs.ReceiveMessageAsync(new ReceiveMessageRequest(url) { MaxNumberOfMessages = 10 }, Ct)).Messages ?? []);
    }
}
