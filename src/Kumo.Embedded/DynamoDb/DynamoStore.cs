using System.Text.Json;
using Kumo.Embedded.Persistence;
using Kumo.Embedded.Protocol;

namespace Kumo.Embedded.DynamoDb;

/// <summary>All tables of one engine, one lock over them, and their journal and checkpoints.</summary>
/// <remarks>
/// <para>
/// Every operation runs its reads, condition checks and writes in one critical section, so a
/// conditional write or a transaction is atomic against every other request. Each mutation appends
/// one journal record in the same critical section (a transaction or a batch is one record), so
/// replay never sees half of it.
/// </para>
/// <para>
/// Records: <c>{"op":"table","table":{definition}}</c> (create or redefine), <c>{"op":"drop","name":…}</c>
/// and <c>{"op":"write","writes":[{"table":…,"item":{…}} or {"table":…,"key":{…}}]}</c>. The
/// checkpoint (<c>dynamodb.json</c>) holds every table's definition and items in DynamoDB JSON.
/// </para>
/// </remarks>
internal sealed class DynamoStore : IPersistentService
{
    private readonly SortedDictionary<string, DynamoTable> _tables = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;
    private Journal? _journal;

    public DynamoStore(TimeProvider time)
    {
        _time = time;
    }

    public Lock Gate { get; } = new();

    /// <summary>The file stem: <c>dynamodb.json</c>, <c>dynamodb-journal-&lt;n&gt;</c>.</summary>
    public string Name => "dynamodb";

    /// <summary>Everything lives in the checkpoint and the journal: no side files.</summary>
    public JournalHooks Hooks { get; } = new();

    public long NowMilliseconds => _time.GetUtcNow().ToUnixTimeMilliseconds();

    /// <summary>All tables (call under <see cref="Gate"/>).</summary>
    public IReadOnlyCollection<DynamoTable> Tables => _tables.Values;

    /// <summary>The table, with its expired items removed first; ResourceNotFoundException when there is none (call under <see cref="Gate"/>).</summary>
    public DynamoTable Table(string name, bool describe = false)
    {
        if (!_tables.TryGetValue(name, out DynamoTable? table))
        {
            throw describe ? DynamoErrors.TableNotFound(name) : DynamoErrors.ResourceNotFound();
        }

        List<DynamoItem> expired = table.Expire(NowMilliseconds / 1000);
        if (expired.Count > 0)
        {
            RecordWrites([.. expired.Select(k => new DynamoWrite(name, k, null))]);
        }

        return table;
    }

    public bool Exists(string name) => _tables.ContainsKey(name);

    public void AddTable(DynamoTable table)
    {
        _tables.Add(table.Definition.Name, table);
        RecordTable(table.Definition);
    }

    public void Redefine(DynamoTable table, DynamoTableDefinition definition)
    {
        table.Redefine(definition);
        RecordTable(definition);
    }

    public void DropTable(string name)
    {
        _tables.Remove(name);
        Record(writer =>
        {
            writer.WriteString("op", "drop");
            writer.WriteString("name", name);
        });
    }

    /// <summary>Applies item writes (puts and deletes) to their tables and journals them as one record.</summary>
    public void Apply(IReadOnlyList<DynamoWrite> writes)
    {
        foreach (DynamoWrite write in writes)
        {
            DynamoTable table = _tables[write.Table];
            if (write.Item is { } item)
            {
                table.Put(item);
            }
            else
            {
                table.Delete(write.Key);
            }
        }

        RecordWrites(writes);
    }

    public void Attach(Journal? journal) => _journal = journal;

    public Task DurableAsync() => _journal is null ? Task.CompletedTask : _journal.WhenDurableAsync(_journal.LastSequence);

    /// <summary>Captures all state and starts a new journal segment in one critical section; the document is written after it, straight to the checkpoint file.</summary>
    /// <remarks>
    /// A stored item is never changed in place (an update stores a changed copy, values are immutable) and a table's
    /// definition is an immutable record, so the lock is held only to copy references: a checkpoint of a large table
    /// does not hold requests for the length of its serialization, and the document is streamed (flushed every
    /// <see cref="CheckpointFlushBytes"/>), never held whole.
    /// </remarks>
    public Func<Stream, CancellationToken, Task> Checkpoint(Func<long> rotate)
    {
        List<(DynamoTableDefinition Definition, DynamoItem[] Items)> tables;
        long journal;
        lock (Gate)
        {
            tables = [.. _tables.Values.Select(t => (t.Definition, t.All().ToArray()))];
            journal = rotate();
        }

        return (stream, cancellationToken) => WriteCheckpointAsync(stream, tables, journal, cancellationToken);
    }

    private const int CheckpointFlushBytes = 64 * 1024;

    private static async Task WriteCheckpointAsync(Stream stream, List<(DynamoTableDefinition Definition, DynamoItem[] Items)> tables, long journal, CancellationToken cancellationToken)
    {
        await using var writer = new Utf8JsonWriter(stream);
        writer.WriteStartObject();
        writer.WriteNumber("format", EngineIdentity.PersistenceFormat);
        writer.WriteNumber("journal", journal);
        writer.WriteStartArray("tables");
        foreach ((DynamoTableDefinition definition, DynamoItem[] items) in tables)
        {
            writer.WriteStartObject();
            writer.WritePropertyName("definition");
            definition.WriteState(writer);
            writer.WriteStartArray("items");
            foreach (DynamoItem item in items)
            {
                DynamoJson.WriteItem(writer, item);
                if (writer.BytesPending >= CheckpointFlushBytes)
                {
                    await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
                }
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
        await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    public long LoadCheckpoint(ReadOnlySpan<byte> document)
    {
        using JsonDocument json = ParseState(document, "checkpoint");
        JsonElement root = json.RootElement;
        RequireMembers(root, "$", "format", "journal", "tables");
        if (!root.TryGetProperty("format", out JsonElement format) || !format.TryGetInt32(out int version) || version != EngineIdentity.PersistenceFormat)
        {
            throw new InvalidDataException($"/format: expected {EngineIdentity.PersistenceFormat} (this engine's persistence format).");
        }

        long journal = root.TryGetProperty("journal", out JsonElement j) && j.TryGetInt64(out long segment) && segment >= 1
            ? segment
            : throw new InvalidDataException("/journal: expected the first journal segment, a number of at least 1.");
        var tables = new List<DynamoTable>();
        int t = 0;
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (JsonElement entry in Array(root, "tables", "/tables"))
        {
            string at = $"/tables/{t++}";
            RequireMembers(entry, at, "definition", "items");
            DynamoTable table = Guard(at + "/definition", () => new DynamoTable(DynamoTableDefinition.Parse(entry.GetProperty("definition"), Guid.NewGuid().ToString(), NowMilliseconds, stored: true)));
            if (!names.Add(table.Definition.Name))
            {
                throw new InvalidDataException($"{at}/definition/TableName: the table '{table.Definition.Name}' appears twice.");
            }

            int i = 0;
            foreach (JsonElement element in Array(entry, "items", at + "/items"))
            {
                string itemAt = $"{at}/items/{i++}";
                Guard(itemAt, () =>
                {
                    DynamoItem item = DynamoJson.ReadItem(element, "item");
                    table.ValidateItem(item);
                    return table.Put(item);
                });
            }

            tables.Add(table);
        }

        lock (Gate)
        {
            _tables.Clear();
            foreach (DynamoTable table in tables)
            {
                _tables[table.Definition.Name] = table;
            }
        }

        return journal;
    }

    public void Replay(ReadOnlySpan<byte> payload)
    {
        using JsonDocument json = ParseState(payload, "record");
        JsonElement root = json.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidDataException($"$: expected a JSON object, found {root.ValueKind}.");
        }

        string op = root.TryGetProperty("op", out JsonElement o) && o.ValueKind == JsonValueKind.String ? o.GetString()! : throw new InvalidDataException("/op: missing.");
        lock (Gate)
        {
            switch (op)
            {
                case "table":
                    DynamoTableDefinition definition = Guard("/table", () => DynamoTableDefinition.Parse(root.GetProperty("table"), Guid.NewGuid().ToString(), NowMilliseconds, stored: true));
                    if (_tables.TryGetValue(definition.Name, out DynamoTable? existing))
                    {
                        existing.Redefine(definition);
                    }
                    else
                    {
                        _tables.Add(definition.Name, new DynamoTable(definition));
                    }

                    break;
                case "drop":
                    _tables.Remove(root.TryGetProperty("name", out JsonElement n) ? n.GetString() ?? string.Empty : string.Empty);
                    break;
                case "write":
                    int w = 0;
                    foreach (JsonElement write in Array(root, "writes", "/writes"))
                    {
                        string at = $"/writes/{w++}";
                        Guard(at, () =>
                        {
                            string name = DynamoRequest.RequiredString(write, "table");
                            DynamoTable table = _tables.TryGetValue(name, out DynamoTable? found) ? found : throw new InvalidDataException($"{at}/table: the table '{name}' does not exist at this point of the journal.");
                            if (DynamoRequest.Object(write, "item") is { } item)
                            {
                                DynamoItem value = DynamoJson.ReadItem(item, "item");
                                table.ValidateItem(value);
                                return table.Put(value);
                            }

                            return table.Delete(table.ValidateKey(DynamoJson.ReadItem(write.GetProperty("key"), "key")));
                        });
                    }

                    break;
                default:
                    throw new InvalidDataException($"/op: unknown operation '{op}'.");
            }
        }
    }

    public void FinishLoad()
    {
    }

    public void Reset()
    {
        lock (Gate)
        {
            _tables.Clear();
        }
    }

    private void RecordTable(DynamoTableDefinition definition) => Record(writer =>
    {
        writer.WriteString("op", "table");
        writer.WritePropertyName("table");
        definition.WriteState(writer);
    });

    private void RecordWrites(IReadOnlyList<DynamoWrite> writes) => Record(writer =>
    {
        writer.WriteString("op", "write");
        writer.WriteStartArray("writes");
        foreach (DynamoWrite write in writes)
        {
            writer.WriteStartObject();
            writer.WriteString("table", write.Table);
            writer.WritePropertyName(write.Item is null ? "key" : "item");
            DynamoJson.WriteItem(writer, write.Item ?? write.Key);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    });

    private void Record(Action<Utf8JsonWriter> body)
    {
        if (_journal is null)
        {
            return;
        }

        Utf8JsonWriter writer = JsonScratch.Record.Begin();
        writer.WriteStartObject();
        body(writer);
        writer.WriteEndObject();
        _journal.Append(JsonScratch.Record.Written());
    }

    private static JsonDocument ParseState(ReadOnlySpan<byte> document, string what)
    {
        try
        {
            return JsonDocument.Parse(document.ToArray(), new JsonDocumentOptions { MaxDepth = 256 });
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"the {what} is not valid JSON (line {ex.LineNumber + 1}): {ex.Message}");
        }
    }

    /// <summary>Throws naming the pointer unless <paramref name="element"/> is an object holding only the given members.</summary>
    private static void RequireMembers(JsonElement element, string at, params string[] allowed)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidDataException($"{at}: expected a JSON object, found {element.ValueKind}.");
        }

        foreach (JsonProperty member in element.EnumerateObject())
        {
            if (!allowed.Contains(member.Name, StringComparer.Ordinal))
            {
                throw new InvalidDataException($"{(at == "$" ? string.Empty : at)}/{member.Name}: unknown member; expected only {string.Join(", ", allowed)}.");
            }
        }
    }

    private static JsonElement.ArrayEnumerator Array(JsonElement owner, string member, string at) =>
        owner.ValueKind == JsonValueKind.Object && owner.TryGetProperty(member, out JsonElement array) && array.ValueKind == JsonValueKind.Array
            ? array.EnumerateArray()
            : throw new InvalidDataException($"{at}: expected an array.");

    /// <summary>Runs a load step; an API error or a missing member becomes an <see cref="InvalidDataException"/> naming the pointer.</summary>
    private static T Guard<T>(string at, Func<T> step)
    {
        try
        {
            return step();
        }
        catch (Protocol.AwsServiceException ex)
        {
            throw new InvalidDataException($"{at}: {ex.Message}", ex);
        }
        catch (KeyNotFoundException ex)
        {
            throw new InvalidDataException($"{at}: a required member is missing ({ex.Message}).", ex);
        }
        catch (InvalidOperationException ex)
        {
            throw new InvalidDataException($"{at}: a member has the wrong JSON type ({ex.Message}).", ex);
        }
    }
}

/// <summary>One item write: a put (<see cref="Item"/> set) or a delete of <see cref="Key"/>.</summary>
internal sealed record DynamoWrite(string Table, DynamoItem Key, DynamoItem? Item);
