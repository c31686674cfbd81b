using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Xml.Linq;
using Amazon.SQS.Model;

namespace Kumo.Embedded.Tests.Sqs;

/// <summary>The query protocol (form posts, XML answers) that older SDKs and CLIs speak, over raw HTTP.</summary>
public sealed class SqsQueryProtocolTests
{
    private static readonly XNamespace Ns = SqsWire.QueryNamespace;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Create_send_receive_delete_over_the_query_protocol()
    {
        await using TestEngine engine = await TestEngine.StartAsync(persistent: false);
        using var wire = new SqsWire(engine.Endpoint);

        WireResponse created = await wire.FormAsync(
        [
            new("Action", "CreateQueue"),
            new("QueueName", "legacy"),
            new("Attribute.1.Name", "VisibilityTimeout"),
            new("Attribute.1.Value", "42"),
            new("Tag.1.Key", "team"),
            new("Tag.1.Value", "core"),
        ]);
        Assert.Equal(HttpStatusCode.OK, created.Status);
        XElement createResponse = created.Xml().Root!;
        Assert.Equal(Ns + "CreateQueueResponse", createResponse.Name);
        string queueUrl = createResponse.Element(Ns + "CreateQueueResult")!.Element(Ns + "QueueUrl")!.Value;
        Assert.Equal($"{engine.Endpoint}000000000000/legacy", queueUrl);
        Assert.False(string.IsNullOrEmpty(createResponse.Element(Ns + "ResponseMetadata")!.Element(Ns + "RequestId")!.Value));
        Assert.Equal("42", (await engine.Sqs.GetQueueAttributesAsync(queueUrl, ["VisibilityTimeout"], Ct)).Attributes["VisibilityTimeout"]);
        Assert.Equal("core", (await engine.Sqs.ListQueueTagsAsync(new ListQueueTagsRequest { QueueUrl = queueUrl }, Ct)).Tags["team"]);

        byte[] blob = [9, 8, 7, 255];
        WireResponse sent = await wire.FormAsync(
        [
            new("Action", "SendMessage"),
            new("QueueUrl", queueUrl),
            new("MessageBody", "from a form + spaces & ümlauts"),
            new("MessageAttribute.1.Name", "color"),
            new("MessageAttribute.1.Value.DataType", "String"),
            new("MessageAttribute.1.Value.StringValue", "blue"),
            new("MessageAttribute.2.Name", "raw"),
            new("MessageAttribute.2.Value.DataType", "Binary"),
            new("MessageAttribute.2.Value.BinaryValue", Convert.ToBase64String(blob)),
        ]);
        Assert.Equal(HttpStatusCode.OK, sent.Status);
        XElement sendResult = sent.Xml().Root!.Element(Ns + "SendMessageResult")!;
        Assert.Equal(Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes("from a form + spaces & ümlauts"))), sendResult.Element(Ns + "MD5OfMessageBody")!.Value);
        string attributesMd5 = sendResult.Element(Ns + "MD5OfMessageAttributes")!.Value;

        // The same attributes through the SDK (which verifies the digest itself) give the same MD5.
        SendMessageResponse viaSdk = await engine.Sqs.SendMessageAsync(new SendMessageRequest(queueUrl, "sdk twin")
        {
            MessageAttributes = new()
            {
                ["color"] = new MessageAttributeValue { DataType = "String", StringValue = "blue" },
                ["raw"] = new MessageAttributeValue { DataType = "Binary", BinaryValue = new MemoryStream(blob) },
            },
        }, Ct);
        Assert.Equal(viaSdk.MD5OfMessageAttributes, attributesMd5);

        WireResponse received = await wire.FormAsync(
        [
            new("Action", "ReceiveMessage"),
            new("QueueUrl", queueUrl),
            new("MaxNumberOfMessages", "1"),
            new("AttributeName.1", "All"),
            new("MessageAttributeName.1", "All"),
        ]);
        Assert.Equal(HttpStatusCode.OK, received.Status);
        XElement message = Assert.Single(received.Xml().Root!.Element(Ns + "ReceiveMessageResult")!.Elements(Ns + "Message"));
        Assert.Equal("from a form + spaces & ümlauts", message.Element(Ns + "Body")!.Value);
        Assert.Equal(attributesMd5, message.Element(Ns + "MD5OfMessageAttributes")!.Value);
        Dictionary<string, string> systemAttributes = message.Elements(Ns + "Attribute")
            .ToDictionary(a => a.Element(Ns + "Name")!.Value, a => a.Element(Ns + "Value")!.Value);
        Assert.Equal("1", systemAttributes["ApproximateReceiveCount"]);
        Assert.True(systemAttributes.ContainsKey("SentTimestamp"));
        Dictionary<string, XElement> userAttributes = message.Elements(Ns + "MessageAttribute")
            .ToDictionary(a => a.Element(Ns + "Name")!.Value, a => a.Element(Ns + "Value")!);
        Assert.Equal("blue", userAttributes["color"].Element(Ns + "StringValue")!.Value);
        Assert.Equal("String", userAttributes["color"].Element(Ns + "DataType")!.Value);
        Assert.Equal(blob, Convert.FromBase64String(userAttributes["raw"].Element(Ns + "BinaryValue")!.Value));

        WireResponse deleted = await wire.FormAsync(
        [
            new("Action", "DeleteMessage"),
            new("QueueUrl", queueUrl),
            new("ReceiptHandle", message.Element(Ns + "ReceiptHandle")!.Value),
        ]);
        Assert.Equal(HttpStatusCode.OK, deleted.Status);
        Assert.Equal(Ns + "DeleteMessageResponse", deleted.Xml().Root!.Name);
        Assert.Equal("1", (await engine.Sqs.GetQueueAttributesAsync(queueUrl, ["ApproximateNumberOfMessages"], Ct)).Attributes["ApproximateNumberOfMessages"]);
        Assert.Equal(4, engine.Engine.Compatibility.ByReason["sqs-query-protocol"]);
    }

    [Fact]
    public async Task Errors_are_ErrorResponse_documents()
    {
        await using TestEngine engine = await TestEngine.StartAsync(persistent: false);
        using var wire = new SqsWire(engine.Endpoint);

        WireResponse missing = await wire.FormAsync([new("Action", "GetQueueUrl"), new("QueueName", "absent")]);

        Assert.Equal(HttpStatusCode.BadRequest, missing.Status);
        XElement root = missing.Xml().Root!;
        Assert.Equal(Ns + "ErrorResponse", root.Name);
        XElement error = root.Element(Ns + "Error")!;
        Assert.Equal("Sender", error.Element(Ns + "Type")!.Value);
        Assert.Equal("AWS.SimpleQueueService.NonExistentQueue", error.Element(Ns + "Code")!.Value);
        Assert.Contains("does not exist", error.Element(Ns + "Message")!.Value, StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty(root.Element(Ns + "RequestId")!.Value));

        WireResponse unknown = await wire.FormAsync([new("Action", "Frobnicate")]);
        Assert.Equal(HttpStatusCode.BadRequest, unknown.Status);
        XElement unknownError = unknown.Xml().Root!.Element(Ns + "Error")!;
        Assert.Equal("InvalidAction", unknownError.Element(Ns + "Code")!.Value);
        Assert.Contains("Frobnicate", unknownError.Element(Ns + "Message")!.Value, StringComparison.Ordinal);

        WireResponse noAction = await wire.FormAsync([new("QueueName", "x")]);
        Assert.Equal("MissingAction", noAction.Xml().Root!.Element(Ns + "Error")!.Element(Ns + "Code")!.Value);

        WireResponse badName = await wire.FormAsync([new("Action", "CreateQueue"), new("QueueName", "no spaces allowed")]);
        Assert.Equal("InvalidParameterValue", badName.Xml().Root!.Element(Ns + "Error")!.Element(Ns + "Code")!.Value);
        await wire.AssertHealthyAsync();
    }

    [Fact]
    public async Task Strict_kumo_compatibility_rejects_the_query_protocol_but_serves_json()
    {
        await using TestEngine engine = await TestEngine.StartAsync(o => o with { StrictKumoCompatibility = true }, persistent: false);
        using var wire = new SqsWire(engine.Endpoint);

        WireResponse rejected = await wire.FormAsync([new("Action", "CreateQueue"), new("QueueName", "strict")]);
        string url = (await engine.Sqs.CreateQueueAsync("strict-json", Ct)).QueueUrl;

        Assert.Equal(HttpStatusCode.BadRequest, rejected.Status);
        Assert.Equal("KumoIncompatibleRequest", rejected.Xml().Root!.Element(Ns + "Error")!.Element(Ns + "Code")!.Value);
        Assert.EndsWith("/strict-json", url, StringComparison.Ordinal);
        Assert.Equal(1, engine.Engine.Compatibility.Total);
    }

    [Fact]
    public async Task Queue_url_path_batches_lists_and_get_requests()
    {
        await using TestEngine engine = await TestEngine.StartAsync(persistent: false);
        using var wire = new SqsWire(engine.Endpoint);
        await engine.Sqs.CreateQueueAsync("path-a", Ct);
        await engine.Sqs.CreateQueueAsync("path-b", Ct);

        // Older clients post to the queue URL itself instead of passing QueueUrl.
        WireResponse batch = await wire.FormAsync(
        [
            new("Action", "SendMessageBatch"),
            new("SendMessageBatchRequestEntry.1.Id", "one"),
            new("SendMessageBatchRequestEntry.1.MessageBody", "first"),
            new("SendMessageBatchRequestEntry.1.MessageAttribute.1.Name", "n"),
            new("SendMessageBatchRequestEntry.1.MessageAttribute.1.Value.DataType", "Number"),
            new("SendMessageBatchRequestEntry.1.MessageAttribute.1.Value.StringValue", "5"),
            new("SendMessageBatchRequestEntry.2.Id", "two"),
            new("SendMessageBatchRequestEntry.2.MessageBody", "second"),
            new("SendMessageBatchRequestEntry.2.DelaySeconds", "0"),
            new("SendMessageBatchRequestEntry.3.Id", "three"),
            new("SendMessageBatchRequestEntry.3.MessageBody", "late"),
            new("SendMessageBatchRequestEntry.3.DelaySeconds", "9999"),
        ], "/000000000000/path-a");
        Assert.Equal(HttpStatusCode.OK, batch.Status);
        XElement result = batch.Xml().Root!.Element(Ns + "SendMessageBatchResult")!;
        Assert.Equal(["one", "two"], result.Elements(Ns + "SendMessageBatchResultEntry").Select(e => e.Element(Ns + "Id")!.Value));
        XElement failed = Assert.Single(result.Elements(Ns + "BatchResultErrorEntry"));
        Assert.Equal("three", failed.Element(Ns + "Id")!.Value);
        Assert.Equal("true", failed.Element(Ns + "SenderFault")!.Value);
        Assert.NotNull(result.Elements(Ns + "SendMessageBatchResultEntry").First().Element(Ns + "MD5OfMessageAttributes"));

        using var get = new HttpRequestMessage(HttpMethod.Get, "/?Action=ListQueues&QueueNamePrefix=path-&Version=2012-11-05");
        WireResponse listed = await wire.SendAsync(get);
        Assert.Equal(HttpStatusCode.OK, listed.Status);
        Assert.Equal(
            [$"{engine.Endpoint}000000000000/path-a", $"{engine.Endpoint}000000000000/path-b"],
            listed.Xml().Root!.Element(Ns + "ListQueuesResult")!.Elements(Ns + "QueueUrl").Select(e => e.Value));

        WireResponse attributes = await wire.FormAsync(
            [new("Action", "GetQueueAttributes"), new("AttributeName.1", "ApproximateNumberOfMessages"), new("AttributeName.2", "QueueArn")],
            "/000000000000/path-a");
        Dictionary<string, string> values = attributes.Xml().Root!.Element(Ns + "GetQueueAttributesResult")!.Elements(Ns + "Attribute")
            .ToDictionary(a => a.Element(Ns + "Name")!.Value, a => a.Element(Ns + "Value")!.Value);
        Assert.Equal("2", values["ApproximateNumberOfMessages"]);
        Assert.Equal("arn:aws:sqs:us-east-1:000000000000:path-a", values["QueueArn"]);
    }
}
