using System.Net;
using System.Text;
using System.Text.Json;

namespace Kumo.Embedded.Tests.Sqs;

/// <summary>Malformed, unknown and oversized requests get AWS-shaped 4xx answers and the engine keeps serving.</summary>
public sealed class SqsBadRequestTests
{
    private const int SmallLimit = 64 * 1024;

    [Fact]
    public async Task Malformed_json_is_a_serialization_error()
    {
        await using TestEngine engine = await TestEngine.StartAsync(persistent: false);
        using var wire = new SqsWire(engine.Endpoint);

        foreach (string body in new[] { "{\"QueueName\": ", "[1,2]", "not json at all", "{\"QueueName\": 5}" })
        {
            WireResponse response = await wire.JsonAsync("CreateQueue", body);

            Assert.Equal(HttpStatusCode.BadRequest, response.Status);
            Assert.Equal("application/x-amz-json-1.0", response.Header("Content-Type"));
            JsonElement error = response.Json();
            Assert.Equal("com.amazonaws.sqs#SerializationException", error.GetProperty("__type").GetString());
            Assert.False(string.IsNullOrEmpty(error.GetProperty("message").GetString()));
        }

        WireResponse typed = await wire.JsonAsync("CreateQueue", "{\"QueueName\": 5}");
        Assert.Contains("QueueName", typed.Json().GetProperty("message").GetString(), StringComparison.Ordinal);
        await wire.AssertHealthyAsync();
    }

    [Theory]
    [InlineData("{\"QueueUrl\":\"Q\",\"MessageBody\":\"a\\ud800b\"}")]
    [InlineData("{\"QueueUrl\":\"Q\",\"MessageBody\":\"a\\udfffb\"}")]
    [InlineData("{\"QueueUrl\":\"Q\",\"MessageBody\":\"a\u00ff\u00feb\"}")]
    public async Task Undecodable_text_in_json_is_a_serialization_error(string template)
    {
        await using TestEngine engine = await TestEngine.StartAsync(persistent: false);
        using var wire = new SqsWire(engine.Endpoint);
        string queueUrl = (await engine.Sqs.CreateQueueAsync("text", TestContext.Current.CancellationToken)).QueueUrl;
        // \u00ff\u00fe stand for the raw bytes 0xFF 0xFE, which are not UTF-8.
        byte[] body = [.. Encoding.Latin1.GetBytes(template.Replace("Q", queueUrl, StringComparison.Ordinal))];
        using var request = new HttpRequestMessage(HttpMethod.Post, "/") { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/x-amz-json-1.0");
        request.Headers.TryAddWithoutValidation("X-Amz-Target", "AmazonSQS.SendMessage");

        WireResponse response = await wire.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.Equal("com.amazonaws.sqs#SerializationException", response.Json().GetProperty("__type").GetString());
        Assert.Contains("MessageBody", response.Json().GetProperty("message").GetString(), StringComparison.Ordinal);
        await wire.AssertHealthyAsync();
    }

    [Fact]
    public async Task Unknown_action_names_the_action()
    {
        await using TestEngine engine = await TestEngine.StartAsync(persistent: false);
        using var wire = new SqsWire(engine.Endpoint);

        WireResponse response = await wire.JsonAsync("Frobnicate", "{}");

        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        JsonElement error = response.Json();
        Assert.Equal("com.amazonaws.sqs#InvalidAction", error.GetProperty("__type").GetString());
        Assert.Contains("Frobnicate", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal("InvalidAction;Sender", response.Header("x-amzn-query-error"));

        WireResponse unimplemented = await wire.JsonAsync("AddPermission", "{}");
        Assert.Equal("com.amazonaws.sqs#UnsupportedOperation", unimplemented.Json().GetProperty("__type").GetString());
        await wire.AssertHealthyAsync();
    }

    [Fact]
    public async Task Missing_queue_error_has_the_query_compatible_header()
    {
        await using TestEngine engine = await TestEngine.StartAsync(persistent: false);
        using var wire = new SqsWire(engine.Endpoint);

        WireResponse response = await wire.JsonAsync("GetQueueUrl", """{"QueueName":"absent"}""");

        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.Equal("com.amazonaws.sqs#QueueDoesNotExist", response.Json().GetProperty("__type").GetString());
        Assert.Equal("AWS.SimpleQueueService.NonExistentQueue;Sender", response.Header("x-amzn-query-error"));
        Assert.False(string.IsNullOrEmpty(response.Header("x-amzn-RequestId")));
    }

    [Fact]
    public async Task Invalid_queue_name_and_missing_parameters_are_4xx()
    {
        await using TestEngine engine = await TestEngine.StartAsync(persistent: false);
        using var wire = new SqsWire(engine.Endpoint);

        WireResponse badName = await wire.JsonAsync("CreateQueue", """{"QueueName":"bad name!"}""");
        WireResponse noName = await wire.JsonAsync("CreateQueue", "{}");
        WireResponse noUrl = await wire.JsonAsync("SendMessage", """{"MessageBody":"x"}""");

        Assert.Equal(HttpStatusCode.BadRequest, badName.Status);
        Assert.Equal("com.amazonaws.sqs#InvalidParameterValue", badName.Json().GetProperty("__type").GetString());
        Assert.Equal("com.amazonaws.sqs#MissingParameter", noName.Json().GetProperty("__type").GetString());
        Assert.Contains("QueueName", noName.Json().GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Contains("QueueUrl", noUrl.Json().GetProperty("message").GetString(), StringComparison.Ordinal);
        await wire.AssertHealthyAsync();
    }

    [Fact]
    public async Task Oversized_bodies_are_rejected_with_413()
    {
        await using TestEngine engine = await TestEngine.StartAsync(o => o with { MaxControlBodySize = SmallLimit }, persistent: false);
        using var wire = new SqsWire(engine.Endpoint);
        string queueUrl = await CreateQueueAsync(engine, "big");
        string oversizedJson = JsonSerializer.Serialize(new Dictionary<string, string> { ["QueueUrl"] = queueUrl, ["MessageBody"] = new string('x', SmallLimit * 2) });

        WireResponse declared = await wire.JsonAsync("SendMessage", oversizedJson);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, declared.Status);
        Assert.Equal("com.amazonaws.sqs#RequestEntityTooLarge", declared.Json().GetProperty("__type").GetString());
        Assert.Contains("MaxControlBodySize", declared.Json().GetProperty("message").GetString(), StringComparison.Ordinal);

        // Without Content-Length (chunked), the limit is enforced while reading.
        using var chunked = new HttpRequestMessage(HttpMethod.Post, "/") { Content = new StreamContent(new UnknownLengthStream(Encoding.UTF8.GetBytes(oversizedJson))) };
        chunked.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/x-amz-json-1.0");
        chunked.Headers.TryAddWithoutValidation("X-Amz-Target", "AmazonSQS.SendMessage");
        WireResponse streamed = await wire.SendAsync(chunked);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, streamed.Status);

        WireResponse form = await wire.FormAsync([new("Action", "SendMessage"), new("QueueUrl", queueUrl), new("MessageBody", new string('y', SmallLimit * 2))]);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, form.Status);
        Assert.Equal("RequestEntityTooLarge", form.Xml().Root!.Element(SqsWire.QueryNamespace + "Error")!.Element(SqsWire.QueryNamespace + "Code")!.Value);

        await wire.AssertHealthyAsync();
        Amazon.SQS.Model.SendMessageResponse small = await engine.Sqs.SendMessageAsync(queueUrl, "still fine", TestContext.Current.CancellationToken);
        Assert.False(string.IsNullOrEmpty(small.MessageId));
        Assert.Equal("1", (await engine.Sqs.GetQueueAttributesAsync(queueUrl, ["ApproximateNumberOfMessages"], TestContext.Current.CancellationToken)).Attributes["ApproximateNumberOfMessages"]);
    }

    [Fact]
    public async Task A_chunked_body_under_the_limit_is_read_whole_across_its_pieces()
    {
        await using TestEngine engine = await TestEngine.StartAsync(o => o with { MaxControlBodySize = SmallLimit }, persistent: false);
        using var wire = new SqsWire(engine.Endpoint);
        string queueUrl = await CreateQueueAsync(engine, "pieces");
        // Without a Content-Length the engine starts with a 4 KiB buffer: a 40 KiB body arrives in several reads and
        // outgrows it; the body the queue keeps must be the whole of it, in order.
        string body = string.Concat(Enumerable.Range(0, 4000).Select(i => i.ToString("D9", System.Globalization.CultureInfo.InvariantCulture) + ","));
        string json = JsonSerializer.Serialize(new Dictionary<string, string> { ["QueueUrl"] = queueUrl, ["MessageBody"] = body });
        using var chunked = new HttpRequestMessage(HttpMethod.Post, "/") { Content = new StreamContent(new UnknownLengthStream(Encoding.UTF8.GetBytes(json)), 1024) };
        chunked.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/x-amz-json-1.0");
        chunked.Headers.TryAddWithoutValidation("X-Amz-Target", "AmazonSQS.SendMessage");

        WireResponse sent = await wire.SendAsync(chunked);

        Assert.Equal(HttpStatusCode.OK, sent.Status);
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.MD5.HashData(Encoding.UTF8.GetBytes(body))), sent.Json().GetProperty("MD5OfMessageBody").GetString());
        Amazon.SQS.Model.ReceiveMessageResponse received = await engine.Sqs.ReceiveMessageAsync(queueUrl, TestContext.Current.CancellationToken);
        Assert.Equal(body, Assert.Single(received.Messages).Body);
    }

    private static async Task<string> CreateQueueAsync(TestEngine engine, string name)
    {
        await engine.Sqs.CreateQueueAsync(name, TestContext.Current.CancellationToken);
        return $"{engine.Endpoint}000000000000/{name}";
    }

    /// <summary>A stream that hides its length, so HttpClient sends it chunked.</summary>
    private sealed class UnknownLengthStream(byte[] content) : MemoryStream(content)
    {
        public override bool CanSeek => false;

        public override long Length => throw new NotSupportedException();
    }
}
