using System.Globalization;
using System.Text.Json;

namespace Kumo.Embedded.DynamoDb;

/// <summary>A table's schema and settings (everything but its items), immutable: UpdateTable builds a new one.</summary>
/// <remarks>
/// Read from a CreateTable request by <see cref="Parse"/>, which applies DynamoDB's validation; the
/// checkpoint stores the same shape (plus id, creation time, TTL and tags) and is read back through
/// the same rules, so a hand-edited state file is validated exactly like a request.
/// </remarks>
internal sealed record DynamoTableDefinition
{
    public required string Name { get; init; }

    public required KeySchema Keys { get; init; }

    /// <summary>Attribute name to type (S, N or B) for every key attribute of the table and its indexes.</summary>
    public required IReadOnlyDictionary<string, string> AttributeTypes { get; init; }

    public required string BillingMode { get; init; }

    public long ReadCapacity { get; init; }

    public long WriteCapacity { get; init; }

    public IReadOnlyList<DynamoIndex> GlobalIndexes { get; init; } = [];

    public IReadOnlyList<DynamoIndex> LocalIndexes { get; init; } = [];

    public required string TableId { get; init; }

    /// <summary>Creation time in Unix milliseconds.</summary>
    public long CreatedAt { get; init; }

    public bool DeletionProtection { get; init; }

    public string? TtlAttribute { get; init; }

    public bool TtlEnabled { get; init; }

    public IReadOnlyList<KeyValuePair<string, string>> Tags { get; init; } = [];

    public string Arn => $"arn:aws:dynamodb:{EngineContext.Region}:{EngineContext.AccountId}:table/{Name}";

    public DynamoIndex? FindIndex(string name) =>
        GlobalIndexes.FirstOrDefault(i => i.Name == name) ?? LocalIndexes.FirstOrDefault(i => i.Name == name);

    public static void ValidateTableName(string name, string member = "tableName")
    {
        if (name.Length < 3)
        {
            throw DynamoErrors.Validation($"1 validation error detected: Value '{name}' at '{member}' failed to satisfy constraint: Member must have length greater than or equal to 3");
        }

        if (name.Length > 255)
        {
            throw DynamoErrors.Validation($"1 validation error detected: Value '{name}' at '{member}' failed to satisfy constraint: Member must have length less than or equal to 255");
        }

        if (!name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.'))
        {
            throw DynamoErrors.Validation($"1 validation error detected: Value '{name}' at '{member}' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+");
        }
    }

    /// <summary>Reads and validates a CreateTable request (or a stored definition).</summary>
    public static DynamoTableDefinition Parse(JsonElement request, string tableId, long createdAt)
    {
        string name = DynamoRequest.RequiredString(request, "TableName");
        ValidateTableName(name);
        KeySchema keys = ReadKeySchema(request, "KeySchema", "keySchema");
        Dictionary<string, string> types = ReadAttributeDefinitions(request);
        (string billing, long read, long write) = ReadBilling(request, null);
        var globals = new List<DynamoIndex>();
        if (DynamoRequest.Array(request, "GlobalSecondaryIndexes") is { } gsis)
        {
            foreach (JsonElement gsi in gsis)
            {
                globals.Add(ReadIndex(gsi, global: true, billing));
            }
        }

        var locals = new List<DynamoIndex>();
        if (DynamoRequest.Array(request, "LocalSecondaryIndexes") is { } lsis)
        {
            foreach (JsonElement lsi in lsis)
            {
                DynamoIndex index = ReadIndex(lsi, global: false, billing);
                if (keys.RangeKey is null)
                {
                    throw DynamoErrors.InvalidParameter("Table KeySchema does not have a range key, which is required when specifying a LocalSecondaryIndex");
                }

                if (index.Keys.HashKey != keys.HashKey || index.Keys.RangeKey is null)
                {
                    throw DynamoErrors.InvalidParameter($"Index KeySchema does not have the same leading hash key as table KeySchema for index: {index.Name}. index hash key: {index.Keys.HashKey}, table hash key: {keys.HashKey}");
                }

                locals.Add(index);
            }
        }

        if (globals.Count > 20)
        {
            throw DynamoErrors.Validation("One or more parameter values were invalid: GlobalSecondaryIndex count exceeds the per-table limit of 20");
        }

        if (locals.Count > 5)
        {
            throw DynamoErrors.Validation("One or more parameter values were invalid: Number of LocalSecondaryIndexes exceeds per-table limit of 5");
        }

        string? duplicate = globals.Concat(locals).GroupBy(i => i.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1)?.Key;
        if (duplicate is not null)
        {
            throw DynamoErrors.InvalidParameter($"Duplicate index name: {duplicate}");
        }

        CheckDefinitionsMatch(keys, globals.Concat(locals), types);
        bool protection = DynamoRequest.Bool(request, "DeletionProtectionEnabled") ?? false;
        List<KeyValuePair<string, string>> tags = ReadTags(request, "Tags");
        string? ttlAttribute = null;
        bool ttlEnabled = false;
        if (request.TryGetProperty("TimeToLive", out JsonElement ttl) && ttl.ValueKind == JsonValueKind.Object)
        {
            ttlAttribute = DynamoRequest.String(ttl, "AttributeName");
            ttlEnabled = DynamoRequest.Bool(ttl, "Enabled") ?? false;
        }

        return new DynamoTableDefinition
        {
            Name = name,
            Keys = keys,
            AttributeTypes = types,
            BillingMode = billing,
            ReadCapacity = read,
            WriteCapacity = write,
            GlobalIndexes = globals,
            LocalIndexes = locals,
            TableId = DynamoRequest.String(request, "TableId") ?? tableId,
            CreatedAt = DynamoRequest.Long(request, "CreatedAt") ?? createdAt,
            DeletionProtection = protection,
            TtlAttribute = ttlAttribute,
            TtlEnabled = ttlEnabled,
            Tags = tags,
        };
    }

    /// <summary>Applies an UpdateTable request; returns the new definition and the index to fill, if one was created.</summary>
    public DynamoTableDefinition Update(JsonElement request)
    {
        DynamoTableDefinition updated = this;
        if (request.TryGetProperty("BillingMode", out _) || request.TryGetProperty("ProvisionedThroughput", out _))
        {
            (string billing, long read, long write) = ReadBilling(request, this);
            updated = updated with { BillingMode = billing, ReadCapacity = read, WriteCapacity = write };
        }

        if (DynamoRequest.Bool(request, "DeletionProtectionEnabled") is { } protection)
        {
            updated = updated with { DeletionProtection = protection };
        }

        Dictionary<string, string> types = new(AttributeTypes, StringComparer.Ordinal);
        if (DynamoRequest.Array(request, "AttributeDefinitions") is not null)
        {
            foreach ((string name, string type) in ReadAttributeDefinitions(request))
            {
                if (types.TryGetValue(name, out string? existing) && existing != type)
                {
                    throw DynamoErrors.InvalidParameter($"Cannot change the type of existing key attribute {name} from {existing} to {type}");
                }

                types[name] = type;
            }
        }

        var globals = GlobalIndexes.ToList();
        if (DynamoRequest.Array(request, "GlobalSecondaryIndexUpdates") is { } updates)
        {
            foreach (JsonElement update in updates)
            {
                if (update.TryGetProperty("Create", out JsonElement create))
                {
                    DynamoIndex index = ReadIndex(create, global: true, updated.BillingMode);
                    if (FindIndex(index.Name) is not null)
                    {
                        throw DynamoErrors.InvalidParameter($"Attempting to create an index which already exists: {index.Name}");
                    }

                    globals.Add(index);
                }
                else if (update.TryGetProperty("Delete", out JsonElement delete))
                {
                    string name = DynamoRequest.RequiredString(delete, "IndexName");
                    if (globals.RemoveAll(i => i.Name == name) == 0)
                    {
                        throw DynamoErrors.ResourceNotFound();
                    }
                }
                else if (update.TryGetProperty("Update", out JsonElement change))
                {
                    string name = DynamoRequest.RequiredString(change, "IndexName");
                    int at = globals.FindIndex(i => i.Name == name);
                    if (at < 0)
                    {
                        throw DynamoErrors.ResourceNotFound();
                    }

                    (long read, long write) = ReadThroughput(change, required: true);
                    globals[at] = globals[at] with { ReadCapacity = read, WriteCapacity = write };
                }
                else
                {
                    throw DynamoErrors.InvalidParameter("A GlobalSecondaryIndexUpdate must hold one of Create, Update or Delete");
                }
            }
        }

        if (globals.Count > 20)
        {
            throw DynamoErrors.Validation("One or more parameter values were invalid: GlobalSecondaryIndex count exceeds the per-table limit of 20");
        }

        // Attribute definitions no key uses any more are dropped, as DynamoDB does.
        var used = new HashSet<string>(Keys.Names.Concat(globals.Concat(LocalIndexes).SelectMany(i => i.Keys.Names)), StringComparer.Ordinal);
        foreach (string unused in types.Keys.Where(k => !used.Contains(k)).ToList())
        {
            types.Remove(unused);
        }

        CheckDefinitionsMatch(Keys, globals.Concat(LocalIndexes), types);
        return updated with { GlobalIndexes = globals, AttributeTypes = types };
    }

    /// <summary>Writes the table in the CreateTable request's shape, plus what only the engine knows (id, creation time, TTL, tags).</summary>
    public void WriteState(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        writer.WriteString("TableName", Name);
        WriteKeySchema(writer, Keys);
        writer.WriteStartArray("AttributeDefinitions");
        foreach ((string name, string type) in AttributeTypes)
        {
            writer.WriteStartObject();
            writer.WriteString("AttributeName", name);
            writer.WriteString("AttributeType", type);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteString("BillingMode", BillingMode);
        if (BillingMode == "PROVISIONED")
        {
            WriteThroughput(writer, ReadCapacity, WriteCapacity, describe: false);
        }

        WriteIndexes(writer, "GlobalSecondaryIndexes", GlobalIndexes, describe: false);
        WriteIndexes(writer, "LocalSecondaryIndexes", LocalIndexes, describe: false);
        writer.WriteBoolean("DeletionProtectionEnabled", DeletionProtection);
        writer.WriteString("TableId", TableId);
        writer.WriteNumber("CreatedAt", CreatedAt);
        if (TtlAttribute is not null)
        {
            writer.WriteStartObject("TimeToLive");
            writer.WriteString("AttributeName", TtlAttribute);
            writer.WriteBoolean("Enabled", TtlEnabled);
            writer.WriteEndObject();
        }

        WriteTags(writer, Tags);
        writer.WriteEndObject();
    }

    /// <summary>Writes a TableDescription (DescribeTable, CreateTable, DeleteTable, UpdateTable).</summary>
    public void WriteDescription(Utf8JsonWriter writer, long itemCount, long sizeBytes, string status)
    {
        writer.WriteStartObject();
        writer.WriteString("TableName", Name);
        writer.WriteString("TableStatus", status);
        writer.WriteString("TableArn", Arn);
        writer.WriteString("TableId", TableId);
        writer.WriteNumber("CreationDateTime", CreatedAt / 1000.0);
        WriteKeySchema(writer, Keys);
        writer.WriteStartArray("AttributeDefinitions");
        foreach ((string name, string type) in AttributeTypes)
        {
            writer.WriteStartObject();
            writer.WriteString("AttributeName", name);
            writer.WriteString("AttributeType", type);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        WriteThroughput(writer, ReadCapacity, WriteCapacity, describe: true);
        writer.WriteStartObject("BillingModeSummary");
        writer.WriteString("BillingMode", BillingMode);
        writer.WriteEndObject();
        writer.WriteNumber("ItemCount", itemCount);
        writer.WriteNumber("TableSizeBytes", sizeBytes);
        writer.WriteBoolean("DeletionProtectionEnabled", DeletionProtection);
        WriteIndexes(writer, "GlobalSecondaryIndexes", GlobalIndexes, describe: true, itemCount, sizeBytes);
        WriteIndexes(writer, "LocalSecondaryIndexes", LocalIndexes, describe: true, itemCount, sizeBytes);
        writer.WriteEndObject();
    }

    public static void WriteTags(Utf8JsonWriter writer, IReadOnlyList<KeyValuePair<string, string>> tags)
    {
        writer.WriteStartArray("Tags");
        foreach ((string key, string value) in tags)
        {
            writer.WriteStartObject();
            writer.WriteString("Key", key);
            writer.WriteString("Value", value);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }

    public static List<KeyValuePair<string, string>> ReadTags(JsonElement request, string member)
    {
        var tags = new List<KeyValuePair<string, string>>();
        if (DynamoRequest.Array(request, member) is not { } array)
        {
            return tags;
        }

        foreach (JsonElement tag in array)
        {
            string key = DynamoRequest.RequiredString(tag, "Key");
            string value = DynamoRequest.String(tag, "Value") ?? string.Empty;
            if (key.Length is 0 or > 128 || value.Length > 256)
            {
                throw DynamoErrors.Validation($"1 validation error detected: Value '{key}' at 'tags.member.key' failed to satisfy constraint: Member must have length between 1 and 128 (values: at most 256)");
            }

            tags.RemoveAll(t => t.Key == key);
            tags.Add(new(key, value));
        }

        return tags;
    }

    private void WriteIndexes(Utf8JsonWriter writer, string member, IReadOnlyList<DynamoIndex> indexes, bool describe, long itemCount = 0, long sizeBytes = 0)
    {
        if (indexes.Count == 0)
        {
            return;
        }

        writer.WriteStartArray(member);
        foreach (DynamoIndex index in indexes)
        {
            writer.WriteStartObject();
            writer.WriteString("IndexName", index.Name);
            WriteKeySchema(writer, index.Keys);
            writer.WriteStartObject("Projection");
            writer.WriteString("ProjectionType", index.ProjectionType);
            if (index.NonKeyAttributes.Count > 0)
            {
                writer.WriteStartArray("NonKeyAttributes");
                foreach (string name in index.NonKeyAttributes)
                {
                    writer.WriteStringValue(name);
                }

                writer.WriteEndArray();
            }

            writer.WriteEndObject();
            if (index.Global && (describe || BillingMode == "PROVISIONED"))
            {
                WriteThroughput(writer, index.ReadCapacity, index.WriteCapacity, describe);
            }

            if (describe)
            {
                if (index.Global)
                {
                    writer.WriteString("IndexStatus", "ACTIVE");
                }

                writer.WriteString("IndexArn", $"{Arn}/index/{index.Name}");
                writer.WriteNumber("ItemCount", itemCount);
                writer.WriteNumber("IndexSizeBytes", sizeBytes);
            }

            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }

    private static void WriteKeySchema(Utf8JsonWriter writer, KeySchema keys)
    {
        writer.WriteStartArray("KeySchema");
        writer.WriteStartObject();
        writer.WriteString("AttributeName", keys.HashKey);
        writer.WriteString("KeyType", "HASH");
        writer.WriteEndObject();
        if (keys.RangeKey is not null)
        {
            writer.WriteStartObject();
            writer.WriteString("AttributeName", keys.RangeKey);
            writer.WriteString("KeyType", "RANGE");
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }

    private static void WriteThroughput(Utf8JsonWriter writer, long read, long write, bool describe)
    {
        writer.WriteStartObject("ProvisionedThroughput");
        if (describe)
        {
            writer.WriteNumber("NumberOfDecreasesToday", 0);
        }

        writer.WriteNumber("ReadCapacityUnits", read);
        writer.WriteNumber("WriteCapacityUnits", write);
        writer.WriteEndObject();
    }

    private static KeySchema ReadKeySchema(JsonElement request, string member, string path)
    {
        if (DynamoRequest.Array(request, member) is not { } elements || elements.Count == 0)
        {
            throw DynamoErrors.Validation($"1 validation error detected: Value null at '{path}' failed to satisfy constraint: Member must not be null");
        }

        if (elements.Count > 2)
        {
            throw DynamoErrors.Validation($"1 validation error detected: Value at '{path}' failed to satisfy constraint: Member must have length less than or equal to 2");
        }

        string? hash = null;
        string? range = null;
        for (int i = 0; i < elements.Count; i++)
        {
            string name = DynamoRequest.RequiredString(elements[i], "AttributeName");
            string type = DynamoRequest.RequiredString(elements[i], "KeyType");
            if (type == "HASH" && i == 0)
            {
                hash = name;
            }
            else if (type == "RANGE" && i == 1)
            {
                range = name;
            }
            else
            {
                throw DynamoErrors.InvalidParameter(i == 0
                    ? "Invalid KeySchema: The first KeySchemaElement is not a HASH key type"
                    : "Invalid KeySchema: The second KeySchemaElement is not a RANGE key type");
            }
        }

        if (hash == range)
        {
            throw DynamoErrors.InvalidParameter("Both the Hash Key and the Range Key element in the KeySchema have the same name");
        }

        return new KeySchema(hash!, range);
    }

    private static Dictionary<string, string> ReadAttributeDefinitions(JsonElement request)
    {
        var types = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (JsonElement definition in DynamoRequest.Array(request, "AttributeDefinitions") ?? [])
        {
            string name = DynamoRequest.RequiredString(definition, "AttributeName");
            string type = DynamoRequest.RequiredString(definition, "AttributeType");
            if (type is not ("S" or "N" or "B"))
            {
                throw DynamoErrors.Validation($"1 validation error detected: Value '{type}' at 'attributeDefinitions.member.attributeType' failed to satisfy constraint: Member must satisfy enum value set: [B, N, S]");
            }

            if (!types.TryAdd(name, type))
            {
                throw DynamoErrors.InvalidParameter($"Cannot have two attributes with the same name: {name}");
            }
        }

        return types;
    }

    private static (string Billing, long Read, long Write) ReadBilling(JsonElement request, DynamoTableDefinition? current)
    {
        string billing = DynamoRequest.String(request, "BillingMode") ?? current?.BillingMode ?? "PROVISIONED";
        if (billing is not ("PROVISIONED" or "PAY_PER_REQUEST"))
        {
            throw DynamoErrors.Validation($"1 validation error detected: Value '{billing}' at 'billingMode' failed to satisfy constraint: Member must satisfy enum value set: [PROVISIONED, PAY_PER_REQUEST]");
        }

        bool given = request.TryGetProperty("ProvisionedThroughput", out JsonElement throughput) && throughput.ValueKind == JsonValueKind.Object;
        if (billing == "PAY_PER_REQUEST")
        {
            if (given)
            {
                throw DynamoErrors.InvalidParameter("Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST");
            }

            return (billing, 0, 0);
        }

        if (!given)
        {
            if (current is { BillingMode: "PROVISIONED" })
            {
                return (billing, current.ReadCapacity, current.WriteCapacity);
            }

            throw DynamoErrors.InvalidParameter("ReadCapacityUnits and WriteCapacityUnits must both be specified when BillingMode is PROVISIONED");
        }

        (long read, long write) = ReadThroughput(request, required: true);
        return (billing, read, write);
    }

    private static (long Read, long Write) ReadThroughput(JsonElement owner, bool required)
    {
        if (!owner.TryGetProperty("ProvisionedThroughput", out JsonElement throughput) || throughput.ValueKind != JsonValueKind.Object)
        {
            return required
                ? throw DynamoErrors.InvalidParameter("ReadCapacityUnits and WriteCapacityUnits must both be specified when BillingMode is PROVISIONED")
                : (0, 0);
        }

        long read = DynamoRequest.Long(throughput, "ReadCapacityUnits") ?? throw DynamoErrors.InvalidParameter("ReadCapacityUnits and WriteCapacityUnits must both be specified when BillingMode is PROVISIONED");
        long write = DynamoRequest.Long(throughput, "WriteCapacityUnits") ?? throw DynamoErrors.InvalidParameter("ReadCapacityUnits and WriteCapacityUnits must both be specified when BillingMode is PROVISIONED");
        if (read < 1 || write < 1)
        {
            throw DynamoErrors.Validation(string.Create(CultureInfo.InvariantCulture, $"1 validation error detected: Value '{Math.Min(read, write)}' at 'provisionedThroughput.readCapacityUnits' failed to satisfy constraint: Member must have value greater than or equal to 1"));
        }

        return (read, write);
    }

    private static DynamoIndex ReadIndex(JsonElement element, bool global, string billing)
    {
        string name = DynamoRequest.RequiredString(element, "IndexName");
        ValidateTableName(name, "indexName");
        KeySchema keys = ReadKeySchema(element, "KeySchema", "keySchema");
        string projectionType = "ALL";
        var nonKey = new List<string>();
        if (element.TryGetProperty("Projection", out JsonElement projection) && projection.ValueKind == JsonValueKind.Object)
        {
            projectionType = DynamoRequest.String(projection, "ProjectionType") ?? "ALL";
            if (projectionType is not ("ALL" or "KEYS_ONLY" or "INCLUDE"))
            {
                throw DynamoErrors.Validation($"1 validation error detected: Value '{projectionType}' at 'projection.projectionType' failed to satisfy constraint: Member must satisfy enum value set: [INCLUDE, ALL, KEYS_ONLY]");
            }

            foreach (JsonElement attribute in DynamoRequest.Array(projection, "NonKeyAttributes") ?? [])
            {
                nonKey.Add(attribute.ValueKind == JsonValueKind.String ? attribute.GetString()! : throw DynamoErrors.Serialization("NonKeyAttributes must be strings."));
            }

            if (projectionType != "INCLUDE" && nonKey.Count > 0)
            {
                throw DynamoErrors.InvalidParameter($"ProjectionType is {projectionType}, but NonKeyAttributes is specified");
            }
        }

        (long read, long write) = global && billing == "PROVISIONED" ? ReadThroughput(element, required: true) : (0, 0);
        if (global && billing == "PAY_PER_REQUEST" && element.TryGetProperty("ProvisionedThroughput", out JsonElement t) && t.ValueKind == JsonValueKind.Object)
        {
            throw DynamoErrors.InvalidParameter("Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST");
        }

        return new DynamoIndex(name, keys, projectionType, nonKey, global, read, write);
    }

    private static void CheckDefinitionsMatch(KeySchema keys, IEnumerable<DynamoIndex> indexes, Dictionary<string, string> types)
    {
        var keyNames = new HashSet<string>(keys.Names, StringComparer.Ordinal);
        foreach (DynamoIndex index in indexes)
        {
            keyNames.UnionWith(index.Keys.Names);
        }

        string[] missing = [.. keyNames.Where(k => !types.ContainsKey(k)).Order(StringComparer.Ordinal)];
        if (missing.Length > 0)
        {
            throw DynamoErrors.InvalidParameter($"Some index key attributes are not defined in AttributeDefinitions. Keys: [{string.Join(", ", missing)}], AttributeDefinitions: [{string.Join(", ", types.Keys)}]");
        }

        if (keyNames.Count != types.Count)
        {
            throw DynamoErrors.InvalidParameter("Number of attributes in KeySchema does not exactly match number of attributes defined in AttributeDefinitions");
        }
    }
}
