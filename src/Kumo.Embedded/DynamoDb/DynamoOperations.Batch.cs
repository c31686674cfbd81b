using System.Text.Json;
using Kumo.Embedded.Protocol;

namespace Kumo.Embedded.DynamoDb;

/// <summary>BatchGetItem, BatchWriteItem, TransactGetItems and TransactWriteItems.</summary>
internal sealed partial class DynamoOperations
{
    private const int MaxBatchGet = 100;
    private const int MaxBatchWrite = 25;
    private const int MaxTransactItems = 100;

    private void BatchGetItem(JsonElement request, Utf8JsonWriter response)
    {
        JsonElement tables = DynamoRequest.Object(request, "RequestItems") ?? throw MissingMember("requestItems");
        var reads = new List<(string Table, List<DynamoItem> Keys, Projection? Projection)>();
        int total = 0;
        foreach (JsonProperty table in tables.EnumerateObject())
        {
            DynamoTableDefinition.ValidateTableName(table.Name, "requestItems");
            List<JsonElement> keys = DynamoRequest.Array(table.Value, "Keys") ?? throw MissingMember("requestItems.keys");
            if (keys.Count == 0)
            {
                throw DynamoErrors.Validation("1 validation error detected: Value at 'requestItems.keys' failed to satisfy constraint: Member must have length greater than or equal to 1");
            }

            total += keys.Count;
            Projection? projection = ReadProjection(table.Value, out ExpressionAttributes attributes);
            attributes.RequireAllUsed(DynamoRequest.Has(table.Value, "ProjectionExpression"));
            reads.Add((table.Name, [.. keys.Select(k => DynamoJson.ReadItem(k, "Keys"))], projection));
        }

        if (total > MaxBatchGet)
        {
            throw DynamoErrors.Validation($"Too many items requested for the BatchGetItem call");
        }

        if (reads.Count == 0)
        {
            throw DynamoErrors.Validation("1 validation error detected: Value '{}' at 'requestItems' failed to satisfy constraint: Member must have length greater than or equal to 1");
        }

        var found = new List<(string Table, List<DynamoItem> Items, Projection? Projection)>();
        lock (_store.Gate)
        {
            foreach ((string name, List<DynamoItem> keys, Projection? projection) in reads)
            {
                DynamoTable table = _store.Table(name);
                var seen = new HashSet<string>(StringComparer.Ordinal);
                var items = new List<DynamoItem>();
                foreach (DynamoItem key in keys)
                {
                    DynamoItem valid = table.ValidateKey(key);
                    if (!seen.Add(KeyText(table, valid)))
                    {
                        throw DynamoErrors.Validation("Provided list of item keys contains duplicates");
                    }

                    if (table.Get(valid) is { } item)
                    {
                        items.Add(item);
                    }
                }

                found.Add((name, items, projection));
            }
        }

        response.WriteStartObject("Responses");
        foreach ((string name, List<DynamoItem> items, Projection? projection) in found)
        {
            response.WriteStartArray(name);
            foreach (DynamoItem item in items)
            {
                DynamoJson.WriteItem(response, projection is null ? item : projection.Apply(item));
            }

            response.WriteEndArray();
        }

        response.WriteEndObject();
        response.WriteStartObject("UnprocessedKeys");
        response.WriteEndObject();
    }

    private void BatchWriteItem(JsonElement request, Utf8JsonWriter response)
    {
        JsonElement tables = DynamoRequest.Object(request, "RequestItems") ?? throw MissingMember("requestItems");
        var requests = new List<(string Table, DynamoItem? Item, DynamoItem? Key)>();
        foreach (JsonProperty table in tables.EnumerateObject())
        {
            DynamoTableDefinition.ValidateTableName(table.Name, "requestItems");
            if (table.Value.ValueKind != JsonValueKind.Array)
            {
                throw DynamoErrors.Serialization("Each table of RequestItems must map to a JSON array of write requests.");
            }

            foreach (JsonElement write in table.Value.EnumerateArray())
            {
                JsonElement? put = DynamoRequest.Object(write, "PutRequest");
                JsonElement? delete = DynamoRequest.Object(write, "DeleteRequest");
                if (put is null == delete is null)
                {
                    throw DynamoErrors.Validation("Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes: each write request needs exactly one of PutRequest or DeleteRequest");
                }

                requests.Add(put is { } p
                    ? (table.Name, DynamoJson.ReadItem(DynamoRequest.Object(p, "Item") ?? throw MissingMember("requestItems.putRequest.item"), "Item"), null)
                    : (table.Name, null, DynamoJson.ReadItem(DynamoRequest.Object(delete!.Value, "Key") ?? throw MissingMember("requestItems.deleteRequest.key"), "Key")));
            }
        }

        if (requests.Count == 0)
        {
            throw DynamoErrors.Validation("1 validation error detected: Value '{}' at 'requestItems' failed to satisfy constraint: Member must have length greater than or equal to 1");
        }

        if (requests.Count > MaxBatchWrite)
        {
            throw DynamoErrors.Validation($"1 validation error detected: Value at 'requestItems' failed to satisfy constraint: Map value must satisfy constraint: [Member must have length less than or equal to {MaxBatchWrite}, Member must have length greater than or equal to 1]");
        }

        lock (_store.Gate)
        {
            var writes = new List<DynamoWrite>(requests.Count);
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach ((string name, DynamoItem? item, DynamoItem? key) in requests)
            {
                DynamoTable table = _store.Table(name);
                DynamoItem valid;
                if (item is not null)
                {
                    table.ValidateItem(item);
                    valid = table.KeyOf(item);
                }
                else
                {
                    valid = table.ValidateKey(key!);
                }

                if (!seen.Add(name + "\n" + KeyText(table, valid)))
                {
                    throw DynamoErrors.Validation("Provided list of item keys contains duplicates");
                }

                writes.Add(new DynamoWrite(name, valid, item));
            }

            _store.Apply(writes);
        }

        response.WriteStartObject("UnprocessedItems");
        response.WriteEndObject();
    }

    private void TransactGetItems(JsonElement request, Utf8JsonWriter response)
    {
        List<JsonElement> elements = DynamoRequest.Array(request, "TransactItems") ?? throw MissingMember("transactItems");
        CheckTransactionSize(elements.Count);
        var gets = new List<(string Table, DynamoItem Key, Projection? Projection)>();
        foreach (JsonElement element in elements)
        {
            JsonElement get = DynamoRequest.Object(element, "Get") ?? throw MissingMember("transactItems.get");
            Projection? projection = ReadProjection(get, out ExpressionAttributes attributes);
            attributes.RequireAllUsed(DynamoRequest.Has(get, "ProjectionExpression"));
            gets.Add((DynamoRequest.RequiredString(get, "TableName"), DynamoJson.ReadItem(DynamoRequest.Object(get, "Key") ?? throw MissingMember("transactItems.get.key"), "Key"), projection));
        }

        var results = new List<(DynamoItem? Item, Projection? Projection)>();
        lock (_store.Gate)
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach ((string name, DynamoItem key, Projection? projection) in gets)
            {
                DynamoTable table = _store.Table(name);
                DynamoItem valid = table.ValidateKey(key);
                if (!seen.Add(name + "\n" + KeyText(table, valid)))
                {
                    throw DynamoErrors.Validation("Transaction request cannot include multiple operations on one item");
                }

                results.Add((table.Get(valid), projection));
            }
        }

        response.WriteStartArray("Responses");
        foreach ((DynamoItem? item, Projection? projection) in results)
        {
            response.WriteStartObject();
            if (item is not null)
            {
                response.WritePropertyName("Item");
                DynamoJson.WriteItem(response, projection is null ? item : projection.Apply(item));
            }

            response.WriteEndObject();
        }

        response.WriteEndArray();
    }

    private void TransactWriteItems(JsonElement request, Utf8JsonWriter response)
    {
        List<JsonElement> elements = DynamoRequest.Array(request, "TransactItems") ?? throw MissingMember("transactItems");
        CheckTransactionSize(elements.Count);
        var writes = new List<ItemWrite>(elements.Count);
        foreach (JsonElement element in elements)
        {
            (ItemWriteKind kind, JsonElement body) = element switch
            {
                _ when DynamoRequest.Object(element, "Put") is { } put => (ItemWriteKind.Put, put),
                _ when DynamoRequest.Object(element, "Delete") is { } delete => (ItemWriteKind.Delete, delete),
                _ when DynamoRequest.Object(element, "Update") is { } update => (ItemWriteKind.Update, update),
                _ when DynamoRequest.Object(element, "ConditionCheck") is { } check => (ItemWriteKind.ConditionCheck, check),
                _ => throw DynamoErrors.Validation("TransactItems can only contain one of Check, Put, Update or Delete"),
            };
            writes.Add(ReadWrite(body, kind, ["NONE"]));
        }

        lock (_store.Gate)
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (ItemWrite write in writes)
            {
                DynamoTable table = _store.Table(write.Table);
                DynamoItem key;
                if (write.Kind == ItemWriteKind.Put)
                {
                    table.ValidateItem(write.Item!);
                    key = table.KeyOf(write.Item!);
                }
                else
                {
                    key = table.ValidateKey(write.Key!);
                }

                if (!seen.Add(write.Table + "\n" + KeyText(table, key)))
                {
                    throw DynamoErrors.Validation("Transaction request cannot include multiple operations on one item");
                }
            }

            var prepared = new List<Prepared>(writes.Count);
            var reasons = new List<(string Code, string? Message, DynamoItem? Item)>(writes.Count);
            bool failed = false;
            foreach (ItemWrite write in writes)
            {
                try
                {
                    prepared.Add(Prepare(write));
                    reasons.Add(("None", null, null));
                }
                catch (DynamoFailure failure) when (failure.Error.Code == DynamoErrors.ConditionalCheckFailed.Code)
                {
                    failed = true;
                    reasons.Add(("ConditionalCheckFailed", DynamoErrors.ConditionalCheckFailed.Message, write.ReturnItemOnFailure ? _store.Table(write.Table).Get(write.Kind == ItemWriteKind.Put ? _store.Table(write.Table).KeyOf(write.Item!) : write.Key!) : null));
                }
                catch (AwsServiceException error) when (error.Code == DynamoErrors.ValidationCode)
                {
                    failed = true;
                    reasons.Add(("ValidationError", error.Message, null));
                }
            }

            if (failed)
            {
                string summary = string.Join(", ", reasons.Select(r => r.Code));
                throw new DynamoFailure(
                    new AwsServiceException(400, "TransactionCanceledException", $"Transaction cancelled, please refer cancellation reasons for specific reasons [{summary}]"),
                    writer =>
                    {
                        writer.WriteStartArray("CancellationReasons");
                        foreach ((string code, string? message, DynamoItem? item) in reasons)
                        {
                            writer.WriteStartObject();
                            writer.WriteString("Code", code);
                            if (message is not null)
                            {
                                writer.WriteString("Message", message);
                            }

                            if (item is not null)
                            {
                                writer.WritePropertyName("Item");
                                DynamoJson.WriteItem(writer, item);
                            }

                            writer.WriteEndObject();
                        }

                        writer.WriteEndArray();
                    });
            }

            List<DynamoWrite> changes = [.. prepared.Where(p => p.Change is not null).Select(p => p.Change!)];
            if (changes.Count > 0)
            {
                _store.Apply(changes);
            }
        }
    }

    private static void CheckTransactionSize(int count)
    {
        if (count is < 1 or > MaxTransactItems)
        {
            throw DynamoErrors.Validation($"1 validation error detected: Value at 'transactItems' failed to satisfy constraint: Member must have length {(count < 1 ? "greater than or equal to 1" : $"less than or equal to {MaxTransactItems}")}");
        }
    }

    private static string KeyText(DynamoTable table, DynamoItem key) =>
        string.Join("\n", table.Keys.Names.Select(n => key[n].KeyText));
}
