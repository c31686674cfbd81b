using System.Text;

/// <summary>
/// The fixed answers of the HTTP ceiling, the same bytes whichever server sends them (Kestrel in Program.cs, plain
/// sockets in <see cref="BareSocket"/>; bench/peers/bare-c.c and bare-node.mjs send the same documents).
/// </summary>
internal static class Answers
{
    /// <summary>GET /health.</summary>
    public static readonly byte[] Health = "{\"status\":\"healthy\"}"u8.ToArray();

    /// <summary>Any other GET: a 4 KiB object.</summary>
    public static readonly byte[] ObjectBody = Encoding.ASCII.GetBytes(new string('x', 4096));

    /// <summary>The object's ETag.</summary>
    public const string ObjectETag = "\"0b7dc6e2b6fe3a8ba9b8c4a1a4fc9e3b\"";

    /// <summary>A SendMessage's answer when the message is not kept.</summary>
    public static readonly byte[] Sent = "{\"MD5OfMessageBody\":\"0b7dc6e2b6fe3a8ba9b8c4a1a4fc9e3b\",\"MessageId\":\"5fea7756-0ea4-451a-a703-a558b933e274\"}"u8.ToArray();

    /// <summary>A ReceiveMessage's answer: one message with its receipt handle, as long as the engine's.</summary>
    public static readonly byte[] Received = Encoding.ASCII.GetBytes("{\"Messages\":[{\"MessageId\":\"4002ae9c-9887-4da7-0000-000000000003\",\"ReceiptHandle\":\"a3VtbzEKYmVuY2gKNDAwMmFlOWMtOTg4Ny00ZGE3LTAwMDAtMDAwMDAwMDAwMDAzCjE\","
        + $"\"MD5OfBody\":\"1ad9692ca2a96eb029eb5f723e011552\",\"Body\":\"{new string('m', 256)}\"}}]}}");

    /// <summary>A DeleteMessage's answer.</summary>
    public static readonly byte[] Deleted = "{}"u8.ToArray();

    /// <summary>The SQS JSON document answering the X-Amz-Target <paramref name="target"/> (a SendMessage's for any other).</summary>
    public static byte[] ForTarget(ReadOnlySpan<char> target) =>
        target.SequenceEqual("AmazonSQS.ReceiveMessage") ? Received : target.SequenceEqual("AmazonSQS.DeleteMessage") ? Deleted : Sent;
}
