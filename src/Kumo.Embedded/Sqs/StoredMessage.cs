using System.Security.Cryptography;
using System.Text;
using System.Text.Unicode;

namespace Kumo.Embedded.Sqs;

/// <summary>
/// A message as a queue holds it: its content and its delivery state in one slot of the queue's array, so a stored
/// message is not a graph of objects for the garbage collector to trace and copy.
/// </summary>
/// <remarks>
/// <para>
/// A <em>plain</em> message (no attributes, no FIFO fields, not moved by a redrive, sent by the engine's account, an
/// ASCII id and a body that is valid UTF-16) is one byte array: its id, the 16 bytes of its body's MD5, and its body's
/// UTF-8. Any other message keeps its <see cref="SqsMessage"/> as <see cref="Rich"/>. Both are immutable once stored;
/// only the delivery state changes.
/// </para>
/// <para>
/// Before, every stored message was five objects (the message, its list node, its id, body and MD5 strings) plus an
/// entry in an id dictionary. Each young collection traced and copied every message sent since the last one, and each
/// older collection copied them again: with 100,000 messages queued, a 1-connection SendMessage cost about 15 µs more
/// CPU than one whose message was dropped, and as much as one whose message was kept as a single byte array
/// (<c>bench/results/request-cost.md</c> section 12).
/// </para>
/// </remarks>
internal struct StoredMessage
{
    private const int Md5Length = 16;

    /// <summary>The id, the body's MD5 and the body's UTF-8 of a plain message; null otherwise.</summary>
    public byte[]? Encoded;

    /// <summary>The content of a message that is not plain; null for a plain one.</summary>
    public SqsMessage? Rich;

    /// <summary>The length of the id at the start of <see cref="Encoded"/>.</summary>
    public int IdLength;

    public long SentTimestamp;

    public long VisibleAt;

    public int ReceiveCount;

    public long? FirstReceiveTimestamp;

    public int ReceiptNonce;

    /// <summary>The id's <see cref="HashOf"/> in the queue's index.</summary>
    internal int IdHash;

    /// <summary>The slot before this one in queue order (-1 for the first).</summary>
    internal int Previous;

    /// <summary>The slot after this one in queue order (-1 for the last); the next free slot while this one is free.</summary>
    internal int Next;

    /// <summary>The next slot in this one's index bucket (-1 for the last).</summary>
    internal int NextInBucket;

    public readonly bool IsVisible(long now) => VisibleAt <= now;

    public readonly bool IsInFlight(long now) => ReceiveCount > 0 && VisibleAt > now;

    /// <summary>The FIFO message group, or null.</summary>
    public readonly string? MessageGroupId => Rich?.MessageGroupId;

    /// <summary>The stored form of <paramref name="message"/> with its delivery state.</summary>
    /// <param name="message">The message.</param>
    /// <param name="encoded">
    /// The message's <see cref="Encode"/>, when the caller already made it (a send does, for the MD5); ignored when the
    /// message is not plain (a send cannot tell before it knows the queue).
    /// </param>
    public static StoredMessage From(SqsMessage message, byte[]? encoded = null)
    {
        encoded = IsPlain(message) ? encoded ?? Encode(message.MessageId, message.Body) : null;
        return new StoredMessage
        {
            Encoded = encoded,
            Rich = encoded is null ? message : null,
            IdLength = message.MessageId.Length,
            SentTimestamp = message.SentTimestamp,
            VisibleAt = message.VisibleAt,
            ReceiveCount = message.ReceiveCount,
            FirstReceiveTimestamp = message.FirstReceiveTimestamp,
            ReceiptNonce = message.ReceiptNonce,
        };
    }

    /// <summary>
    /// The encoded content of a plain message with this id and body, its MD5 computed; null when either cannot be
    /// encoded without loss (a non-ASCII id, a body with an unpaired surrogate).
    /// </summary>
    public static byte[]? Encode(string messageId, string body)
    {
        if (!Ascii.IsValid(messageId))
        {
            return null;
        }

        // An unpaired surrogate is counted as a replacement character here, and refused by the encoding below.
        int bodyLength = Encoding.UTF8.GetByteCount(body);
        byte[] encoded = GC.AllocateUninitializedArray<byte>(messageId.Length + Md5Length + bodyLength);
        Ascii.FromUtf16(messageId, encoded, out _);
        Span<byte> utf8 = encoded.AsSpan(messageId.Length + Md5Length);
        if (Utf8.FromUtf16(body, utf8, out _, out int written, replaceInvalidSequences: false) != System.Buffers.OperationStatus.Done || written != bodyLength)
        {
            return null;
        }

        Protocol.ShortMd5.HashData(utf8, encoded.AsSpan(messageId.Length, Md5Length));
        return encoded;
    }

    /// <summary>The hash of a message id in a queue's index (a per-process string hash: never persisted).</summary>
    public static int HashOf(string messageId) => messageId.GetHashCode(StringComparison.Ordinal);

    /// <summary>The lowercase hex MD5 of the body of an <see cref="Encode"/>d message.</summary>
    public static string Md5Hex(byte[] encoded, int idLength) => Convert.ToHexStringLower(encoded.AsSpan(idLength, Md5Length));

    /// <summary>Whether this (occupied) slot holds the message with this id.</summary>
    public readonly bool HasId(string messageId) => Encoded is { } encoded
        ? IdLength == messageId.Length && Ascii.Equals(encoded.AsSpan(0, IdLength), messageId)
        : string.Equals(Rich!.MessageId, messageId, StringComparison.Ordinal);

    /// <summary>The message with this slot's delivery state, as a new object (changing it does not change the slot).</summary>
    public readonly SqsMessage View()
    {
        if (Encoded is not { } encoded)
        {
            return Rich! with { VisibleAt = VisibleAt, ReceiveCount = ReceiveCount, FirstReceiveTimestamp = FirstReceiveTimestamp, ReceiptNonce = ReceiptNonce };
        }

        return new SqsMessage
        {
            MessageId = Encoding.ASCII.GetString(encoded, 0, IdLength),
            Body = Encoding.UTF8.GetString(encoded.AsSpan(IdLength + Md5Length)),
            Md5OfBody = Md5Hex(encoded, IdLength),
            SentTimestamp = SentTimestamp,
            SenderId = EngineContext.AccountId,
            VisibleAt = VisibleAt,
            ReceiveCount = ReceiveCount,
            FirstReceiveTimestamp = FirstReceiveTimestamp,
            ReceiptNonce = ReceiptNonce,
        };
    }

    private static bool IsPlain(SqsMessage message) =>
        message.MessageAttributes.Count == 0
        && message.SystemAttributes.Count == 0
        && message.Md5OfMessageAttributes is null
        && message.Md5OfMessageSystemAttributes is null
        && message.MessageGroupId is null
        && message.MessageDeduplicationId is null
        && message.SequenceNumber is null
        && message.DeadLetterQueueSourceArn is null
        && message.SenderId == EngineContext.AccountId;
}
