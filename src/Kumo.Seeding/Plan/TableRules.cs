using System.Text.Json.Nodes;
using Kumo.Contract;

namespace Kumo.Seeding;

/// <summary>What makes a seeded table valid before any request is sent: key types, indexes, and items that carry their keys.</summary>
internal static class TableRules
{
    private static readonly string[] KeyTypes = ["S", "N", "B"];

    public static void Validate(TableSeed table, SeedErrors errors)
    {
        var types = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach ((TableKeySeed key, string field) in Keys(table))
        {
            if (key.Name.Length == 0)
            {
                errors.Add(table.Location, field, $"a key attribute of table '{table.Name}' has an empty name.", "name the attribute, e.g. \"id\".");
            }
            else if (Array.IndexOf(KeyTypes, key.Type) < 0)
            {
                errors.Add(table.Location, field, $"key attribute '{key.Name}' has type '{key.Type}'; key attributes are S, N or B.", "set \"type\" to \"S\" (string), \"N\" (number) or \"B\" (binary).");
            }
            else if (types.TryGetValue(key.Name, out string? earlier) && earlier != key.Type)
            {
                errors.Add(table.Location, field, $"key attribute '{key.Name}' is {earlier} in one key and {key.Type} in another; DynamoDB has one definition per attribute.", "use the same type everywhere the attribute is a key.");
            }
            else
            {
                types[key.Name] = key.Type;
            }
        }

        var indexNames = new HashSet<string>(StringComparer.Ordinal);
        foreach (TableIndexSeed index in table.GlobalSecondaryIndexes.Concat(table.LocalSecondaryIndexes))
        {
            if (AwsNameRules.TableNameProblem(index.Name) is { } problem)
            {
                errors.Add(table.Location, "globalSecondaryIndexes", $"index name '{index.Name}' of table '{table.Name}' is invalid: {problem}.", "index names follow the table-name rules: 3 to 255 letters, digits, '_', '-' or '.'.");
            }
            else if (!indexNames.Add(index.Name))
            {
                errors.Add(table.Location, "globalSecondaryIndexes", $"table '{table.Name}' has two indexes named '{index.Name}'.", "rename one of them.");
            }
        }

        if (table.LocalSecondaryIndexes.Count > 0 && table.RangeKey is null)
        {
            errors.Add(table.Location, "localSecondaryIndexes", $"table '{table.Name}' has local secondary indexes but no sort key; DynamoDB requires one.", "add \"rangeKey\" to the table, or make the indexes global.");
        }

        if (table.TtlAttribute is { Length: 0 })
        {
            errors.Add(table.Location, "ttlAttribute", "\"ttlAttribute\" is empty.", "name the attribute that holds the expiry time in epoch seconds, or remove the field.");
        }

        var keys = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (TableItemSeed item in table.Items)
        {
            string? missing = null;
            var key = new JsonObject();
            foreach (TableKeySeed part in new[] { table.HashKey, table.RangeKey }.OfType<TableKeySeed>())
            {
                if (item.Item[part.Name] is not JsonObject value || value.First().Key != part.Type)
                {
                    missing = $"key attribute '{part.Name}' of type {part.Type}";
                    break;
                }

                key[part.Name] = value.DeepClone();
            }

            if (missing is not null)
            {
                errors.Add(table.Location, "items", $"item {item.Source} of table '{table.Name}' has no {missing}.", $"add \"{table.HashKey.Name}\"{(table.RangeKey is null ? string.Empty : $" and \"{table.RangeKey.Name}\"")} to every item, with the key's type.");
                continue;
            }

            string canonical = DynamoJson.Canonical(key);
            if (!keys.TryAdd(canonical, item.Source))
            {
                errors.Add(table.Location, "items", $"items {keys[canonical]} and {item.Source} of table '{table.Name}' have the same key {key.ToJsonString()}.", "remove one of them or give it another key; a table holds one item per key.");
            }
        }
    }

    private static IEnumerable<(TableKeySeed Key, string Field)> Keys(TableSeed table)
    {
        yield return (table.HashKey, "hashKey");
        if (table.RangeKey is not null)
        {
            yield return (table.RangeKey, "rangeKey");
        }

        foreach (TableIndexSeed index in table.GlobalSecondaryIndexes)
        {
            yield return (index.HashKey, "globalSecondaryIndexes");
            if (index.RangeKey is not null)
            {
                yield return (index.RangeKey, "globalSecondaryIndexes");
            }
        }

        foreach (TableIndexSeed index in table.LocalSecondaryIndexes)
        {
            if (index.RangeKey is not null)
            {
                yield return (index.RangeKey, "localSecondaryIndexes");
            }
        }
    }
}
