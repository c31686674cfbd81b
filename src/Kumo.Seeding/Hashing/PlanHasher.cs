using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Kumo.Seeding;

/// <summary>
/// Computes the content hash of a <see cref="SeedPlan"/>: SHA-256 over a canonical, versioned
/// encoding of the plan that includes the SHA-256 of every object's bytes.
/// </summary>
/// <remarks>
/// <para>
/// The encoding is length-prefixed binary (no JSON escaping or culture involved), with buckets,
/// queues, object keys, attributes and metadata sorted ordinally; messages keep their send order.
/// Names are hashed as written (placeholders unresolved), so the hash — the snapshot key — does not
/// depend on the run or worker. Directory sources are hashed as the objects they expand to, and
/// files are hashed by content, not by path: moving the fixture folder keeps the hash.
/// </para>
/// <para>
/// Files are streamed in 80 KiB blocks; nothing is loaded whole. Change <see cref="FormatVersion"/>
/// whenever the encoding changes, so old snapshots are rebuilt rather than reused.
/// </para>
/// </remarks>
/// <example>
/// <code>
/// string key = await PlanHasher.ComputeAsync(plan);   // same as plan.ComputeHashAsync()
/// </code>
/// </example>
public static class PlanHasher
{
    /// <summary>The version of the canonical encoding; part of every hash.</summary>
    public const int FormatVersion = 1;

    private const string Magic = "kumo-seed-plan";
    private const int BufferSize = 81920;

    /// <summary>Computes the hash of <paramref name="plan"/>.</summary>
    /// <param name="plan">The plan.</param>
    /// <param name="cancellationToken">Cancels reading files.</param>
    /// <returns>Lower-case hex SHA-256 (64 characters).</returns>
    public static async Task<string> ComputeAsync(SeedPlan plan, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(plan);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var writer = new CanonicalWriter(hash);
        writer.String(Magic);
        writer.Integer(FormatVersion);
        writer.String(plan.FixtureVersion);

        BucketSeed[] buckets = [.. plan.Buckets];
        Array.Sort(buckets, static (a, b) => string.CompareOrdinal(a.Name, b.Name));
        writer.Integer(buckets.Length);
        foreach (BucketSeed bucket in buckets)
        {
            writer.String(bucket.Name);
            IReadOnlyList<PlannedObject> objects = bucket.Expand();
            writer.Integer(objects.Count);
            foreach (PlannedObject item in objects)
            {
                writer.String(item.Key);
                writer.String(item.ContentType);
                writer.Map(item.Seed.Metadata);
                (byte[] digest, long length) = await DigestAsync(item, cancellationToken).ConfigureAwait(false);
                writer.Integer(length);
                writer.Bytes(digest);
            }
        }

        QueueSeed[] queues = [.. plan.Queues];
        Array.Sort(queues, static (a, b) => string.CompareOrdinal(a.Name, b.Name));
        writer.Integer(queues.Length);
        foreach (QueueSeed queue in queues)
        {
            writer.String(queue.Name);
            writer.Boolean(queue.Fifo);
            writer.Map(queue.Attributes);
            writer.String(queue.DeadLetter?.QueueName);
            writer.Integer(queue.DeadLetter?.MaxReceiveCount ?? 0);
            writer.Boolean(queue.ReplaceMessages);
            writer.Integer(queue.Messages.Count);
            foreach (MessageSeed message in queue.Messages)
            {
                writer.String(message.Body);
                writer.String(message.GroupId);
                writer.String(message.DeduplicationId);
                string[] names = [.. message.Attributes.Keys];
                Array.Sort(names, string.CompareOrdinal);
                writer.Integer(names.Length);
                foreach (string name in names)
                {
                    writer.String(name);
                    writer.String(message.Attributes[name].DataType);
                    writer.String(message.Attributes[name].Value);
                }
            }
        }

        // Tables came later: a plan without tables hashes exactly as before, so existing snapshots stay valid.
        if (plan.Tables.Count > 0)
        {
            TableSeed[] tables = [.. plan.Tables];
            Array.Sort(tables, static (x, y) => string.CompareOrdinal(x.Name, y.Name));
            writer.String("tables");
            writer.Integer(tables.Length);
            foreach (TableSeed table in tables)
            {
                writer.String(table.Name);
                Key(writer, table.HashKey);
                Key(writer, table.RangeKey);
                foreach (IReadOnlyList<TableIndexSeed> indexes in (IReadOnlyList<TableIndexSeed>[])[table.GlobalSecondaryIndexes, table.LocalSecondaryIndexes])
                {
                    writer.Integer(indexes.Count);
                    foreach (TableIndexSeed index in indexes.OrderBy(i => i.Name, StringComparer.Ordinal))
                    {
                        writer.String(index.Name);
                        Key(writer, index.HashKey);
                        Key(writer, index.RangeKey);
                        writer.String(index.Projection);
                    }
                }

                writer.String(table.TtlAttribute);
                writer.Integer((int)table.OnDifference);
                writer.Integer(table.Items.Count);
                foreach (TableItemSeed item in table.Items)
                {
                    writer.String(item.Canonical);
                }
            }
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    private static void Key(CanonicalWriter writer, TableKeySeed? key)
    {
        writer.String(key?.Name);
        writer.String(key?.Type);
    }

    /// <summary>SHA-256 and length of one object's bytes, streamed.</summary>
    internal static async Task<(byte[] Digest, long Length)> DigestAsync(PlannedObject item, CancellationToken cancellationToken)
    {
        if (item.FullPath is null)
        {
            byte[] bytes = Encoding.UTF8.GetBytes(item.Seed.Text ?? string.Empty);
            return (SHA256.HashData(bytes), bytes.LongLength);
        }

        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        byte[] buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            await using var stream = new FileStream(item.FullPath, FileMode.Open, FileAccess.Read, FileShare.Read, 1, useAsync: true);
            long length = 0;
            int read;
            while ((read = await stream.ReadAsync(buffer.AsMemory(0, BufferSize), cancellationToken).ConfigureAwait(false)) > 0)
            {
                hash.AppendData(buffer, 0, read);
                length += read;
            }

            return (hash.GetHashAndReset(), length);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Unambiguous, length-prefixed encoding of primitive values into a running hash.</summary>
    private sealed class CanonicalWriter(IncrementalHash hash)
    {
        private const byte NullTag = 0;
        private const byte StringTag = 1;
        private const byte IntegerTag = 2;
        private const byte BooleanTag = 3;
        private const byte BytesTag = 4;

        public void String(string? value)
        {
            if (value is null)
            {
                hash.AppendData([NullTag]);
                return;
            }

            byte[] bytes = Encoding.UTF8.GetBytes(value);
            hash.AppendData([StringTag]);
            AppendLength(bytes.Length);
            hash.AppendData(bytes);
        }

        public void Integer(long value)
        {
            Span<byte> buffer = stackalloc byte[9];
            buffer[0] = IntegerTag;
            BinaryPrimitives.WriteInt64LittleEndian(buffer[1..], value);
            hash.AppendData(buffer);
        }

        public void Boolean(bool value) => hash.AppendData([BooleanTag, value ? (byte)1 : (byte)0]);

        public void Bytes(byte[] value)
        {
            hash.AppendData([BytesTag]);
            AppendLength(value.Length);
            hash.AppendData(value);
        }

        public void Map(IReadOnlyDictionary<string, string> map)
        {
            string[] keys = [.. map.Keys];
            Array.Sort(keys, string.CompareOrdinal);
            Integer(keys.Length);
            foreach (string key in keys)
            {
                String(key);
                String(map[key]);
            }
        }

        private void AppendLength(long length)
        {
            Span<byte> buffer = stackalloc byte[8];
            BinaryPrimitives.WriteInt64LittleEndian(buffer, length);
            hash.AppendData(buffer);
        }
    }
}
