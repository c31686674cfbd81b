using System.Text;
using System.Text.Json;
using Amazon.SQS.Model;
using Kumo.Embedded.Protocol;

namespace Kumo.Embedded.Tests.Sqs;

/// <summary>
/// The thread's reusable writers: each answer is whole and only its own (also while a journal record is written), whether the buffer is kept (small
/// answers) or let go (an answer over 64 KiB); and SQS answers of both kinds, interleaved on one engine, reach the
/// real SDK intact (it checks every body's MD5).
/// </summary>
public sealed class JsonScratchTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public void Each_answer_is_only_its_own_whatever_its_size()
    {
        string large = new('L', 100_000);
        foreach (string text in new[] { "first", large, "after-large", "x", large, "last" })
        {
            Utf8JsonWriter writer = JsonScratch.Answer.Begin();
            writer.WriteStartObject();
            writer.WriteString("v", text);
            writer.WriteEndObject();
            byte[] written = JsonScratch.Answer.Written().ToArray();

            Assert.Equal(JsonSerializer.Serialize(new { v = text }), Encoding.UTF8.GetString(written));
        }
    }

    [Fact]
    public void A_kept_buffer_is_reused_and_a_grown_one_is_let_go()
    {
        JsonScratch.Answer.Begin().WriteStringValue("small");
        ReadOnlySpan<byte> first = JsonScratch.Answer.Written();
        JsonScratch.Answer.Begin().WriteStringValue("other");
        ReadOnlySpan<byte> second = JsonScratch.Answer.Written();
        Assert.True(first.Overlaps(second), "a small answer reuses the thread's buffer");

        JsonScratch.Answer.Begin().WriteStringValue(new string('g', 100_000));
        ReadOnlySpan<byte> grown = JsonScratch.Answer.Written();
        JsonScratch.Answer.Begin().WriteStringValue("next");
        ReadOnlySpan<byte> next = JsonScratch.Answer.Written();
        Assert.False(grown.Overlaps(next), "the buffer grown past 64 KiB is not kept");
        Assert.Equal(100_002, grown.Length);
        Assert.Equal("\"next\""u8, next);
    }

    [Fact]
    public void A_record_serialized_while_an_answer_is_open_leaves_the_answer_whole()
    {
        Utf8JsonWriter answer = JsonScratch.Answer.Begin();
        answer.WriteStartObject();
        answer.WriteString("answer", "before");
        ReadOnlySpan<byte> record = JsonScratch.Record.Serialize("a journal record", System.Text.Json.Serialization.Metadata.JsonMetadataServices.CreateValueInfo<string>(JsonSerializerOptions.Default, System.Text.Json.Serialization.Metadata.JsonMetadataServices.StringConverter));
        Assert.Equal("\"a journal record\""u8, record);
        answer.WriteString("after", "record");
        answer.WriteEndObject();

        Assert.Equal("{\"answer\":\"before\",\"after\":\"record\"}", Encoding.UTF8.GetString(JsonScratch.Answer.Written()));
        Assert.False(record.Overlaps(JsonScratch.Answer.Written()), "the two writers have buffers of their own");
    }

    [Fact]
    public async Task Large_and_small_sqs_answers_interleaved_reach_the_sdk_intact()
    {
        await using TestEngine engine = await TestEngine.StartAsync(persistent: false);
        string url = (await engine.Sqs.CreateQueueAsync("scratch", Ct)).QueueUrl;
        var bodies = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < 10; i++)
        {
            string body = $"{i}:" + new string((char)('a' + i), 20_000);
            bodies.Add(body);
            await engine.Sqs.SendMessageAsync(url, body, Ct);
        }

        // One receive answers ~200 KiB (past the kept size); the sends and deletes around it answer small.
        var received = new List<Message>();
        while (received.Count(m => m.Body != "small") < 10)
        {
            ReceiveMessageResponse answer = await engine.Sqs.ReceiveMessageAsync(new ReceiveMessageRequest(url) { MaxNumberOfMessages = 10 }, Ct);
            received.AddRange(answer.Messages);
            SendMessageResponse small = await engine.Sqs.SendMessageAsync(url, "small", Ct);
            Assert.NotNull(small.MessageId);
        }

        Assert.True(bodies.SetEquals(received.Select(m => m.Body).Where(b => b != "small")));
    }
}
