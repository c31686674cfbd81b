using System.Text.Json;
using Kumo.Embedded.Protocol;
using Kumo.Embedded.Sqs;

namespace Kumo.Embedded.Tests.Sqs;

/// <summary>Pure rules that need no server: names, URLs, receipt handles and query normalization.</summary>
public sealed class SqsRulesTests
{
    [Theory]
    [InlineData("plain ascii text, long enough for the vectorized scan to take several steps over it", -1)]
    [InlineData("tab\tnewline\ncr\r", -1)]
    [InlineData("emoji 😀 private \uE000 last \uFFFD", -1)]
    [InlineData("a bell: \u0007", 8)]
    [InlineData("0123456789012345678901234567890123456789 then \u0001", 46)]
    [InlineData("not a character \uFFFE", 16)]
    [InlineData("\u001F first", 0)]
    public void Message_text_is_checked_for_the_characters_sqs_rejects(string text, int index)
    {
        Assert.Equal(index < 0 ? null : index, MessageContents.FindInvalidCharacter(text));
    }

    [Fact]
    public void A_lone_surrogate_is_rejected_where_it_stands()
    {
        // Built at run time: an attribute's strings are stored as UTF-8, which turns a lone surrogate into U+FFFD.
        Assert.Equal(10, MessageContents.FindInvalidCharacter("lone high " + '\uD800' + "x"));
        Assert.Equal(9, MessageContents.FindInvalidCharacter("lone low " + '\uDC00'));
        Assert.Equal(16, MessageContents.FindInvalidCharacter("high at the end " + '\uD83D'));
        Assert.Null(MessageContents.FindInvalidCharacter("a pair " + '\uD83D' + '\uDE00'));
    }

    [Theory]
    [InlineData("http://localhost:4566/000000000000/orders", "orders")]
    [InlineData("https://sqs.us-east-1.amazonaws.com/123456789012/jobs.fifo", "jobs.fifo")]
    [InlineData("http://127.0.0.1:1234/000000000000/trailing/", "trailing")]
    [InlineData("bare-name", "bare-name")]
    public void Queue_urls_resolve_by_their_last_path_segment(string url, string name)
    {
        Assert.Equal(name, QueueNames.FromUrl(url));
    }

    [Fact]
    public void A_queue_url_after_another_resolves_to_its_own_name()
    {
        // The thread remembers its last URL: a different one, or the same one again, must not get a stale answer.
        string[] names = ["a", "b", "a", "a", "c.fifo"];
        Assert.Equal(names, names.Select(name => QueueNames.FromUrl("http://127.0.0.1:4566/000000000000/" + name)));
    }

    [Theory]
    [InlineData("ok_name-1", false, true)]
    [InlineData("ok.fifo", true, true)]
    [InlineData("ok.fifo", false, false)]
    [InlineData("ok", true, false)]
    [InlineData(".fifo", true, false)]
    [InlineData("with.dot", false, false)]
    [InlineData("ünicode", false, false)]
    public void Queue_names_follow_the_sqs_rules(string name, bool fifo, bool valid)
    {
        AwsServiceException? error = Record.Exception(() => QueueNames.Validate(name, fifo)) as AwsServiceException;

        Assert.Equal(valid, error is null);
    }

    [Fact]
    public void Receipt_handles_round_trip_and_reject_garbage()
    {
        var handle = new ReceiptHandle("queue", "message-id", 3);

        Assert.True(ReceiptHandle.TryDecode(handle.Encode(), out ReceiptHandle decoded));
        Assert.Equal(handle, decoded);
        Assert.False(ReceiptHandle.TryDecode("garbage!", out _));
        Assert.False(ReceiptHandle.TryDecode("Z2FyYmFnZQ", out _));
        Assert.False(ReceiptHandle.TryDecode(string.Empty, out _));
    }

    [Fact]
    public void Query_parameters_normalize_to_the_json_shape()
    {
        var parameters = new Dictionary<string, string>
        {
            ["Action"] = "SendMessageBatch",
            ["QueueUrl"] = "http://x/000000000000/q",
            ["SendMessageBatchRequestEntry.2.Id"] = "b",
            ["SendMessageBatchRequestEntry.2.MessageBody"] = "second",
            ["SendMessageBatchRequestEntry.1.Id"] = "a",
            ["SendMessageBatchRequestEntry.1.MessageBody"] = "first",
            ["SendMessageBatchRequestEntry.1.MessageAttribute.1.Name"] = "k",
            ["SendMessageBatchRequestEntry.1.MessageAttribute.1.Value.DataType"] = "String",
            ["SendMessageBatchRequestEntry.1.MessageAttribute.1.Value.StringValue"] = "v",
            ["AttributeName.2"] = "SentTimestamp",
            ["AttributeName.1"] = "All",
            ["Attribute.1.Name"] = "DelaySeconds",
            ["Attribute.1.Value"] = "5",
        };

        using JsonDocument normalized = SqsQueryProtocol.Normalize(parameters, "SendMessageBatch");
        JsonElement root = normalized.RootElement;

        Assert.Equal("http://x/000000000000/q", root.GetProperty("QueueUrl").GetString());
        JsonElement[] entries = [.. root.GetProperty("Entries").EnumerateArray()];
        Assert.Equal(["a", "b"], entries.Select(e => e.GetProperty("Id").GetString()));
        Assert.Equal("v", entries[0].GetProperty("MessageAttributes").GetProperty("k").GetProperty("StringValue").GetString());
        Assert.Equal(["All", "SentTimestamp"], root.GetProperty("AttributeNames").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("5", root.GetProperty("Attributes").GetProperty("DelaySeconds").GetString());
    }

    [Fact]
    public void Message_attribute_md5_depends_on_every_field()
    {
        string Md5(string name, string type, string? text, byte[]? binary) =>
            MessageAttributeMd5.Compute([new(name, new SqsMessageAttribute(type, text, binary))])!;

        string baseline = Md5("a", "String", "v", null);

        Assert.Equal(32, baseline.Length);
        Assert.NotEqual(baseline, Md5("b", "String", "v", null));
        Assert.NotEqual(baseline, Md5("a", "String.x", "v", null));
        Assert.NotEqual(baseline, Md5("a", "String", "w", null));
        Assert.NotEqual(Md5("a", "Binary", null, [(byte)'v']), Md5("a", "Binary", null, [(byte)'w']));
        Assert.Null(MessageAttributeMd5.Compute([]));
    }
}
