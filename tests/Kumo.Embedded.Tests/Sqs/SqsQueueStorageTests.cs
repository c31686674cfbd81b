using Kumo.Embedded.Sqs;

namespace Kumo.Embedded.Tests.Sqs;

/// <summary>
/// A queue's message storage (slots linked in queue order, an id index, growth and compaction) against a plain list
/// doing the same operations: the order, the lookups and the content of every message must agree.
/// </summary>
public sealed class SqsQueueStorageTests
{
    [Fact]
    public void Adds_removes_receives_and_compactions_keep_the_order_and_the_index()
    {
        var queue = new SqsQueue("q", new SqsQueueAttributes(fifo: false), createdTimestamp: 0);
        var expected = new List<string>();
        var random = new Random(7);
        int sent = 0;
        for (int step = 0; step < 6_000; step++)
        {
            // Grow to a few thousand, then drain to a handful (so the array doubles, then compacts), then grow again.
            bool draining = step is >= 2_500 and < 4_500;
            if (expected.Count > 0 && (draining ? random.Next(10) < 9 : random.Next(10) < 3))
            {
                string victim = expected[random.Next(expected.Count)];
                Assert.True(queue.Remove(victim));
                expected.Remove(victim);
                Assert.False(queue.Remove(victim));
            }
            else
            {
                SqsMessage message = Message(sent++);
                queue.Add(message);
                expected.Add(message.MessageId);
            }

            if (step % 500 == 0)
            {
                // A receive moves what it returns to the back, in the order returned.
                List<SqsMessage> received = queue.Receive(now: step, max: 3, visibilityTimeout: 0, deadLetter: null);
                Assert.Equal(expected.Take(3), received.Select(m => m.MessageId));
                foreach (SqsMessage message in received)
                {
                    expected.Remove(message.MessageId);
                    expected.Add(message.MessageId);
                }
            }
        }

        Assert.Equal(expected, queue.Messages.Select(m => m.MessageId));
        Assert.Equal((expected.Count, 0, 0), queue.Count(now: 6_000));
        foreach (string id in expected)
        {
            int index = queue.IndexOf(id);
            Assert.True(index >= 0, id);
            SqsMessage found = queue.At(index).View();
            Assert.Equal(Message(int.Parse(id.AsSpan(id.IndexOf('-') + 1), System.Globalization.CultureInfo.InvariantCulture)).Body, found.Body);
        }

        Assert.Equal(-1, queue.IndexOf("id-missing"));
    }

    [Fact]
    public void A_message_that_cannot_be_encoded_is_kept_as_it_was_sent()
    {
        // A non-ASCII id (from a restored document) and a body with an unpaired surrogate (from a restored document,
        // never from a send, which refuses it) would change if stored as UTF-8: they are kept as objects instead.
        var queue = new SqsQueue("q", new SqsQueueAttributes(fifo: false), createdTimestamp: 0);
        SqsMessage[] messages =
        [
            new() { MessageId = "é-1", Body = "plain", Md5OfBody = MessageContents.Md5Hex("plain"), SentTimestamp = 1, SenderId = EngineContext.AccountId },
            new() { MessageId = "lone", Body = "a\uD800b", Md5OfBody = "given", SentTimestamp = 2, SenderId = EngineContext.AccountId },
            new() { MessageId = "other-sender", Body = "x", Md5OfBody = MessageContents.Md5Hex("x"), SentTimestamp = 3, SenderId = "123456789012" },
            new() { MessageId = "ascii", Body = "snow ☃ and 🧊", Md5OfBody = MessageContents.Md5Hex("snow ☃ and 🧊"), SentTimestamp = 4, SenderId = EngineContext.AccountId },
        ];
        foreach (SqsMessage message in messages)
        {
            queue.Add(message);
        }

        var describe = (SqsMessage m) => (m.MessageId, m.Body, m.Md5OfBody, m.SentTimestamp, m.SenderId);
        Assert.Equal(messages.Select(describe), queue.Messages.Select(describe));
        Assert.Equal(describe(messages[1]), describe(queue.At(queue.IndexOf("lone")).View()));
    }

    private static SqsMessage Message(int n)
    {
        string body = new string('m', n % 300) + n.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return new SqsMessage { MessageId = $"id-{n}", Body = body, Md5OfBody = MessageContents.Md5Hex(body), SentTimestamp = n, SenderId = EngineContext.AccountId };
    }
}
