using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text.Json;

namespace Kumo.Embedded.S3;

/// <summary>
/// An object as a bucket holds it: one slot of the bucket's array, so a stored object is not a graph of objects for
/// the garbage collector to trace and copy.
/// </summary>
/// <remarks>
/// <para>
/// A <em>plain</em> object (uploaded in one piece, so its ETag is the first half of its blob id; no user metadata, no
/// content headers beyond its type, no client checksum; a UTC time) is one byte array: its size, its time, its blob id's
/// 32 bytes and its key's UTF-16 code units. Its content type is a reference to a string a request already made.
/// Any other object keeps its <see cref="S3Object"/> as <see cref="Rich"/>. Both are immutable once stored.
/// </para>
/// <para>
/// Before, every stored object was four heap objects (the record, its key, ETag and blob id strings) and an entry in
/// two hash tables of strings. With 100,000 objects stored, a 1-connection PutObject cost about 4 µs more CPU than one
/// whose object was dropped, and ran 20 % slower, most of it in collections that copy what every PUT keeps
/// (<c>bench/results/request-cost.md</c> section 14).
/// </para>
/// </remarks>
internal struct StoredObject
{
    private const int SizeAt = 0;
    private const int TicksAt = 8;
    private const int IdAt = 16;
    private const int KeyAt = IdAt + ContentKey.Bytes;
    private const int EtagDigits = 32;

    /// <summary>The size, time, blob id and key of a plain object; null otherwise.</summary>
    public byte[]? Packed;

    /// <summary>The object when it is not plain; null for a plain one.</summary>
    public S3Object? Rich;

    /// <summary>A plain object's content type.</summary>
    public string? ContentType;

    /// <summary>The key's <see cref="HashOf"/> in the bucket's index.</summary>
    internal int KeyHash;

    /// <summary>The next slot in this one's index bucket (-1 for the last); the next free slot while this one is free.</summary>
    internal int NextInBucket;

    /// <summary>Whether the slot's index is in the bucket's list of keys not yet in key order (kept while it is free).</summary>
    internal bool Pending;

    /// <summary>Whether the key is in the bucket's ordered set.</summary>
    internal bool Sorted;

    /// <summary>Whether the slot holds an object.</summary>
    public readonly bool IsUsed => Packed is not null || Rich is not null;

    /// <summary>The hash of a key in a bucket's index (a per-process string hash: never persisted).</summary>
    public static int HashOf(string key) => key.GetHashCode(StringComparison.Ordinal);

    /// <summary>The stored form of <paramref name="value"/>.</summary>
    /// <param name="value">The object.</param>
    /// <param name="bodyKey">The key its <see cref="S3Object.BlobId"/> spells, when the caller has it: no hex is decoded then.</param>
    public static StoredObject From(S3Object value, BodyKey? bodyKey = null)
    {
        if (!IsPlain(value, bodyKey, out BodyKey id))
        {
            return new StoredObject { Rich = value };
        }

        ReadOnlySpan<byte> key = MemoryMarshal.AsBytes(value.Key.AsSpan());
        byte[] packed = GC.AllocateUninitializedArray<byte>(KeyAt + key.Length);
        BinaryPrimitives.WriteInt64LittleEndian(packed.AsSpan(SizeAt), value.Size);
        BinaryPrimitives.WriteInt64LittleEndian(packed.AsSpan(TicksAt), value.LastModified.UtcTicks);
        id.Write(packed.AsSpan(IdAt));
        key.CopyTo(packed.AsSpan(KeyAt));
        return new StoredObject { Packed = packed, ContentType = value.ContentType };
    }

    /// <summary>The key of this (used) slot's object, as the UTF-16 code units it was stored with.</summary>
    public readonly ReadOnlySpan<char> KeySpan => Packed is { } packed
        ? MemoryMarshal.Cast<byte, char>(packed.AsSpan(KeyAt))
        : Rich!.Key;

    /// <summary>Whether this (used) slot holds the object under <paramref name="key"/>.</summary>
    public readonly bool HasKey(string key) => KeySpan.SequenceEqual(key);

    /// <summary>The key of this (used) slot's object.</summary>
    public readonly string Key() => Rich?.Key ?? new string(KeySpan);

    /// <summary>
    /// The object in this (used) slot, as a new object for a plain one; <paramref name="key"/> is its key when the
    /// caller has it (a lookup by key), so it is not made again.
    /// </summary>
    public readonly S3Object View(string? key = null)
    {
        if (Packed is not { } packed)
        {
            return Rich!;
        }

        return new S3Object
        {
            Key = key ?? Key(),
            Size = SizeOf(packed),
            ETag = string.Create(EtagDigits + 2, packed, static (chars, packed) => FormatETag(packed, chars)),
            BlobId = Convert.ToHexStringLower(IdOf(packed)),
            LastModified = TimeOf(packed),
            ContentType = ContentType!,
        };
    }

    /// <summary>
    /// Writes this (used) slot's object as the generated serializer writes its <see cref="View"/>, byte for byte, without
    /// making it: a plain object's fields come straight from its bytes (a checkpoint writes every object, and making
    /// each one was a third of its serializer's time); any other object goes through the generated serializer.
    /// </summary>
    public readonly void WriteJson(Utf8JsonWriter writer)
    {
        if (Packed is not { } packed)
        {
            JsonSerializer.Serialize(writer, Rich!, S3JsonContext.Default.S3Object);
            return;
        }

        Span<char> etag = stackalloc char[EtagDigits + 2];
        FormatETag(packed, etag);
        Span<char> blobId = stackalloc char[2 * ContentKey.Bytes];
        Convert.TryToHexStringLower(IdOf(packed), blobId, out _);

        writer.WriteStartObject();
        writer.WriteString(S3CheckpointWriter.Names.Key, KeySpan);
        writer.WriteNumber(S3CheckpointWriter.Names.Size, SizeOf(packed));
        writer.WriteString(S3CheckpointWriter.Names.ETag, etag);
        writer.WriteString(S3CheckpointWriter.Names.BlobId, blobId);
        writer.WriteString(S3CheckpointWriter.Names.LastModified, TimeOf(packed));
        writer.WriteString(S3CheckpointWriter.Names.ContentType, ContentType);
        writer.WriteStartObject(S3CheckpointWriter.Names.Metadata);
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    /// <summary>
    /// Whether <paramref name="value"/> comes back the same from its packed form: every optional field unset, a UTC
    /// time, a lowercase hex blob id (its bytes in <paramref name="id"/>: <paramref name="bodyKey"/> when given, which the
    /// caller knows the id spells) whose first half is the ETag.
    /// </summary>
    private static bool IsPlain(S3Object value, BodyKey? bodyKey, out BodyKey id)
    {
        id = bodyKey.GetValueOrDefault();
        return
        ReferenceEquals(value.Metadata, S3Object.NoMetadata)
        && value.ContentEncoding is null
        && value.ContentDisposition is null
        && value.ContentLanguage is null
        && value.CacheControl is null
        && value.Expires is null
        && value.ChecksumAlgorithm is null
        && value.ChecksumValue is null
        && value.LastModified.Offset == TimeSpan.Zero
        && value.BlobId.Length == 2 * ContentKey.Bytes
        && !value.BlobId.AsSpan().ContainsAnyInRange('A', 'F')
        && (bodyKey.HasValue || BodyKey.TryParse(value.BlobId, out id))
        && value.ETag.Length == EtagDigits + 2
        && value.ETag[0] == '"'
        && value.ETag[^1] == '"'
        && value.ETag.AsSpan(1, EtagDigits).SequenceEqual(value.BlobId.AsSpan(0, EtagDigits));
    }

    private static long SizeOf(byte[] packed) => BinaryPrimitives.ReadInt64LittleEndian(packed.AsSpan(SizeAt));

    private static DateTimeOffset TimeOf(byte[] packed) => new(BinaryPrimitives.ReadInt64LittleEndian(packed.AsSpan(TicksAt)), TimeSpan.Zero);

    private static ReadOnlySpan<byte> IdOf(byte[] packed) => packed.AsSpan(IdAt, ContentKey.Bytes);

    /// <summary>A plain object's quoted ETag (the first half of its blob id, in lowercase hex) into <paramref name="chars"/>.</summary>
    private static void FormatETag(byte[] packed, Span<char> chars)
    {
        chars[0] = '"';
        chars[^1] = '"';
        Convert.TryToHexStringLower(packed.AsSpan(IdAt, EtagDigits / 2), chars[1..^1], out _);
    }
}
