using System.Text.Json;

namespace Kumo.Embedded.DynamoDb;

/// <summary>Table operations: create, describe, list, delete, update, TTL and tags.</summary>
internal sealed partial class DynamoOperations
{
    private const string ArnPrefix = "arn:aws:dynamodb:";

    private void CreateTable(JsonElement request, Utf8JsonWriter response)
    {
        lock (_store.Gate)
        {
            DynamoTableDefinition definition = DynamoTableDefinition.Parse(request, Guid.NewGuid().ToString(), _store.NowMilliseconds);
            if (_store.Exists(definition.Name))
            {
                throw DynamoErrors.TableExists(definition.Name);
            }

            var table = new DynamoTable(definition);
            _store.AddTable(table);
            response.WritePropertyName("TableDescription");
            definition.WriteDescription(response, 0, 0, "ACTIVE");
        }
    }

    private void DescribeTable(JsonElement request, Utf8JsonWriter response)
    {
        string name = DynamoRequest.RequiredString(request, "TableName");
        lock (_store.Gate)
        {
            DynamoTable table = _store.Table(name, describe: true);
            response.WritePropertyName("Table");
            table.Definition.WriteDescription(response, table.ItemCount, table.SizeBytes, "ACTIVE");
        }
    }

    private void ListTables(JsonElement request, Utf8JsonWriter response)
    {
        int limit = DynamoRequest.Int(request, "Limit") ?? 100;
        if (limit is < 1 or > 100)
        {
            throw DynamoErrors.Validation($"1 validation error detected: Value '{limit}' at 'limit' failed to satisfy constraint: Member must have value {(limit < 1 ? "greater than or equal to 1" : "less than or equal to 100")}");
        }

        string? start = DynamoRequest.String(request, "ExclusiveStartTableName");
        lock (_store.Gate)
        {
            var names = _store.Tables.Select(t => t.Definition.Name).Where(n => start is null || string.CompareOrdinal(n, start) > 0).ToList();
            response.WriteStartArray("TableNames");
            foreach (string name in names.Take(limit))
            {
                response.WriteStringValue(name);
            }

            response.WriteEndArray();
            if (names.Count > limit)
            {
                response.WriteString("LastEvaluatedTableName", names[limit - 1]);
            }
        }
    }

    private void DeleteTable(JsonElement request, Utf8JsonWriter response)
    {
        string name = DynamoRequest.RequiredString(request, "TableName");
        lock (_store.Gate)
        {
            DynamoTable table = _store.Table(name, describe: true);
            if (table.Definition.DeletionProtection)
            {
                throw DynamoErrors.Validation($"Resource cannot be deleted as it is currently protected against deletion. Disable deletion protection first.");
            }

            _store.DropTable(name);
            response.WritePropertyName("TableDescription");
            table.Definition.WriteDescription(response, table.ItemCount, table.SizeBytes, "DELETING");
        }
    }

    private void UpdateTable(JsonElement request, Utf8JsonWriter response)
    {
        string name = DynamoRequest.RequiredString(request, "TableName");
        _compatibility.Report("dynamodb-update-table", $"DynamoDB UpdateTable on '{name}'; kumo v{EngineIdentity.CompatibleKumoVersion} does not serve UpdateTable", "Create the table with its final throughput and indexes instead of changing it with UpdateTable.");
        lock (_store.Gate)
        {
            DynamoTable table = _store.Table(name, describe: true);
            DynamoTableDefinition updated = table.Definition.Update(request);

            // A new index must accept every stored item: its key attributes must have the declared types.
            foreach (DynamoItem item in table.All())
            {
                foreach (DynamoIndex index in updated.GlobalIndexes.Where(i => table.Definition.FindIndex(i.Name) is null))
                {
                    foreach (string key in index.Keys.Names)
                    {
                        if (item.TryGetValue(key, out DynamoValue? value) && value.TypeName != updated.AttributeTypes[key])
                        {
                            throw DynamoErrors.InvalidParameter($"Type mismatch for Index Key {key} Expected: {updated.AttributeTypes[key]} Actual: {value.Type} IndexName: {index.Name}");
                        }
                    }
                }
            }

            _store.Redefine(table, updated);
            response.WritePropertyName("TableDescription");
            updated.WriteDescription(response, table.ItemCount, table.SizeBytes, "ACTIVE");
        }
    }

    private void UpdateTimeToLive(JsonElement request, Utf8JsonWriter response)
    {
        string name = DynamoRequest.RequiredString(request, "TableName");
        JsonElement specification = DynamoRequest.Object(request, "TimeToLiveSpecification")
            ?? throw DynamoErrors.Validation("1 validation error detected: Value null at 'timeToLiveSpecification' failed to satisfy constraint: Member must not be null");
        string attribute = DynamoRequest.RequiredString(specification, "AttributeName");
        bool enabled = DynamoRequest.Bool(specification, "Enabled")
            ?? throw DynamoErrors.Validation("1 validation error detected: Value null at 'timeToLiveSpecification.enabled' failed to satisfy constraint: Member must not be null");
        if (attribute.Length == 0)
        {
            throw DynamoErrors.Validation("1 validation error detected: Value '' at 'timeToLiveSpecification.attributeName' failed to satisfy constraint: Member must have length greater than or equal to 1");
        }

        lock (_store.Gate)
        {
            DynamoTable table = _store.Table(name, describe: true);
            DynamoTableDefinition definition = table.Definition;
            if (enabled && definition.TtlEnabled)
            {
                throw DynamoErrors.Validation("TimeToLive is already enabled");
            }

            if (!enabled && !definition.TtlEnabled)
            {
                throw DynamoErrors.Validation("TimeToLive is already disabled");
            }

            if (!enabled && definition.TtlAttribute != attribute)
            {
                throw DynamoErrors.Validation($"TimeToLive is active on a different AttributeName: current AttributeName is {definition.TtlAttribute}");
            }

            _store.Redefine(table, definition with { TtlEnabled = enabled, TtlAttribute = attribute });
        }

        response.WriteStartObject("TimeToLiveSpecification");
        response.WriteString("AttributeName", attribute);
        response.WriteBoolean("Enabled", enabled);
        response.WriteEndObject();
    }

    private void DescribeTimeToLive(JsonElement request, Utf8JsonWriter response)
    {
        string name = DynamoRequest.RequiredString(request, "TableName");
        lock (_store.Gate)
        {
            DynamoTableDefinition definition = _store.Table(name, describe: true).Definition;
            response.WriteStartObject("TimeToLiveDescription");
            response.WriteString("TimeToLiveStatus", definition.TtlEnabled ? "ENABLED" : "DISABLED");
            if (definition.TtlEnabled)
            {
                response.WriteString("AttributeName", definition.TtlAttribute);
            }

            response.WriteEndObject();
        }
    }

    private void TagResource(JsonElement request)
    {
        string arn = DynamoRequest.RequiredString(request, "ResourceArn");
        List<KeyValuePair<string, string>> tags = DynamoTableDefinition.ReadTags(request, "Tags");
        lock (_store.Gate)
        {
            DynamoTable table = TableOfArn(arn);
            var merged = table.Definition.Tags.Where(t => !tags.Any(n => n.Key == t.Key)).Concat(tags).ToList();
            if (merged.Count > 50)
            {
                throw DynamoErrors.Validation("One or more parameter values were invalid: The number of tags exceeds the limit of 50");
            }

            _store.Redefine(table, table.Definition with { Tags = merged });
        }
    }

    private void UntagResource(JsonElement request)
    {
        string arn = DynamoRequest.RequiredString(request, "ResourceArn");
        var keys = (DynamoRequest.Array(request, "TagKeys") ?? []).Select(k => k.ValueKind == JsonValueKind.String ? k.GetString()! : throw DynamoErrors.Serialization("TagKeys must be strings.")).ToHashSet(StringComparer.Ordinal);
        lock (_store.Gate)
        {
            DynamoTable table = TableOfArn(arn);
            _store.Redefine(table, table.Definition with { Tags = [.. table.Definition.Tags.Where(t => !keys.Contains(t.Key))] });
        }
    }

    private void ListTagsOfResource(JsonElement request, Utf8JsonWriter response)
    {
        string arn = DynamoRequest.RequiredString(request, "ResourceArn");
        lock (_store.Gate)
        {
            DynamoTableDefinition.WriteTags(response, TableOfArn(arn).Definition.Tags);
        }
    }

    private DynamoTable TableOfArn(string arn)
    {
        int slash = arn.IndexOf(":table/", StringComparison.Ordinal);
        if (!arn.StartsWith(ArnPrefix, StringComparison.Ordinal) || slash < 0)
        {
            throw DynamoErrors.Validation($"Invalid TableArn: Invalid ResourceArn provided as input {arn}");
        }

        string name = arn[(slash + ":table/".Length)..];
        if (!_store.Exists(name))
        {
            throw new Protocol.AwsServiceException(400, "ResourceNotFoundException", $"Requested resource not found: ResourcArn: {arn} not found");
        }

        return _store.Table(name);
    }
}
