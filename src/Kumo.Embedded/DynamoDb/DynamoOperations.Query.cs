using System.Text.Json;

namespace Kumo.Embedded.DynamoDb;

/// <summary>Query and Scan, on a table or one of its indexes, with filters, projections, pagination and parallel segments.</summary>
internal sealed partial class DynamoOperations
{
    /// <summary>DynamoDB stops a page once it has read 1 MB.</summary>
    private const int MaxPageBytes = 1024 * 1024;

    private void Query(JsonElement request, Utf8JsonWriter response)
    {
        ReadOptions options = ReadReadOptions(request, query: true, out Condition? keyCondition);
        lock (_store.Gate)
        {
            DynamoTable table = _store.Table(options.Table);
            DynamoIndex? index = ResolveIndex(table, options);
            KeySchema keys = index?.Keys ?? table.Keys;
            (DynamoValue hash, Condition? range) = SplitKeyCondition(keyCondition!, keys, table.Definition);
            if (options.Filter is { } filter && FilterKeyAttribute(filter, keys) is { } keyAttribute)
            {
                throw DynamoErrors.Validation($"Filter Expression can only contain non-primary key attributes: Primary key attribute: {keyAttribute}");
            }

            IEnumerable<DynamoItem> candidates = index is null
                ? table.Partition(hash)
                : table.All().Where(item => InIndex(item, index) && item[index.Keys.HashKey].Equals(hash));
            if (range is not null)
            {
                candidates = candidates.Where(item => ConditionEvaluator.Evaluate(range, item, "KeyConditionExpression"));
            }

            List<KeyPart> order = QueryOrder(table.Keys, index);
            var list = index is null ? candidates.ToList() : [.. candidates.Order(new ItemOrder(order))];
            if (!options.Forward)
            {
                list.Reverse();
            }

            WritePage(response, table, index, list, order, options);
        }
    }

    private void Scan(JsonElement request, Utf8JsonWriter response)
    {
        ReadOptions options = ReadReadOptions(request, query: false, out _);
        int? segment = DynamoRequest.Int(request, "Segment");
        int? total = DynamoRequest.Int(request, "TotalSegments");
        if (segment is null != total is null)
        {
            throw DynamoErrors.Validation(segment is null
                ? "The Segment parameter is required but was not present in the request when parameter TotalSegments is present"
                : "The TotalSegments parameter is required but was not present in the request when Segment parameter is present");
        }

        if (total is < 1 or > 1_000_000)
        {
            throw DynamoErrors.Validation($"1 validation error detected: Value '{total}' at 'totalSegments' failed to satisfy constraint: Member must have value between 1 and 1000000");
        }

        if (segment < 0 || segment >= total)
        {
            throw DynamoErrors.Validation($"The Segment parameter is zero-based and must be less than parameter TotalSegments: Segment: {segment} is not less than TotalSegments: {total}");
        }

        lock (_store.Gate)
        {
            DynamoTable table = _store.Table(options.Table);
            DynamoIndex? index = ResolveIndex(table, options);
            IEnumerable<DynamoItem> candidates = index is null ? table.All() : table.All().Where(item => InIndex(item, index));
            if (total is { } segments)
            {
                candidates = candidates.Where(item => SegmentOf(item[table.Keys.HashKey], segments) == segment);
            }

            List<KeyPart> order = ScanOrder(table.Keys, index);
            List<DynamoItem> list = index is null ? [.. candidates] : [.. candidates.Order(new ItemOrder(order))];
            WritePage(response, table, index, list, order, options);
        }
    }

    private ReadOptions ReadReadOptions(JsonElement request, bool query, out Condition? keyCondition)
    {
        string table = DynamoRequest.RequiredString(request, "TableName");
        string? indexName = DynamoRequest.String(request, "IndexName");
        DynamoLegacy.RefuseMix(request, "KeyConditions", "KeyConditionExpression");
        DynamoLegacy.RefuseMix(request, query ? "QueryFilter" : "ScanFilter", "FilterExpression");
        ExpressionAttributes attributes = ExpressionAttributes.Read(request);
        bool anyExpression = false;
        keyCondition = null;
        if (query)
        {
            if (DynamoRequest.String(request, "KeyConditionExpression") is { } keyExpression)
            {
                keyCondition = ExpressionParser.ParseCondition(keyExpression, "KeyConditionExpression", attributes);
                anyExpression = true;
            }
            else
            {
                keyCondition = DynamoLegacy.Conditions(request, "KeyConditions", "AND")
                    ?? throw DynamoErrors.Validation("Either the KeyConditions or KeyConditionExpression parameter must be specified in the request.");
            }
        }

        Condition? filter = null;
        if (DynamoRequest.String(request, "FilterExpression") is { } filterExpression)
        {
            filter = ExpressionParser.ParseCondition(filterExpression, "FilterExpression", attributes);
            anyExpression = true;
        }
        else if (DynamoLegacy.Conditions(request, query ? "QueryFilter" : "ScanFilter", DynamoRequest.String(request, "ConditionalOperator")) is { } legacy)
        {
            filter = legacy;
            ReportIfPresent(request, query ? "QueryFilter" : "ScanFilter", "dynamodb-legacy-filter", "Use FilterExpression instead of the legacy QueryFilter/ScanFilter parameters.");
        }

        DynamoLegacy.RefuseMix(request, "AttributesToGet", "ProjectionExpression");
        IReadOnlyList<DocumentPath>? projection = null;
        if (DynamoRequest.String(request, "ProjectionExpression") is { } projectionExpression)
        {
            projection = ExpressionParser.ParseProjection(projectionExpression, attributes);
            anyExpression = true;
        }
        else
        {
            projection = DynamoLegacy.AttributesToGet(request);
        }

        attributes.RequireAllUsed(anyExpression);
        int? limit = DynamoRequest.Int(request, "Limit");
        if (limit is < 1)
        {
            throw DynamoErrors.Validation($"1 validation error detected: Value '{limit}' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1");
        }

        string? select = DynamoRequest.String(request, "Select");
        switch (select)
        {
            case null or "ALL_ATTRIBUTES" or "ALL_PROJECTED_ATTRIBUTES" or "COUNT" or "SPECIFIC_ATTRIBUTES":
                break;
            default:
                throw DynamoErrors.Validation($"1 validation error detected: Value '{select}' at 'select' failed to satisfy constraint: Member must satisfy enum value set: [SPECIFIC_ATTRIBUTES, COUNT, ALL_ATTRIBUTES, ALL_PROJECTED_ATTRIBUTES]");
        }

        if (select == "COUNT")
        {
            ReportIfPresent(request, "Select", "dynamodb-select-count", "Count the Items of the response instead of asking for Select=COUNT (kumo returns the items).");
        }

        if (projection is not null && select is not (null or "SPECIFIC_ATTRIBUTES"))
        {
            throw DynamoErrors.Validation($"Cannot specify the ProjectionExpression when choosing to get {select}");
        }

        if (select == "SPECIFIC_ATTRIBUTES" && projection is null)
        {
            throw DynamoErrors.Validation("Must specify the ProjectionExpression or AttributesToGet when choosing to get SPECIFIC_ATTRIBUTES");
        }

        if (select == "ALL_PROJECTED_ATTRIBUTES" && indexName is null)
        {
            throw DynamoErrors.Validation("ALL_PROJECTED_ATTRIBUTES can be used only when Querying using an IndexName");
        }

        DynamoItem? start = DynamoRequest.Object(request, "ExclusiveStartKey") is { } esk ? DynamoJson.ReadItem(esk, "ExclusiveStartKey") : null;
        return new ReadOptions(table, indexName, filter, projection is null ? null : new Projection(projection), select, limit, DynamoRequest.Bool(request, "ScanIndexForward") ?? true, start, DynamoRequest.Bool(request, "ConsistentRead") ?? false, request);
    }

    private static DynamoIndex? ResolveIndex(DynamoTable table, ReadOptions options)
    {
        if (options.Index is null)
        {
            return null;
        }

        DynamoIndex index = table.Definition.FindIndex(options.Index)
            ?? throw DynamoErrors.Validation($"The table does not have the specified index: {options.Index}");
        if (index.Global && options.ConsistentRead)
        {
            throw DynamoErrors.Validation("Consistent reads are not supported on global secondary indexes");
        }

        if (index.Global && index.ProjectionType != "ALL" && options.Select == "ALL_ATTRIBUTES")
        {
            throw DynamoErrors.Validation($"One or more parameter values were invalid: Select type ALL_ATTRIBUTES is not supported for global secondary index {index.Name} because its projection type is not ALL");
        }

        return index;
    }

    private static bool InIndex(DynamoItem item, DynamoIndex index) => index.Keys.Names.All(item.ContainsKey);

    /// <summary>The partition key value and the sort key condition of a key condition; DynamoDB's errors for anything else.</summary>
    private static (DynamoValue Hash, Condition? Range) SplitKeyCondition(Condition condition, KeySchema keys, DynamoTableDefinition definition)
    {
        var parts = new List<Condition>();
        Flatten(condition, parts);
        if (parts.Count > 2)
        {
            throw DynamoErrors.Validation("Conditions can be of length 1 or 2 only");
        }

        DynamoValue? hash = null;
        Condition? range = null;
        foreach (Condition part in parts)
        {
            (string attribute, DynamoValue[] values) = KeyConditionPart(part);
            string expectedType = definition.AttributeTypes.TryGetValue(attribute, out string? type) ? type : string.Empty;
            if (values.Any(v => v.TypeName != expectedType) && (attribute == keys.HashKey || attribute == keys.RangeKey))
            {
                throw DynamoErrors.InvalidParameter("Condition parameter type does not match schema type");
            }

            if (attribute == keys.HashKey)
            {
                if (part is not Comparison { Operator: Comparator.Equal } || hash is not null)
                {
                    throw DynamoErrors.Validation("Query key condition not supported");
                }

                hash = values[0];
            }
            else if (attribute == keys.RangeKey && range is null)
            {
                range = part;
            }
            else
            {
                throw DynamoErrors.Validation(attribute == keys.RangeKey ? "Query key condition not supported" : $"Query condition missed key schema element: {keys.HashKey}");
            }
        }

        return hash is null
            ? throw DynamoErrors.Validation($"Query condition missed key schema element: {keys.HashKey}")
            : (hash, range);
    }

    private static void Flatten(Condition condition, List<Condition> parts)
    {
        switch (condition)
        {
            case And and:
                Flatten(and.Left, parts);
                Flatten(and.Right, parts);
                break;
            case Or:
                throw DynamoErrors.Validation("Invalid operator used in KeyConditionExpression: OR");
            case Not:
                throw DynamoErrors.Validation("Invalid operator used in KeyConditionExpression: NOT");
            default:
                parts.Add(condition);
                break;
        }
    }

    private static (string Attribute, DynamoValue[] Values) KeyConditionPart(Condition part)
    {
        switch (part)
        {
            case Comparison { Operator: Comparator.NotEqual }:
                throw DynamoErrors.Validation("Unsupported operator in KeyConditionExpression: <>");
            case Comparison { Left: PathOperand { Path.Steps.Count: 1 } path, Right: ValueOperand value }:
                return (path.Path.Attribute, [value.Value]);
            case Between { Subject: PathOperand { Path.Steps.Count: 1 } path, Lower: ValueOperand lower, Upper: ValueOperand upper }:
                if (DynamoValue.Compare(lower.Value, upper.Value) is > 0)
                {
                    throw DynamoErrors.Validation($"Invalid KeyConditionExpression: The BETWEEN operator requires upper bound to be greater than or equal to lower bound; lower bound operand: AttributeValue: {lower.Value}, upper bound operand: AttributeValue: {upper.Value}");
                }

                return (path.Path.Attribute, [lower.Value, upper.Value]);
            case FunctionCall { Name: "begins_with", Arguments: [PathOperand { Path.Steps.Count: 1 } path, ValueOperand prefix] }:
                if (prefix.Value.Type == DynamoType.N)
                {
                    throw DynamoErrors.Validation("Invalid KeyConditionExpression: Incorrect operand type for operator or function; operator or function: begins_with, operand type: N");
                }

                return (path.Path.Attribute, [prefix.Value]);
            case FunctionCall call:
                throw DynamoErrors.Validation($"Invalid KeyConditionExpression: Invalid function name in key condition; function: {call.Name}");
            default:
                throw DynamoErrors.Validation("Invalid KeyConditionExpression: the key condition must compare a key attribute with a value (pk = :v, sk < :v, sk BETWEEN :a AND :b, begins_with(sk, :v))");
        }
    }

    /// <summary>The first key attribute a Query filter names, or null.</summary>
    private static string? FilterKeyAttribute(Condition condition, KeySchema keys)
    {
        IEnumerable<Operand> operands = condition switch
        {
            And and => [],
            Or or => [],
            Not not => [],
            Comparison c => [c.Left, c.Right],
            Between b => [b.Subject, b.Lower, b.Upper],
            In i => [i.Subject, .. i.Candidates],
            FunctionCall f => f.Arguments,
            _ => [],
        };
        foreach (Operand operand in operands)
        {
            DocumentPath? path = operand switch
            {
                PathOperand p => p.Path,
                SizeOperand s => s.Path,
                _ => null,
            };
            if (path is not null && keys.Names.Contains(path.Attribute, StringComparer.Ordinal))
            {
                return path.Attribute;
            }
        }

        return condition switch
        {
            And and => FilterKeyAttribute(and.Left, keys) ?? FilterKeyAttribute(and.Right, keys),
            Or or => FilterKeyAttribute(or.Left, keys) ?? FilterKeyAttribute(or.Right, keys),
            Not not => FilterKeyAttribute(not.Inner, keys),
            _ => null,
        };
    }

    private void WritePage(Utf8JsonWriter response, DynamoTable table, DynamoIndex? index, List<DynamoItem> candidates, List<KeyPart> order, ReadOptions options)
    {
        int first = 0;
        if (options.Start is { } start)
        {
            var required = order.Select(p => p.Attribute).Concat(table.Keys.Names).Concat(index?.Keys.Names ?? []).Distinct(StringComparer.Ordinal).ToList();
            if (!required.All(start.ContainsKey) || start.Count != required.Count)
            {
                throw DynamoErrors.Validation("The provided starting key is invalid: The provided key element does not match the schema");
            }

            var comparer = new ItemOrder(order);
            while (first < candidates.Count && (options.Forward ? comparer.Compare(candidates[first], start) <= 0 : comparer.Compare(candidates[first], start) >= 0))
            {
                first++;
            }
        }

        bool count = options.Select == "COUNT";
        bool fullItems = index is null || options.Select == "ALL_ATTRIBUTES" || (index.ProjectionType == "ALL");
        int scanned = 0;
        int matched = 0;
        long bytes = 0;
        DynamoItem? last = null;
        bool stopped = false;
        if (!count)
        {
            response.WriteStartArray("Items");
        }

        for (int i = first; i < candidates.Count; i++)
        {
            DynamoItem item = candidates[i];
            scanned++;
            bytes += DynamoItems.Size(item);
            last = item;
            if (options.Filter is null || ConditionEvaluator.Evaluate(options.Filter, item, "FilterExpression"))
            {
                matched++;
                if (!count)
                {
                    IReadOnlyDictionary<string, DynamoValue> visible = fullItems ? item : index!.Project(item, table.Keys);
                    DynamoJson.WriteItem(response, options.Projection is null ? visible : options.Projection.Apply(visible));
                }
            }

            if (scanned == options.Limit || bytes >= MaxPageBytes)
            {
                stopped = i < candidates.Count - 1 || scanned == options.Limit;
                break;
            }
        }

        if (!count)
        {
            response.WriteEndArray();
        }

        response.WriteNumber("Count", matched);
        response.WriteNumber("ScannedCount", scanned);
        if (stopped && last is not null)
        {
            DynamoItem key = DynamoItems.New();
            foreach (string name in order.Select(p => p.Attribute).Concat(table.Keys.Names).Concat(index?.Keys.Names ?? []))
            {
                key[name] = last[name];
            }

            response.WritePropertyName("LastEvaluatedKey");
            DynamoJson.WriteItem(response, key);
        }

        WriteConsumed(options.Request, response, table.Definition.Name, Math.Max(0.5, Math.Ceiling(bytes / 4096.0) / 2));
    }

    private static List<KeyPart> QueryOrder(KeySchema tableKeys, DynamoIndex? index)
    {
        var parts = new List<KeyPart>();
        if (index is not null)
        {
            if (index.Keys.RangeKey is { } indexRange)
            {
                parts.Add(new KeyPart(indexRange, Text: false));
            }

            parts.Add(new KeyPart(tableKeys.HashKey, Text: true));
        }

        if (tableKeys.RangeKey is { } range)
        {
            parts.Add(new KeyPart(range, Text: false));
        }

        return Distinct(parts);
    }

    private static List<KeyPart> ScanOrder(KeySchema tableKeys, DynamoIndex? index)
    {
        var parts = new List<KeyPart>();
        if (index is not null)
        {
            parts.Add(new KeyPart(index.Keys.HashKey, Text: true));
            if (index.Keys.RangeKey is { } indexRange)
            {
                parts.Add(new KeyPart(indexRange, Text: false));
            }
        }

        parts.Add(new KeyPart(tableKeys.HashKey, Text: true));
        if (tableKeys.RangeKey is { } range)
        {
            parts.Add(new KeyPart(range, Text: false));
        }

        return Distinct(parts);
    }

    private static List<KeyPart> Distinct(List<KeyPart> parts) =>
        [.. parts.GroupBy(p => p.Attribute, StringComparer.Ordinal).Select(g => g.First())];

    private static int SegmentOf(DynamoValue hash, int segments)
    {
        uint h = 2166136261;
        foreach (char c in hash.KeyText)
        {
            h = (h ^ c) * 16777619;
        }

        return (int)(h % (uint)segments);
    }

    /// <summary>One component of the order items are returned in: a key attribute, compared by key text (partition keys) or by value (sort keys).</summary>
    private sealed record KeyPart(string Attribute, bool Text);

    /// <summary>Orders items (or a start key) by a list of key parts.</summary>
    private sealed class ItemOrder(List<KeyPart> parts) : IComparer<DynamoItem>
    {
        public int Compare(DynamoItem? x, DynamoItem? y)
        {
            foreach (KeyPart part in parts)
            {
                DynamoValue? a = x?.GetValueOrDefault(part.Attribute);
                DynamoValue? b = y?.GetValueOrDefault(part.Attribute);
                int order = (a, b) switch
                {
                    (null, null) => 0,
                    (null, _) => -1,
                    (_, null) => 1,
                    _ => part.Text ? string.CompareOrdinal(a.KeyText, b.KeyText) : DynamoValue.Compare(a, b) ?? string.CompareOrdinal(a.KeyText, b.KeyText),
                };
                if (order != 0)
                {
                    return order;
                }
            }

            return 0;
        }
    }

    /// <summary>The parsed parameters of a Query or Scan.</summary>
    private sealed record ReadOptions(string Table, string? Index, Condition? Filter, Projection? Projection, string? Select, int? Limit, bool Forward, DynamoItem? Start, bool ConsistentRead, JsonElement Request);
}
