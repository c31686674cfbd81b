using System.Text.Json;

namespace Kumo.Embedded.DynamoDb;

/// <summary>Single-item operations: PutItem, GetItem, DeleteItem, UpdateItem (and their checks, shared with transactions).</summary>
internal sealed partial class DynamoOperations
{
    private const string ConditionKind = "ConditionExpression";

    private void PutItem(JsonElement request, Utf8JsonWriter response)
    {
        ItemWrite write = ReadWrite(request, ItemWriteKind.Put, ["NONE", "ALL_OLD"]);
        Prepared prepared;
        lock (_store.Gate)
        {
            prepared = Prepare(write);
            Commit(prepared);
        }

        WriteReturnValues(response, write, prepared);
        WriteConsumed(request, response, write.Table, 1);
    }

    private void DeleteItem(JsonElement request, Utf8JsonWriter response)
    {
        ItemWrite write = ReadWrite(request, ItemWriteKind.Delete, ["NONE", "ALL_OLD"]);
        Prepared prepared;
        lock (_store.Gate)
        {
            prepared = Prepare(write);
            Commit(prepared);
        }

        WriteReturnValues(response, write, prepared);
        WriteConsumed(request, response, write.Table, 1);
    }

    private void UpdateItem(JsonElement request, Utf8JsonWriter response)
    {
        ItemWrite write = ReadWrite(request, ItemWriteKind.Update, ["NONE", "ALL_OLD", "UPDATED_OLD", "ALL_NEW", "UPDATED_NEW"]);
        Prepared prepared;
        lock (_store.Gate)
        {
            prepared = Prepare(write);
            Commit(prepared);
        }

        WriteReturnValues(response, write, prepared);
        WriteConsumed(request, response, write.Table, 1);
    }

    private void GetItem(JsonElement request, Utf8JsonWriter response)
    {
        string tableName = DynamoRequest.RequiredString(request, "TableName");
        DynamoItem key = DynamoJson.ReadItem(DynamoRequest.Object(request, "Key") ?? throw MissingMember("key"), "Key");
        _ = DynamoRequest.Bool(request, "ConsistentRead");
        Projection? projection = ReadProjection(request, out ExpressionAttributes attributes);
        attributes.RequireAllUsed(projection is not null && DynamoRequest.Has(request, "ProjectionExpression"));
        DynamoItem? item;
        lock (_store.Gate)
        {
            DynamoTable table = _store.Table(tableName);
            item = table.Get(table.ValidateKey(key));
        }

        if (item is not null)
        {
            response.WritePropertyName("Item");
            DynamoJson.WriteItem(response, projection is null ? item : projection.Apply(item));
        }

        WriteConsumed(request, response, tableName, 0.5);
    }

    /// <summary>Reads ProjectionExpression (or legacy AttributesToGet) and the request's expression attributes.</summary>
    private static Projection? ReadProjection(JsonElement request, out ExpressionAttributes attributes)
    {
        DynamoLegacy.RefuseMix(request, "AttributesToGet", "ProjectionExpression");
        attributes = ExpressionAttributes.Read(request);
        if (DynamoRequest.String(request, "ProjectionExpression") is { } expression)
        {
            return new Projection(ExpressionParser.ParseProjection(expression, attributes));
        }

        return DynamoLegacy.AttributesToGet(request) is { } paths ? new Projection(paths) : null;
    }

    private ItemWrite ReadWrite(JsonElement request, ItemWriteKind kind, string[] returnValues)
    {
        string table = DynamoRequest.RequiredString(request, "TableName");
        DynamoItem? item = null;
        DynamoItem? key = null;
        if (kind == ItemWriteKind.Put)
        {
            item = DynamoJson.ReadItem(DynamoRequest.Object(request, "Item") ?? throw MissingMember("item"), "Item");
        }
        else
        {
            key = DynamoJson.ReadItem(DynamoRequest.Object(request, "Key") ?? throw MissingMember("key"), "Key");
        }

        DynamoLegacy.RefuseMix(request, "Expected", "ConditionExpression");
        DynamoLegacy.RefuseMix(request, "AttributeUpdates", "UpdateExpression");
        ExpressionAttributes attributes = ExpressionAttributes.Read(request);
        bool anyExpression = false;
        Condition? condition = null;
        if (DynamoRequest.String(request, "ConditionExpression") is { } conditionExpression)
        {
            condition = ExpressionParser.ParseCondition(conditionExpression, ConditionKind, attributes);
            anyExpression = true;
        }
        else if (DynamoLegacy.Expected(request) is { } expected)
        {
            condition = expected;
            ReportIfPresent(request, "Expected", "dynamodb-expected", "Use ConditionExpression instead of the legacy Expected parameter.");
        }

        IReadOnlyList<UpdateAction>? actions = null;
        if (kind == ItemWriteKind.Update)
        {
            if (DynamoRequest.String(request, "UpdateExpression") is { } updateExpression)
            {
                actions = ExpressionParser.ParseUpdate(updateExpression, attributes);
                anyExpression = true;
            }
            else
            {
                actions = DynamoLegacy.AttributeUpdates(request) ?? [];
            }
        }

        if (kind == ItemWriteKind.ConditionCheck && condition is null)
        {
            throw MissingMember("conditionExpression");
        }

        attributes.RequireAllUsed(anyExpression);
        string returns = DynamoRequest.String(request, "ReturnValues") ?? "NONE";
        if (!returnValues.Contains(returns, StringComparer.Ordinal))
        {
            throw DynamoErrors.Validation("Return values set to invalid value");
        }

        string onFailure = DynamoRequest.String(request, "ReturnValuesOnConditionCheckFailure") ?? "NONE";
        if (onFailure is not ("NONE" or "ALL_OLD"))
        {
            throw DynamoErrors.Validation($"1 validation error detected: Value '{onFailure}' at 'returnValuesOnConditionCheckFailure' failed to satisfy constraint: Member must satisfy enum value set: [ALL_OLD, NONE]");
        }

        if (onFailure == "ALL_OLD")
        {
            ReportIfPresent(request, "ReturnValuesOnConditionCheckFailure", "dynamodb-return-values-on-condition-check-failure", "Read the item with GetItem after a ConditionalCheckFailedException instead.");
        }

        return new ItemWrite(kind, table, item, key, condition, actions, returns, onFailure == "ALL_OLD");
    }

    /// <summary>Validates a write against its table, checks its condition and computes the new item (call under the lock).</summary>
    private Prepared Prepare(ItemWrite write)
    {
        DynamoTable table = _store.Table(write.Table);
        DynamoItem key;
        DynamoItem? next = null;
        if (write.Kind == ItemWriteKind.Put)
        {
            table.ValidateItem(write.Item!);
            key = table.KeyOf(write.Item!);
            next = write.Item;
        }
        else
        {
            key = table.ValidateKey(write.Key!);
        }

        if (write.Actions is { } actions)
        {
            foreach (UpdateAction action in actions)
            {
                if (table.Keys.Names.Contains(action.Path.Attribute, StringComparer.Ordinal))
                {
                    throw DynamoErrors.InvalidParameter($"Cannot update attribute {action.Path.Attribute}. This attribute is part of the key");
                }
            }
        }

        DynamoItem? old = table.Get(key);
        if (write.Condition is { } condition && !ConditionEvaluator.Evaluate(condition, old ?? Empty, ConditionKind))
        {
            throw DynamoFailure.ConditionFailed(write.ReturnItemOnFailure ? old : null);
        }

        if (write.Kind == ItemWriteKind.Update)
        {
            next = UpdateApplier.Apply(old ?? key, write.Actions!);
            table.ValidateItem(next, update: true);
        }

        DynamoWrite? change = write.Kind switch
        {
            ItemWriteKind.Put or ItemWriteKind.Update => new DynamoWrite(write.Table, key, next),
            ItemWriteKind.Delete when old is not null => new DynamoWrite(write.Table, key, null),
            _ => null,
        };
        return new Prepared(change, old, next);
    }

    private void Commit(Prepared prepared)
    {
        if (prepared.Change is { } change)
        {
            _store.Apply([change]);
        }
    }

    private static void WriteReturnValues(Utf8JsonWriter response, ItemWrite write, Prepared prepared)
    {
        IReadOnlyDictionary<string, DynamoValue>? attributes = write.ReturnValues switch
        {
            "ALL_OLD" => prepared.Old,
            "ALL_NEW" => prepared.New,
            "UPDATED_OLD" => prepared.Old is null ? null : new Projection(write.Actions!.Select(a => a.Path)).Apply(prepared.Old),
            "UPDATED_NEW" => prepared.New is null ? null : new Projection(write.Actions!.Where(a => a is not RemoveAction).Select(a => a.Path)).Apply(prepared.New),
            _ => null,
        };
        if (attributes is { Count: > 0 })
        {
            response.WritePropertyName("Attributes");
            DynamoJson.WriteItem(response, attributes);
        }
    }

    private static void WriteConsumed(JsonElement request, Utf8JsonWriter response, string table, double units)
    {
        if (DynamoRequest.String(request, "ReturnConsumedCapacity") is "TOTAL" or "INDEXES")
        {
            response.WriteStartObject("ConsumedCapacity");
            response.WriteString("TableName", table);
            response.WriteNumber("CapacityUnits", units);
            response.WriteEndObject();
        }
    }

    private static Exception MissingMember(string path) =>
        DynamoErrors.Validation($"1 validation error detected: Value null at '{path}' failed to satisfy constraint: Member must not be null");

    private static readonly IReadOnlyDictionary<string, DynamoValue> Empty = new Dictionary<string, DynamoValue>(StringComparer.Ordinal);

    private enum ItemWriteKind
    {
        Put,
        Delete,
        Update,
        ConditionCheck,
    }

    /// <summary>A parsed write request (PutItem, DeleteItem, UpdateItem, or one element of TransactWriteItems).</summary>
    private sealed record ItemWrite(ItemWriteKind Kind, string Table, DynamoItem? Item, DynamoItem? Key, Condition? Condition, IReadOnlyList<UpdateAction>? Actions, string ReturnValues, bool ReturnItemOnFailure);

    /// <summary>A checked write: the change to apply (none for a delete of nothing or a condition check), the old and the new item.</summary>
    private sealed record Prepared(DynamoWrite? Change, DynamoItem? Old, DynamoItem? New);
}
