using System.Globalization;
using System.Net;
using Amazon.SQS;
using Amazon.SQS.Model;

namespace Kumo.Embedded.Tests.Sqs;

/// <summary>Queue lifecycle, attributes, tags and naming through the real AmazonSQSClient.</summary>
public sealed class SqsQueueTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Create_get_url_list_and_delete()
    {
        await using TestEngine engine = await TestEngine.StartAsync(persistent: false);
        AmazonSQSClient sqs = engine.Sqs;

        string alpha1 = (await sqs.CreateQueueAsync("alpha-1", Ct)).QueueUrl;
        await sqs.CreateQueueAsync("alpha-2", Ct);
        await sqs.CreateQueueAsync("beta-1", Ct);

        Assert.Equal($"http://127.0.0.1:{engine.Endpoint.Port}/000000000000/alpha-1", alpha1);
        Assert.Equal(alpha1, (await sqs.GetQueueUrlAsync("alpha-1", Ct)).QueueUrl);

        ListQueuesResponse all = await sqs.ListQueuesAsync(new ListQueuesRequest(), Ct);
        Assert.Equal(["alpha-1", "alpha-2", "beta-1"], all.QueueUrls.Select(u => u.Split('/')[^1]));

        ListQueuesResponse alphas = await sqs.ListQueuesAsync(new ListQueuesRequest { QueueNamePrefix = "alpha-" }, Ct);
        Assert.Equal(["alpha-1", "alpha-2"], alphas.QueueUrls.Select(u => u.Split('/')[^1]));

        var paged = new List<string>();
        string? token = null;
        int pages = 0;
        do
        {
            ListQueuesResponse page = await sqs.ListQueuesAsync(new ListQueuesRequest { MaxResults = 2, NextToken = token }, Ct);
            paged.AddRange(page.QueueUrls.Select(u => u.Split('/')[^1]));
            token = page.NextToken;
            pages++;
        }
        while (token is not null && pages < 10);
        Assert.Equal(["alpha-1", "alpha-2", "beta-1"], paged);
        Assert.Equal(2, pages);

        await sqs.DeleteQueueAsync(alpha1, Ct);
        await Assert.ThrowsAsync<QueueDoesNotExistException>(() => sqs.GetQueueUrlAsync("alpha-1", Ct));
        Assert.Equal(2, (await sqs.ListQueuesAsync(new ListQueuesRequest(), Ct)).QueueUrls.Count);
    }

    [Fact]
    public async Task Create_is_idempotent_for_equal_attributes_and_rejects_different_ones()
    {
        await using TestEngine engine = await TestEngine.StartAsync(persistent: false);
        var attributes = new Dictionary<string, string> { ["VisibilityTimeout"] = "45", ["DelaySeconds"] = "3" };

        string first = (await engine.Sqs.CreateQueueAsync(new CreateQueueRequest("orders") { Attributes = attributes }, Ct)).QueueUrl;
        string again = (await engine.Sqs.CreateQueueAsync(new CreateQueueRequest("orders") { Attributes = new(attributes) }, Ct)).QueueUrl;
        string bare = (await engine.Sqs.CreateQueueAsync("orders", Ct)).QueueUrl;

        Assert.Equal(first, again);
        Assert.Equal(first, bare);
        QueueNameExistsException conflict = await Assert.ThrowsAsync<QueueNameExistsException>(() =>
            engine.Sqs.CreateQueueAsync(new CreateQueueRequest("orders") { Attributes = new() { ["VisibilityTimeout"] = "46" } }, Ct));
        Assert.Contains("VisibilityTimeout", conflict.Message, StringComparison.Ordinal);
        Assert.Equal("45", (await engine.Sqs.GetQueueAttributesAsync(first, ["VisibilityTimeout"], Ct)).Attributes["VisibilityTimeout"]);
    }

    [Fact]
    public async Task Attributes_round_trip()
    {
        await using TestEngine engine = await TestEngine.StartAsync(persistent: false);
        long before = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        string url = (await engine.Sqs.CreateQueueAsync(new CreateQueueRequest("attrs")
        {
            Attributes = new()
            {
                ["VisibilityTimeout"] = "45",
                ["DelaySeconds"] = "2",
                ["MaximumMessageSize"] = "2048",
                ["MessageRetentionPeriod"] = "120",
                ["ReceiveMessageWaitTimeSeconds"] = "3",
            },
        }, Ct)).QueueUrl;

        Dictionary<string, string> all = (await engine.Sqs.GetQueueAttributesAsync(url, ["All"], Ct)).Attributes;

        Assert.Equal("45", all["VisibilityTimeout"]);
        Assert.Equal("2", all["DelaySeconds"]);
        Assert.Equal("2048", all["MaximumMessageSize"]);
        Assert.Equal("120", all["MessageRetentionPeriod"]);
        Assert.Equal("3", all["ReceiveMessageWaitTimeSeconds"]);
        Assert.Equal("0", all["ApproximateNumberOfMessages"]);
        Assert.Equal("0", all["ApproximateNumberOfMessagesNotVisible"]);
        Assert.Equal("0", all["ApproximateNumberOfMessagesDelayed"]);
        Assert.Equal("arn:aws:sqs:us-east-1:000000000000:attrs", all["QueueArn"]);
        long created = long.Parse(all["CreatedTimestamp"], CultureInfo.InvariantCulture);
        Assert.InRange(created, before - 1, DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 1);
        Assert.False(all.ContainsKey("FifoQueue"), "a standard queue does not report FifoQueue");

        await engine.Sqs.SetQueueAttributesAsync(url, new() { ["VisibilityTimeout"] = "10", ["DelaySeconds"] = "0" }, Ct);
        GetQueueAttributesResponse named = await engine.Sqs.GetQueueAttributesAsync(url, ["VisibilityTimeout", "DelaySeconds", "LastModifiedTimestamp"], Ct);

        Assert.Equal(3, named.Attributes.Count);
        Assert.Equal("10", named.Attributes["VisibilityTimeout"]);
        Assert.Equal("0", named.Attributes["DelaySeconds"]);
        Assert.True(long.Parse(named.Attributes["LastModifiedTimestamp"], CultureInfo.InvariantCulture) >= created);
    }

    [Fact]
    public async Task Fifo_queue_reports_fifo_attributes()
    {
        await using TestEngine engine = await TestEngine.StartAsync(persistent: false);
        string url = (await engine.Sqs.CreateQueueAsync(new CreateQueueRequest("jobs.fifo")
        {
            Attributes = new() { ["FifoQueue"] = "true", ["ContentBasedDeduplication"] = "true" },
        }, Ct)).QueueUrl;

        Dictionary<string, string> all = (await engine.Sqs.GetQueueAttributesAsync(url, ["All"], Ct)).Attributes;

        Assert.Equal("true", all["FifoQueue"]);
        Assert.Equal("true", all["ContentBasedDeduplication"]);
        Assert.Equal("queue", all["DeduplicationScope"]);
        await Assert.ThrowsAsync<InvalidAttributeValueException>(() =>
            engine.Sqs.SetQueueAttributesAsync(url, new() { ["FifoQueue"] = "false" }, Ct));
    }

    [Fact]
    public async Task Set_attributes_validates_ranges_and_names_and_applies_nothing_on_error()
    {
        await using TestEngine engine = await TestEngine.StartAsync(persistent: false);
        string url = (await engine.Sqs.CreateQueueAsync("strict", Ct)).QueueUrl;

        (string Name, string Value)[] invalid =
        [
            ("VisibilityTimeout", "43201"),
            ("VisibilityTimeout", "-1"),
            ("DelaySeconds", "901"),
            ("MaximumMessageSize", "1023"),
            ("MaximumMessageSize", "1048577"),
            ("MessageRetentionPeriod", "59"),
            ("ReceiveMessageWaitTimeSeconds", "21"),
            ("VisibilityTimeout", "ten"),
            ("RedrivePolicy", "{not json"),
        ];
        foreach ((string name, string value) in invalid)
        {
            InvalidAttributeValueException error = await Assert.ThrowsAsync<InvalidAttributeValueException>(() =>
                engine.Sqs.SetQueueAttributesAsync(url, new() { ["DelaySeconds"] = "5", [name] = value }, Ct));
            Assert.Contains(name, error.Message, StringComparison.Ordinal);
        }

        await Assert.ThrowsAsync<InvalidAttributeNameException>(() =>
            engine.Sqs.SetQueueAttributesAsync(url, new() { ["VisibilityTimeOut"] = "5" }, Ct));
        await Assert.ThrowsAsync<InvalidAttributeNameException>(() =>
            engine.Sqs.SetQueueAttributesAsync(url, new() { ["ContentBasedDeduplication"] = "true" }, Ct));
        await Assert.ThrowsAsync<InvalidAttributeNameException>(() =>
            engine.Sqs.GetQueueAttributesAsync(url, ["NoSuchAttribute"], Ct));
        await Assert.ThrowsAsync<InvalidAttributeValueException>(() =>
            engine.Sqs.CreateQueueAsync(new CreateQueueRequest("bad-attrs") { Attributes = new() { ["VisibilityTimeout"] = "50000" } }, Ct));

        Assert.Equal("0", (await engine.Sqs.GetQueueAttributesAsync(url, ["DelaySeconds"], Ct)).Attributes["DelaySeconds"]);
        await Assert.ThrowsAsync<QueueDoesNotExistException>(() => engine.Sqs.GetQueueUrlAsync("bad-attrs", Ct));
    }

    [Theory]
    [InlineData("has space")]
    [InlineData("dot.name")]
    [InlineData("slash/name")]
    [InlineData("")]
    public async Task Invalid_queue_names_are_rejected(string name)
    {
        await using TestEngine engine = await TestEngine.StartAsync(persistent: false);

        AmazonSQSException error = await Assert.ThrowsAnyAsync<AmazonSQSException>(() => engine.Sqs.CreateQueueAsync(name, Ct));

        Assert.Equal(HttpStatusCode.BadRequest, error.StatusCode);
        Assert.True(error.ErrorCode is "InvalidParameterValue" or "MissingParameter", error.ErrorCode);
        Assert.Empty((await engine.Sqs.ListQueuesAsync(new ListQueuesRequest(), Ct)).QueueUrls ?? []);
    }

    [Fact]
    public async Task Name_length_and_fifo_suffix_rules()
    {
        await using TestEngine engine = await TestEngine.StartAsync(persistent: false);

        await engine.Sqs.CreateQueueAsync(new string('a', 80), Ct);
        await engine.Sqs.CreateQueueAsync(new CreateQueueRequest(new string('b', 75) + ".fifo") { Attributes = new() { ["FifoQueue"] = "true" } }, Ct);

        AmazonSQSException tooLong = await Assert.ThrowsAnyAsync<AmazonSQSException>(() => engine.Sqs.CreateQueueAsync(new string('a', 81), Ct));
        Assert.Equal("InvalidParameterValue", tooLong.ErrorCode);
        AmazonSQSException suffixWithoutFlag = await Assert.ThrowsAnyAsync<AmazonSQSException>(() => engine.Sqs.CreateQueueAsync("orders.fifo", Ct));
        Assert.Contains("FifoQueue=true", suffixWithoutFlag.Message, StringComparison.Ordinal);
        AmazonSQSException flagWithoutSuffix = await Assert.ThrowsAnyAsync<AmazonSQSException>(() =>
            engine.Sqs.CreateQueueAsync(new CreateQueueRequest("orders") { Attributes = new() { ["FifoQueue"] = "true" } }, Ct));
        Assert.Contains(".fifo", flagWithoutSuffix.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tags_round_trip()
    {
        await using TestEngine engine = await TestEngine.StartAsync(persistent: false);
        string url = (await engine.Sqs.CreateQueueAsync(new CreateQueueRequest("tagged") { Tags = new() { ["team"] = "payments", ["env"] = "test" } }, Ct)).QueueUrl;

        await engine.Sqs.TagQueueAsync(new TagQueueRequest { QueueUrl = url, Tags = new() { ["env"] = "ci", ["owner"] = "kumo" } }, Ct);
        await engine.Sqs.UntagQueueAsync(new UntagQueueRequest { QueueUrl = url, TagKeys = ["team"] }, Ct);
        Dictionary<string, string> tags = (await engine.Sqs.ListQueueTagsAsync(new ListQueueTagsRequest { QueueUrl = url }, Ct)).Tags;

        Assert.Equal(new Dictionary<string, string> { ["env"] = "ci", ["owner"] = "kumo" }, tags);
    }

    [Fact]
    public async Task Redrive_policy_needs_an_existing_dead_letter_queue_and_is_listed_as_a_source()
    {
        await using TestEngine engine = await TestEngine.StartAsync(persistent: false);
        string dlqUrl = (await engine.Sqs.CreateQueueAsync("orders-dlq", Ct)).QueueUrl;
        string policy = """{"deadLetterTargetArn":"arn:aws:sqs:us-east-1:000000000000:orders-dlq","maxReceiveCount":3}""";

        AmazonSQSException missing = await Assert.ThrowsAnyAsync<AmazonSQSException>(() => engine.Sqs.CreateQueueAsync(new CreateQueueRequest("orders")
        {
            Attributes = new() { ["RedrivePolicy"] = """{"deadLetterTargetArn":"arn:aws:sqs:us-east-1:000000000000:nope","maxReceiveCount":3}""" },
        }, Ct));
        Assert.Contains("does not exist", missing.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<InvalidAttributeValueException>(() => engine.Sqs.CreateQueueAsync(new CreateQueueRequest("orders")
        {
            Attributes = new() { ["RedrivePolicy"] = """{"deadLetterTargetArn":"arn:aws:sqs:us-east-1:000000000000:orders-dlq","maxReceiveCount":0}""" },
        }, Ct));

        string url = (await engine.Sqs.CreateQueueAsync(new CreateQueueRequest("orders") { Attributes = new() { ["RedrivePolicy"] = policy } }, Ct)).QueueUrl;

        Assert.Equal(policy, (await engine.Sqs.GetQueueAttributesAsync(url, ["RedrivePolicy"], Ct)).Attributes["RedrivePolicy"]);
        ListDeadLetterSourceQueuesResponse sources = await engine.Sqs.ListDeadLetterSourceQueuesAsync(new ListDeadLetterSourceQueuesRequest { QueueUrl = dlqUrl }, Ct);
        Assert.Equal([url], sources.QueueUrls);

        await engine.Sqs.SetQueueAttributesAsync(url, new() { ["RedrivePolicy"] = string.Empty }, Ct);
        Assert.False((await engine.Sqs.GetQueueAttributesAsync(url, ["All"], Ct)).Attributes.ContainsKey("RedrivePolicy"));
    }

    [Fact]
    public async Task Missing_queue_is_QueueDoesNotExistException_on_every_action()
    {
        await using TestEngine engine = await TestEngine.StartAsync(persistent: false);
        string url = $"{engine.Endpoint}000000000000/ghost";

        await Assert.ThrowsAsync<QueueDoesNotExistException>(() => engine.Sqs.GetQueueUrlAsync("ghost", Ct));
        await Assert.ThrowsAsync<QueueDoesNotExistException>(() => engine.Sqs.SendMessageAsync(url, "x", Ct));
        await Assert.ThrowsAsync<QueueDoesNotExistException>(() => engine.Sqs.ReceiveMessageAsync(url, Ct));
        await Assert.ThrowsAsync<QueueDoesNotExistException>(() => engine.Sqs.GetQueueAttributesAsync(url, ["All"], Ct));
        await Assert.ThrowsAsync<QueueDoesNotExistException>(() => engine.Sqs.PurgeQueueAsync(url, Ct));
        await Assert.ThrowsAsync<QueueDoesNotExistException>(() => engine.Sqs.DeleteQueueAsync(url, Ct));
        await Assert.ThrowsAsync<QueueDoesNotExistException>(() =>
            engine.Sqs.SendMessageBatchAsync(url, [new SendMessageBatchRequestEntry("a", "x")], Ct));
    }

    [Fact]
    public async Task Queue_url_follows_the_host_header_and_queues_match_by_path()
    {
        await using TestEngine engine = await TestEngine.StartAsync(persistent: false);
        using var wire = new SqsWire(engine.Endpoint);

        WireResponse created = await wire.JsonAsync("CreateQueue", """{"QueueName":"hosted"}""", host: "sqs.internal:4566");

        Assert.Equal(HttpStatusCode.OK, created.Status);
        Assert.Equal("http://sqs.internal:4566/000000000000/hosted", created.Json().GetProperty("QueueUrl").GetString());

        // The engine reuses the base URL it built last only while the Host header is the same.
        foreach (string host in new[] { "other.internal:9", "sqs.internal:4566", "sqs.internal:4567" })
        {
            WireResponse found = await wire.JsonAsync("GetQueueUrl", """{"QueueName":"hosted"}""", host);
            Assert.Equal($"http://{host}/000000000000/hosted", found.Json().GetProperty("QueueUrl").GetString());
        }

        // A URL with another host (kumo always says localhost:4566) still reaches the queue by its path.
        await engine.Sqs.SendMessageAsync("http://localhost:4566/000000000000/hosted", "via kumo-style url", Ct);
        ReceiveMessageResponse received = await engine.Sqs.ReceiveMessageAsync($"{engine.Endpoint}000000000000/hosted", Ct);
        Assert.Equal("via kumo-style url", Assert.Single(received.Messages).Body);
    }
}
