using System.Text.Json.Nodes;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;

namespace Kumo.Seeding;

/// <summary>The DynamoDB phase: tables created when missing (key schema checked when present), TTL, then items written unless equal.</summary>
internal sealed partial class SeedRun
{
    private int _tablesCreated;
    private int _tablesExisting;
    private int _itemsWritten;
    private int _itemsSkipped;
    private int _itemsDiffering;

    private async Task SeedTablesAsync(CancellationToken cancellationToken)
    {
        if (_plan.Tables.Count == 0)
        {
            return;
        }

        IAmazonDynamoDB dynamo = _dynamo ?? throw new SeedException(
            $"The plan has {_plan.Tables.Count} table(s) but the seeder has no DynamoDB client. Fix: create it with new KumoSeeder(KumoClients) or pass an IAmazonDynamoDB.",
            DynamoUri(_plan.Tables[0].Name),
            null);

        StartPhase(SeedPhase.CreateContainers, _plan.Tables.Count, cancellationToken);
        foreach (ResolvedTable table in _plan.Tables)
        {
            await EnsureTableAsync(dynamo, table, cancellationToken).ConfigureAwait(false);
            Advance(SeedPhase.CreateContainers, _plan.Tables.Count, table.Name);
        }

        var items = _plan.Tables.SelectMany(t => t.Seed.Items.Select(i => (Table: t, Item: i))).ToArray();
        StartPhase(SeedPhase.Populate, items.Length, cancellationToken);
        await ForEachAsync(
            items,
            async (entry, ct) =>
            {
                await SeedItemAsync(dynamo, entry.Table, entry.Item, ct).ConfigureAwait(false);
                Advance(SeedPhase.Populate, items.Length, entry.Item.Source);
            },
            cancellationToken).ConfigureAwait(false);
        SeedLog.TablesFinished(_logger, _tablesCreated, _tablesExisting, _itemsWritten, _itemsSkipped, _itemsDiffering);
    }

    private async Task EnsureTableAsync(IAmazonDynamoDB dynamo, ResolvedTable table, CancellationToken cancellationToken)
    {
        TableSeed seed = table.Seed;
        TableDescription? existing = null;
        try
        {
            existing = (await dynamo.DescribeTableAsync(new DescribeTableRequest { TableName = table.Name }, cancellationToken).ConfigureAwait(false)).Table;
        }
        catch (ResourceNotFoundException)
        {
        }
        catch (Exception e) when (IsEngineFailure(e))
        {
            throw Wrap($"DescribeTable '{table.Name}'", DynamoUri(table.Name), e);
        }

        if (existing is not null)
        {
            string planned = KeySchemaText(seed.HashKey, seed.RangeKey);
            string actual = string.Join(", ", (existing.KeySchema ?? []).OrderBy(k => k.KeyType == KeyType.HASH ? 0 : 1)
                .Select(k => $"{k.AttributeName} ({(existing.AttributeDefinitions ?? []).FirstOrDefault(d => d.AttributeName == k.AttributeName)?.AttributeType?.Value}) {k.KeyType?.Value}"));
            if (planned != actual)
            {
                throw new SeedException(
                    $"Table '{table.Name}' exists with key schema [{actual}], but the plan says [{planned}]. Fix: delete the table (or reset the engine) so the seeder can create it, or change the plan's keys to match.",
                    DynamoUri(table.Name),
                    null);
            }

            Interlocked.Increment(ref _tablesExisting);
        }
        else
        {
            await Call($"CreateTable '{table.Name}'", DynamoUri(table.Name), write: true, () => dynamo.CreateTableAsync(CreateTableRequest(table), cancellationToken)).ConfigureAwait(false);
            Interlocked.Increment(ref _tablesCreated);
            SeedLog.TableCreated(_logger, table.Name);
        }

        if (seed.TtlAttribute is { } ttl)
        {
            DescribeTimeToLiveResponse current = await Call($"DescribeTimeToLive '{table.Name}'", DynamoUri(table.Name), write: false,
                () => dynamo.DescribeTimeToLiveAsync(new DescribeTimeToLiveRequest { TableName = table.Name }, cancellationToken)).ConfigureAwait(false);
            bool enabled = current.TimeToLiveDescription?.TimeToLiveStatus == TimeToLiveStatus.ENABLED;
            if (!enabled || current.TimeToLiveDescription?.AttributeName != ttl)
            {
                await Call($"UpdateTimeToLive '{table.Name}'", DynamoUri(table.Name), write: true, () => dynamo.UpdateTimeToLiveAsync(
                    new UpdateTimeToLiveRequest { TableName = table.Name, TimeToLiveSpecification = new TimeToLiveSpecification { AttributeName = ttl, Enabled = true } },
                    cancellationToken)).ConfigureAwait(false);
            }
        }
    }

    private async Task SeedItemAsync(IAmazonDynamoDB dynamo, ResolvedTable table, TableItemSeed item, CancellationToken cancellationToken)
    {
        TableSeed seed = table.Seed;
        var key = new Dictionary<string, AttributeValue>(StringComparer.Ordinal);
        foreach (TableKeySeed part in new[] { seed.HashKey, seed.RangeKey }.OfType<TableKeySeed>())
        {
            key[part.Name] = DynamoItems.ToAttributeValue((JsonObject)item.Item[part.Name]!);
        }

        GetItemResponse current = await Call($"GetItem '{table.Name}'", DynamoUri(table.Name), write: false,
            () => dynamo.GetItemAsync(new GetItemRequest { TableName = table.Name, Key = key, ConsistentRead = true }, cancellationToken)).ConfigureAwait(false);
        if (current.Item is { Count: > 0 } found)
        {
            if (DynamoJson.Canonical(DynamoItems.ToJson(found)) == item.Canonical)
            {
                Interlocked.Increment(ref _itemsSkipped);
                return;
            }

            if (seed.OnDifference == TableItemDifference.Report)
            {
                Interlocked.Increment(ref _itemsDiffering);
                SeedLog.ItemDiffers(_logger, item.Source, table.Name, DynamoJson.Canonical(DynamoItems.ToJson(key)));
                return;
            }
        }

        await Call($"PutItem '{table.Name}'", DynamoUri(table.Name), write: true,
            () => dynamo.PutItemAsync(new PutItemRequest { TableName = table.Name, Item = DynamoItems.ToAttributeValues(item.Item) }, cancellationToken)).ConfigureAwait(false);
        Interlocked.Increment(ref _itemsWritten);
    }

    private static CreateTableRequest CreateTableRequest(ResolvedTable table)
    {
        TableSeed seed = table.Seed;
        return new CreateTableRequest
        {
            TableName = table.Name,
            BillingMode = BillingMode.PAY_PER_REQUEST,
            KeySchema = KeySchema(seed.HashKey, seed.RangeKey),
            AttributeDefinitions = [.. seed.KeyAttributes().Select(k => new AttributeDefinition(k.Name, new ScalarAttributeType(k.Type)))],
            GlobalSecondaryIndexes = seed.GlobalSecondaryIndexes.Count == 0 ? null : [.. seed.GlobalSecondaryIndexes.Select(i => new GlobalSecondaryIndex
            {
                IndexName = i.Name,
                KeySchema = KeySchema(i.HashKey, i.RangeKey),
                Projection = new Projection { ProjectionType = new ProjectionType(i.Projection) },
            })],
            LocalSecondaryIndexes = seed.LocalSecondaryIndexes.Count == 0 ? null : [.. seed.LocalSecondaryIndexes.Select(i => new LocalSecondaryIndex
            {
                IndexName = i.Name,
                KeySchema = KeySchema(i.HashKey, i.RangeKey),
                Projection = new Projection { ProjectionType = new ProjectionType(i.Projection) },
            })],
        };
    }

    private static List<KeySchemaElement> KeySchema(TableKeySeed hash, TableKeySeed? range) =>
        range is null ? [new KeySchemaElement(hash.Name, KeyType.HASH)] : [new KeySchemaElement(hash.Name, KeyType.HASH), new KeySchemaElement(range.Name, KeyType.RANGE)];

    private static string KeySchemaText(TableKeySeed hash, TableKeySeed? range) =>
        $"{hash.Name} ({hash.Type}) HASH" + (range is null ? string.Empty : $", {range.Name} ({range.Type}) RANGE");

    private static string DynamoUri(string table) => $"dynamodb://{table}";
}
