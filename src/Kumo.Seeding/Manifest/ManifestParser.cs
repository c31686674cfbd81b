using System.Globalization;
using System.Text.Json;

namespace Kumo.Seeding;

/// <summary>
/// Turns a manifest document into a <see cref="SeedPlan"/>: strict about structure (unknown fields,
/// wrong types and missing fields are errors), then the shared semantic checks of
/// <see cref="SeedPlanValidator"/>. All errors of a stage are reported together.
/// </summary>
internal sealed class ManifestParser
{
    private static readonly string[] RootFields = ["$schema", "version", "fixtureVersion", "buckets", "queues", "tables"];
    private static readonly string[] TableFields = ["name", "hashKey", "rangeKey", "globalSecondaryIndexes", "localSecondaryIndexes", "ttlAttribute", "itemFormat", "items", "itemFiles", "onDifference"];
    private static readonly string[] KeyFields = ["name", "type"];
    private static readonly string[] GlobalIndexFields = ["name", "hashKey", "rangeKey", "projection"];
    private static readonly string[] LocalIndexFields = ["name", "rangeKey", "projection"];
    private static readonly string[] ItemFileFields = ["file", "format"];
    private static readonly string[] BucketFields = ["name", "objects"];
    private static readonly string[] ObjectFields = ["key", "prefix", "text", "file", "directory", "contentType", "metadata"];
    private static readonly string[] QueueFields = ["name", "fifo", "attributes", "redrive", "messages", "replaceMessages"];
    private static readonly string[] RedriveFields = ["deadLetterQueue", "maxReceiveCount"];
    private static readonly string[] MessageFields = ["body", "groupId", "deduplicationId", "attributes"];
    private static readonly string[] MessageAttributeFields = ["dataType", "value"];
    private static readonly string[] SourceFields = ["text", "file", "directory"];

    private readonly SeedErrors _errors;
    private readonly string _baseDirectory;

    private ManifestParser(SeedErrors errors, string baseDirectory)
    {
        _errors = errors;
        _baseDirectory = baseDirectory;
    }

    public static SeedPlan Parse(ReadOnlySpan<byte> json, string baseDirectory, string? sourceName)
    {
        var errors = new SeedErrors(sourceName);
        ManifestNode root = ManifestReader.Read(json, errors);
        var parser = new ManifestParser(errors, Path.GetFullPath(baseDirectory));
        if (root is not ManifestObject document)
        {
            errors.Add(string.Empty, root.Line, $"the manifest must be a JSON object, not {root.Describe()}.", "start the file with { \"version\": 1, \"fixtureVersion\": \"v1\", \"buckets\": [], \"queues\": [] }.");
            errors.ThrowIfAny();
            throw new InvalidOperationException("unreachable");
        }

        parser.CheckVersion(document);
        errors.ThrowIfAny();
        parser.CheckFields(document, RootFields, "the manifest");
        string fixtureVersion = parser.ReadString(document, "fixtureVersion", required: true, "\"v1\"") ?? string.Empty;
        var buckets = parser.ReadArray(document, "buckets", parser.ReadBucket);
        var queues = parser.ReadArray(document, "queues", parser.ReadQueue);
        var tables = parser.ReadArray(document, "tables", parser.ReadTable);
        errors.ThrowIfAny();
        return SeedPlan.CreateValidated(fixtureVersion, buckets, queues, tables, baseDirectory, sourceName, new SeedLocation(string.Empty, document.Line, FieldLines(document)), errors);
    }

    private void CheckVersion(ManifestObject document)
    {
        ManifestNode? node = document["version"];
        if (node is null)
        {
            _errors.Add("/version", document.Line, "\"version\" is missing.", $"add \"version\": {SeedManifest.CurrentVersion} at the top of the manifest.");
            return;
        }

        if (node is not ManifestValue { Kind: JsonTokenType.Number } value || !int.TryParse(value.Text, NumberStyles.None, CultureInfo.InvariantCulture, out int version))
        {
            _errors.Add(node.Pointer, node.Line, $"\"version\" must be the number {SeedManifest.CurrentVersion}, not {node.Describe()}.", $"set \"version\": {SeedManifest.CurrentVersion}.");
            return;
        }

        if (version != SeedManifest.CurrentVersion)
        {
            _errors.Add(node.Pointer, node.Line, $"manifest version {version} is not supported; this Kumo.Seeding reads version {SeedManifest.CurrentVersion}.",
                version > SeedManifest.CurrentVersion
                    ? $"upgrade the Kumo.Seeding package, or write the manifest in version {SeedManifest.CurrentVersion} format."
                    : $"set \"version\": {SeedManifest.CurrentVersion} and update the manifest to the current format (see docs/seed-manifest.md).");
        }
    }

    private BucketSeed? ReadBucket(ManifestNode node)
    {
        if (AsObject(node, "a bucket", "{ \"name\": \"orders\", \"objects\": [] }") is not { } bucket)
        {
            return null;
        }

        CheckFields(bucket, BucketFields, "a bucket");
        string? name = ReadString(bucket, "name", required: true, "\"orders-{worker}\"");
        var objects = ReadArray(bucket, "objects", ReadObject);
        return name is null ? null : new BucketSeed(name, objects, Location(bucket));
    }

    private TableSeed? ReadTable(ManifestNode node)
    {
        if (AsObject(node, "a table", "{ \"name\": \"orders\", \"hashKey\": { \"name\": \"id\", \"type\": \"S\" } }") is not { } table)
        {
            return null;
        }

        CheckFields(table, TableFields, "a table");
        string? name = ReadString(table, "name", required: true, "\"orders-{run}\"");
        TableKeySeed? hashKey = ReadKey(table, "hashKey", required: true);
        TableKeySeed? rangeKey = ReadKey(table, "rangeKey", required: false);
        var globalIndexes = ReadArray(table, "globalSecondaryIndexes", n => ReadIndex(n, hashKey, global: true));
        var localIndexes = ReadArray(table, "localSecondaryIndexes", n => ReadIndex(n, hashKey, global: false));
        string? ttl = ReadString(table, "ttlAttribute", required: false, "\"expiresAt\"");
        bool dynamoJson = ReadChoice(table, "itemFormat", [TableSeedFactory.Plain, TableSeedFactory.DynamoDBJson]) == TableSeedFactory.DynamoDBJson;
        TableItemDifference onDifference = ReadChoice(table, "onDifference", ["report", "replace"]) == "replace" ? TableItemDifference.Replace : TableItemDifference.Report;
        var inline = new List<InlineTableItem>();
        if (table["items"] is { } itemsNode)
        {
            if (itemsNode is ManifestArray items)
            {
                inline.AddRange(items.Items.Select(i => new InlineTableItem(ToJson(i), dynamoJson, i.Pointer, i.Line)));
            }
            else
            {
                _errors.Add(itemsNode.Pointer, itemsNode.Line, $"\"items\" must be an array, not {itemsNode.Describe()}.", "write \"items\": [ { \"id\": \"o-1\" } ].");
            }
        }

        var files = ReadArray(table, "itemFiles", n => ReadItemFile(n, dynamoJson));
        if (name is null || hashKey is null)
        {
            return null;
        }

        return TableSeedFactory.Create(name, hashKey, rangeKey, globalIndexes, localIndexes, ttl, inline, files, onDifference, _baseDirectory, Location(table), _errors);
    }

    private TableKeySeed? ReadKey(ManifestObject parent, string field, bool required)
    {
        ManifestNode? node = parent[field];
        if (node is null)
        {
            if (required)
            {
                _errors.Add(parent.Pointer + "/" + field, parent.Line, $"\"{field}\" is missing.", $"add \"{field}\": {{ \"name\": \"id\", \"type\": \"S\" }}.");
            }

            return null;
        }

        if (AsObject(node, $"\"{field}\"", "{ \"name\": \"id\", \"type\": \"S\" }") is not { } key)
        {
            return null;
        }

        CheckFields(key, KeyFields, $"\"{field}\"");
        string? name = ReadString(key, "name", required: true, "\"id\"");
        string type = ReadChoice(key, "type", ["S", "N", "B"]);
        return name is null ? null : new TableKeySeed(name, type);
    }

    private TableIndexSeed? ReadIndex(ManifestNode node, TableKeySeed? tableHashKey, bool global)
    {
        string what = global ? "a global secondary index" : "a local secondary index";
        if (AsObject(node, what, "{ \"name\": \"by-status\", \"hashKey\": { \"name\": \"status\", \"type\": \"S\" } }") is not { } index)
        {
            return null;
        }

        CheckFields(index, global ? GlobalIndexFields : LocalIndexFields, what);
        string? name = ReadString(index, "name", required: true, "\"by-status\"");
        TableKeySeed? hashKey = global ? ReadKey(index, "hashKey", required: true) : tableHashKey;
        TableKeySeed? rangeKey = ReadKey(index, "rangeKey", required: !global);
        string projection = ReadChoice(index, "projection", ["ALL", "KEYS_ONLY"]);
        return name is null || hashKey is null ? null : new TableIndexSeed(name, hashKey, rangeKey, projection);
    }

    private TableItemSource? ReadItemFile(ManifestNode node, bool dynamoJson)
    {
        if (AsObject(node, "an item file", "{ \"file\": \"fixtures/orders.jsonl\", \"format\": \"jsonl\" }") is not { } entry)
        {
            return null;
        }

        CheckFields(entry, ItemFileFields, "an item file");
        string? file = ReadString(entry, "file", required: true, "\"fixtures/orders.jsonl\"");
        bool jsonLines = ReadChoice(entry, "format", ["json", "jsonl"]) == "jsonl";
        return file is null ? null : new TableItemSource(file, jsonLines, dynamoJson, entry.Pointer + "/file", entry.Line);
    }

    /// <summary>Reads an optional string field that must be one of <paramref name="choices"/>; the first is the default.</summary>
    private string ReadChoice(ManifestObject parent, string field, string[] choices)
    {
        string? value = ReadString(parent, field, required: false, $"\"{choices[0]}\"");
        if (value is null || Array.IndexOf(choices, value) >= 0)
        {
            return value ?? choices[0];
        }

        ManifestNode node = parent[field]!;
        string? nearest = Spelling.Nearest(value, choices);
        _errors.Add(node.Pointer, node.Line, $"\"{field}\" is '{value}'; it must be one of {string.Join(", ", choices.Select(c => $"\"{c}\""))}.",
            nearest is not null ? $"did you mean \"{nearest}\"?" : $"use \"{choices[0]}\" (the default) or another of the listed values.");
        return choices[0];
    }

    /// <summary>The JSON a node was read from (numbers keep their digits), for items.</summary>
    private static System.Text.Json.JsonElement ToJson(ManifestNode node)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            Write(writer, node);
        }

        using JsonDocument document = JsonDocument.Parse(buffer.WrittenMemory);
        return document.RootElement.Clone();

        static void Write(Utf8JsonWriter writer, ManifestNode node)
        {
            switch (node)
            {
                case ManifestObject obj:
                    writer.WriteStartObject();
                    foreach (ManifestProperty property in obj.Properties)
                    {
                        writer.WritePropertyName(property.Name);
                        Write(writer, property.Value);
                    }

                    writer.WriteEndObject();
                    break;
                case ManifestArray array:
                    writer.WriteStartArray();
                    array.Items.ForEach(i => Write(writer, i));
                    writer.WriteEndArray();
                    break;
                case ManifestValue { Kind: JsonTokenType.String } s:
                    writer.WriteStringValue(s.Text);
                    break;
                case ManifestValue { Kind: JsonTokenType.Null }:
                    writer.WriteNullValue();
                    break;
                case ManifestValue v:
                    writer.WriteRawValue(v.Text!);
                    break;
            }
        }
    }

    private ObjectSeed? ReadObject(ManifestNode node)
    {
        if (AsObject(node, "an object entry", "{ \"key\": \"a.json\", \"text\": \"{}\" }") is not { } entry)
        {
            return null;
        }

        CheckFields(entry, ObjectFields, "an object entry");
        string[] sources = Array.FindAll(SourceFields, f => entry[f] is not null);
        if (sources.Length == 0)
        {
            _errors.Add(entry.Pointer, entry.Line, "the object entry has no content.", "add exactly one of \"text\" (inline), \"file\" (a path) or \"directory\" (a path, with \"prefix\").");
            return null;
        }

        if (sources.Length > 1)
        {
            ManifestNode second = entry[sources[1]]!;
            _errors.Add(second.Pointer, second.Line, $"the object entry has both \"{sources[0]}\" and \"{sources[1]}\".", "keep exactly one of \"text\", \"file\" or \"directory\"; use separate entries for separate objects.");
            return null;
        }

        ObjectSourceKind kind = sources[0] switch
        {
            "text" => ObjectSourceKind.Text,
            "file" => ObjectSourceKind.File,
            _ => ObjectSourceKind.Directory,
        };

        string? key;
        if (kind == ObjectSourceKind.Directory)
        {
            if (entry["key"] is { } misplaced)
            {
                _errors.Add(misplaced.Pointer, misplaced.Line, "\"key\" is not used with \"directory\".", "rename \"key\" to \"prefix\": the key prefix under which the directory's files are stored.");
            }

            key = ReadString(entry, "prefix", required: false, "\"static/\"") ?? string.Empty;
            key = ObjectSeedFactory.NormalizePrefix(key);
        }
        else
        {
            if (entry["prefix"] is { } misplaced)
            {
                _errors.Add(misplaced.Pointer, misplaced.Line, "\"prefix\" is used only with \"directory\".", "rename \"prefix\" to \"key\" (the object's full key).");
            }

            key = ReadString(entry, "key", required: true, "\"data/orders.json\"");
        }

        string? source = ReadString(entry, sources[0], required: true, kind == ObjectSourceKind.Text ? "\"hello\"" : "\"fixtures/data.json\"");
        string? contentType = ReadString(entry, "contentType", required: false, "\"application/json\"");
        Dictionary<string, int> lines = FieldLines(entry);
        IReadOnlyDictionary<string, string> metadata = ReadStringMap(entry, "metadata", lines, lowerCaseKeys: true, allowScalars: false);
        if (key is null || source is null)
        {
            return null;
        }

        return kind == ObjectSourceKind.Text
            ? new ObjectSeed(key, kind, source, null, contentType, metadata, new SeedLocation(entry.Pointer, entry.Line, lines))
            : new ObjectSeed(key, kind, null, source.Replace('\\', '/'), contentType, metadata, new SeedLocation(entry.Pointer, entry.Line, lines));
    }

    private QueueSeed? ReadQueue(ManifestNode node)
    {
        if (AsObject(node, "a queue", "{ \"name\": \"orders\" }") is not { } queue)
        {
            return null;
        }

        CheckFields(queue, QueueFields, "a queue");
        string? name = ReadString(queue, "name", required: true, "\"orders-{worker}\"");
        bool fifo = ReadBoolean(queue, "fifo");
        bool replace = ReadBoolean(queue, "replaceMessages");
        Dictionary<string, int> lines = FieldLines(queue);
        IReadOnlyDictionary<string, string> attributes = ReadStringMap(queue, "attributes", lines, lowerCaseKeys: false, allowScalars: true);
        DeadLetterSeed? redrive = queue["redrive"] is { } redriveNode ? ReadRedrive(redriveNode) : null;
        var messages = ReadArray(queue, "messages", ReadMessage);
        return name is null ? null : new QueueSeed(name, fifo, attributes, redrive, messages, replace, new SeedLocation(queue.Pointer, queue.Line, lines));
    }

    private DeadLetterSeed? ReadRedrive(ManifestNode node)
    {
        if (AsObject(node, "\"redrive\"", "{ \"deadLetterQueue\": \"orders-dlq\", \"maxReceiveCount\": 3 }") is not { } redrive)
        {
            return null;
        }

        CheckFields(redrive, RedriveFields, "\"redrive\"");
        string? target = ReadString(redrive, "deadLetterQueue", required: true, "\"orders-dlq-{worker}\"");
        int? maxReceiveCount = ReadInteger(redrive, "maxReceiveCount", required: true, "3");
        return target is null || maxReceiveCount is null ? null : new DeadLetterSeed(target, maxReceiveCount.Value, Location(redrive));
    }

    private MessageSeed? ReadMessage(ManifestNode node)
    {
        if (node is ManifestValue { Kind: JsonTokenType.String } shorthand)
        {
            return new MessageSeed(shorthand.Text!, null, null, new Dictionary<string, MessageAttributeSeed>(), new SeedLocation(shorthand.Pointer, shorthand.Line, new Dictionary<string, int> { ["body"] = shorthand.Line }));
        }

        if (AsObject(node, "a message", "{ \"body\": \"hello\" } or just \"hello\"") is not { } message)
        {
            return null;
        }

        CheckFields(message, MessageFields, "a message");
        string? body = ReadString(message, "body", required: true, "\"hello\"");
        string? groupId = ReadString(message, "groupId", required: false, "\"group-1\"");
        string? deduplicationId = ReadString(message, "deduplicationId", required: false, "\"msg-1\"");
        Dictionary<string, int> lines = FieldLines(message);
        var attributes = new Dictionary<string, MessageAttributeSeed>(StringComparer.Ordinal);
        if (message["attributes"] is { } attributesNode && AsObject(attributesNode, "\"attributes\"", "{ \"tenant\": \"a\" }") is { } map)
        {
            foreach (ManifestProperty property in map.Properties)
            {
                lines["attributes/" + property.Name] = property.Line;
                if (ReadMessageAttribute(property.Value) is { } attribute)
                {
                    attributes[property.Name] = attribute;
                }
            }
        }

        return body is null ? null : new MessageSeed(body, groupId, deduplicationId, attributes, new SeedLocation(message.Pointer, message.Line, lines));
    }

    private MessageAttributeSeed? ReadMessageAttribute(ManifestNode node)
    {
        if (node is ManifestValue { Kind: JsonTokenType.String } text)
        {
            return MessageAttributeSeed.String(text.Text!);
        }

        if (AsObject(node, "a message attribute", "\"text\" or { \"dataType\": \"Number\", \"value\": \"42\" }") is not { } attribute)
        {
            return null;
        }

        CheckFields(attribute, MessageAttributeFields, "a message attribute");
        string? dataType = ReadString(attribute, "dataType", required: true, "\"String\"");
        string? value;
        if (attribute["value"] is ManifestValue { Kind: JsonTokenType.Number } number)
        {
            value = number.Text;
        }
        else
        {
            value = ReadString(attribute, "value", required: true, "\"42\"");
        }

        return dataType is null || value is null ? null : new MessageAttributeSeed(dataType, value);
    }

    private List<T> ReadArray<T>(ManifestObject parent, string field, Func<ManifestNode, T?> read)
        where T : class
    {
        var result = new List<T>();
        ManifestNode? node = parent[field];
        if (node is null)
        {
            return result;
        }

        if (node is not ManifestArray array)
        {
            _errors.Add(node.Pointer, node.Line, $"\"{field}\" must be an array, not {node.Describe()}.", $"write \"{field}\" as a JSON array: \"{field}\": [ ... ].");
            return result;
        }

        foreach (ManifestNode item in array.Items)
        {
            if (read(item) is { } value)
            {
                result.Add(value);
            }
        }

        return result;
    }

    private IReadOnlyDictionary<string, string> ReadStringMap(ManifestObject parent, string field, Dictionary<string, int> lines, bool lowerCaseKeys, bool allowScalars)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        if (parent[field] is not { } node || AsObject(node, $"\"{field}\"", "{ \"name\": \"value\" }") is not { } map)
        {
            return result;
        }

        var originalNames = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (ManifestProperty property in map.Properties)
        {
            string key = lowerCaseKeys ? property.Name.ToLowerInvariant() : property.Name;
            lines[field + "/" + key] = property.Line;
            string? value = property.Value switch
            {
                ManifestValue { Kind: JsonTokenType.String } s => s.Text,
                ManifestValue { Kind: JsonTokenType.Number or JsonTokenType.True or JsonTokenType.False } scalar when allowScalars => scalar.Text,
                _ => null,
            };
            if (value is null)
            {
                _errors.Add(property.Value.Pointer, property.Line, $"\"{property.Name}\" in \"{field}\" must be a string{(allowScalars ? ", number or boolean" : string.Empty)}, not {property.Value.Describe()}.",
                    $"write the value as a string, e.g. \"{property.Name}\": \"value\".");
                continue;
            }

            if (originalNames.TryGetValue(key, out string? first))
            {
                _errors.Add(property.Value.Pointer, property.Line, $"metadata keys \"{first}\" and \"{property.Name}\" are the same key (S3 metadata keys are case-insensitive).", "remove one of them.");
                continue;
            }

            originalNames[key] = property.Name;
            result[key] = value;
        }

        return result;
    }

    private string? ReadString(ManifestObject parent, string field, bool required, string example)
    {
        ManifestNode? node = parent[field];
        if (node is null)
        {
            if (required)
            {
                _errors.Add(parent.Pointer + "/" + field, parent.Line, $"\"{field}\" is missing.", $"add \"{field}\": {example}.");
            }

            return null;
        }

        if (node is ManifestValue { Kind: JsonTokenType.String } value)
        {
            return value.Text;
        }

        _errors.Add(node.Pointer, node.Line, $"\"{field}\" must be a string, not {node.Describe()}.", $"write it as a string, e.g. \"{field}\": {example}.");
        return null;
    }

    private bool ReadBoolean(ManifestObject parent, string field)
    {
        ManifestNode? node = parent[field];
        switch (node)
        {
            case null:
                return false;
            case ManifestValue { Kind: JsonTokenType.True }:
                return true;
            case ManifestValue { Kind: JsonTokenType.False }:
                return false;
            default:
                _errors.Add(node.Pointer, node.Line, $"\"{field}\" must be true or false, not {node.Describe()}.", $"write \"{field}\": true or \"{field}\": false (without quotes).");
                return false;
        }
    }

    private int? ReadInteger(ManifestObject parent, string field, bool required, string example)
    {
        ManifestNode? node = parent[field];
        if (node is null)
        {
            if (required)
            {
                _errors.Add(parent.Pointer + "/" + field, parent.Line, $"\"{field}\" is missing.", $"add \"{field}\": {example}.");
            }

            return null;
        }

        if (node is ManifestValue { Kind: JsonTokenType.Number } value && int.TryParse(value.Text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int number))
        {
            return number;
        }

        _errors.Add(node.Pointer, node.Line, $"\"{field}\" must be a whole number, not {(node is ManifestValue { Kind: JsonTokenType.Number } n ? $"'{n.Text}'" : node.Describe())}.", $"write it as a number without quotes, e.g. \"{field}\": {example}.");
        return null;
    }

    private ManifestObject? AsObject(ManifestNode node, string what, string example)
    {
        if (node is ManifestObject obj)
        {
            return obj;
        }

        _errors.Add(node.Pointer, node.Line, $"{what} must be a JSON object, not {node.Describe()}.", $"write it as an object, e.g. {example}.");
        return null;
    }

    private void CheckFields(ManifestObject obj, string[] allowed, string what)
    {
        foreach (ManifestProperty property in obj.Properties)
        {
            if (Array.IndexOf(allowed, property.Name) >= 0)
            {
                continue;
            }

            string? nearest = Spelling.Nearest(property.Name, allowed);
            _errors.Add(property.Value.Pointer, property.Line, $"{what} has no field \"{property.Name}\".",
                nearest is not null
                    ? $"did you mean \"{nearest}\"? Rename the field (names are case-sensitive)."
                    : $"remove \"{property.Name}\"; allowed fields are {string.Join(", ", allowed.Select(a => $"\"{a}\""))}.");
        }
    }

    private static SeedLocation Location(ManifestObject obj) => new(obj.Pointer, obj.Line, FieldLines(obj));

    private static Dictionary<string, int> FieldLines(ManifestObject obj)
    {
        var lines = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (ManifestProperty property in obj.Properties)
        {
            lines[property.Name] = property.Line;
        }

        return lines;
    }
}
