using Amazon.SQS.Model;

namespace Kumo.Embedded.Tests.Sqs;

/// <summary>Time-based rules driven by a manual clock (EngineContext.Time), so no test waits for minutes.</summary>
public sealed class SqsClockTests
{
    private static readonly DateTimeOffset Start = new(2030, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Deduplication_window_lasts_five_minutes()
    {
        var clock = new ManualClock(Start);
        await using TestEngine engine = await TestEngine.StartAsync(o => o with { Time = clock }, persistent: false);
        string url = (await engine.Sqs.CreateQueueAsync(new CreateQueueRequest("window.fifo") { Attributes = new() { ["FifoQueue"] = "true" } }, Ct)).QueueUrl;
        SendMessageRequest Send() => new(url, "once") { MessageGroupId = "g", MessageDeduplicationId = "same-id" };

        SendMessageResponse first = await engine.Sqs.SendMessageAsync(Send(), Ct);
        clock.Advance(TimeSpan.FromMinutes(4) + TimeSpan.FromSeconds(59));
        SendMessageResponse withinWindow = await engine.Sqs.SendMessageAsync(Send(), Ct);
        clock.Advance(TimeSpan.FromSeconds(2));
        SendMessageResponse afterWindow = await engine.Sqs.SendMessageAsync(Send(), Ct);

        Assert.Equal(first.MessageId, withinWindow.MessageId);
        Assert.NotEqual(first.MessageId, afterWindow.MessageId);
    }

    [Fact]
    public async Task Retention_period_deletes_old_messages()
    {
        var clock = new ManualClock(Start);
        await using TestEngine engine = await TestEngine.StartAsync(o => o with { Time = clock }, persistent: false);
        string url = (await engine.Sqs.CreateQueueAsync(new CreateQueueRequest("short-lived") { Attributes = new() { ["MessageRetentionPeriod"] = "60" } }, Ct)).QueueUrl;
        await engine.Sqs.SendMessageAsync(url, "old", Ct);
        clock.Advance(TimeSpan.FromSeconds(30));
        await engine.Sqs.SendMessageAsync(url, "young", Ct);

        clock.Advance(TimeSpan.FromSeconds(31));

        Assert.Equal("1", (await engine.Sqs.GetQueueAttributesAsync(url, ["ApproximateNumberOfMessages"], Ct)).Attributes["ApproximateNumberOfMessages"]);
        Assert.Equal("young", Assert.Single((await engine.Sqs.ReceiveMessageAsync(new ReceiveMessageRequest(url) { MaxNumberOfMessages = 10 }, Ct)).Messages).Body);
    }

    [Fact]
    public async Task Delays_and_visibility_follow_the_engine_clock()
    {
        var clock = new ManualClock(Start);
        await using TestEngine engine = await TestEngine.StartAsync(o => o with { Time = clock }, persistent: false);
        string url = (await engine.Sqs.CreateQueueAsync(new CreateQueueRequest("clocked") { Attributes = new() { ["DelaySeconds"] = "900" } }, Ct)).QueueUrl;
        await engine.Sqs.SendMessageAsync(url, "later", Ct);

        clock.Advance(TimeSpan.FromSeconds(899));
        Assert.Empty((await engine.Sqs.ReceiveMessageAsync(url, Ct)).Messages ?? []);
        clock.Advance(TimeSpan.FromSeconds(1));
        Message message = Assert.Single((await engine.Sqs.ReceiveMessageAsync(new ReceiveMessageRequest(url)
        {
            VisibilityTimeout = 43200,
            MessageSystemAttributeNames = ["SentTimestamp", "ApproximateFirstReceiveTimestamp"],
        }, Ct)).Messages);
        Assert.Equal(Start.ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture), message.Attributes["SentTimestamp"]);
        Assert.Equal(Start.AddSeconds(900).ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture), message.Attributes["ApproximateFirstReceiveTimestamp"]);

        clock.Advance(TimeSpan.FromHours(12) - TimeSpan.FromSeconds(1));
        Assert.Empty((await engine.Sqs.ReceiveMessageAsync(url, Ct)).Messages ?? []);
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Single((await engine.Sqs.ReceiveMessageAsync(url, Ct)).Messages);
    }
}
