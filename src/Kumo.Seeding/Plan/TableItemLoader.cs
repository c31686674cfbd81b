using System.Text.Json;
using System.Text.Json.Nodes;

namespace Kumo.Seeding;

/// <summary>Reads table items from inline JSON, a JSON file (an array of items) or a JSON Lines file (one item a line).</summary>
internal static class TableItemLoader
{
    /// <summary>Converts one inline item.</summary>
    /// <exception cref="FormatException">The item is malformed; the message says how.</exception>
    public static TableItemSeed Inline(JsonElement item, bool dynamoJson, string source) =>
        new(Convert(item, dynamoJson), source);

    /// <summary>Reads every item of a file.</summary>
    /// <param name="fullPath">The file.</param>
    /// <param name="displayPath">The path as written, for messages.</param>
    /// <param name="jsonLines">True for JSON Lines (one item a line, blank lines skipped), false for a JSON array.</param>
    /// <param name="dynamoJson">True when items are DynamoDB JSON, false for plain JSON.</param>
    /// <exception cref="FormatException">The file is malformed; the message names the line (or array index) and the problem.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static IReadOnlyList<TableItemSeed> File(string fullPath, string displayPath, bool jsonLines, bool dynamoJson)
    {
        var items = new List<TableItemSeed>();
        if (jsonLines)
        {
            int number = 0;
            foreach (string line in System.IO.File.ReadLines(fullPath))
            {
                number++;
                if (string.IsNullOrWhiteSpace(line))
                {
                    continue;
                }

                string source = $"{displayPath} line {number}";
                items.Add(new TableItemSeed(Convert(Parse(line, source), dynamoJson, source), source));
            }

            return items;
        }

        JsonElement root = Parse(System.IO.File.ReadAllText(fullPath), displayPath);
        if (root.ValueKind != JsonValueKind.Array)
        {
            throw new FormatException($"{displayPath} must hold a JSON array of items (or set \"format\": \"jsonl\" for one item a line)");
        }

        int index = 0;
        foreach (JsonElement element in root.EnumerateArray())
        {
            string source = $"{displayPath} [{index++}]";
            items.Add(new TableItemSeed(Convert(element, dynamoJson, source), source));
        }

        return items;
    }

    private static JsonObject Convert(JsonElement item, bool dynamoJson, string? source = null)
    {
        try
        {
            return dynamoJson ? DynamoJson.FromDynamo(item) : DynamoJson.FromPlain(item);
        }
        catch (FormatException e) when (source is not null)
        {
            throw new FormatException($"{source}: {e.Message}", e);
        }
    }

    private static JsonElement Parse(string json, string source)
    {
        try
        {
            using JsonDocument document = JsonDocument.Parse(json);
            return document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw new FormatException($"{source} is not valid JSON: {e.Message}", e);
        }
    }
}
