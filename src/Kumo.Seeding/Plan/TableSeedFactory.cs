using System.Text.Json;
using Kumo.Storage;

namespace Kumo.Seeding;

/// <summary>Builds a <see cref="TableSeed"/> for the manifest parser and the fluent builder alike: reads item files, reports bad items.</summary>
internal static class TableSeedFactory
{
    internal const string Plain = "plain";
    internal const string DynamoDBJson = "dynamodb";

    public static TableSeed Create(
        string name,
        TableKeySeed hashKey,
        TableKeySeed? rangeKey,
        IReadOnlyList<TableIndexSeed> globalIndexes,
        IReadOnlyList<TableIndexSeed> localIndexes,
        string? ttlAttribute,
        IReadOnlyList<InlineTableItem> inlineItems,
        IReadOnlyList<TableItemSource> files,
        TableItemDifference onDifference,
        string baseDirectory,
        SeedLocation location,
        SeedErrors errors)
    {
        var items = new List<TableItemSeed>(inlineItems.Count);
        foreach (InlineTableItem inline in inlineItems)
        {
            try
            {
                items.Add(TableItemLoader.Inline(inline.Item, inline.DynamoJson, (errors.FilePath ?? "plan") + " " + inline.Pointer));
            }
            catch (FormatException e)
            {
                errors.Add(inline.Pointer, inline.Line, $"the item is not valid {Format(inline.DynamoJson)} JSON: {e.Message}.", $"fix the item, or set \"itemFormat\": \"{Format(!inline.DynamoJson)}\" if it is written as {Format(!inline.DynamoJson)} JSON.");
            }
        }

        foreach (TableItemSource file in files)
        {
            string full;
            try
            {
                full = ContainedPath.Combine(baseDirectory, file.Path.Replace('/', Path.DirectorySeparatorChar));
            }
            catch (ArgumentException e)
            {
                errors.Add(file.Pointer, file.Line, $"the item file '{file.Path}' is outside the plan's directory: {e.Message}", "use a path relative to the manifest's directory, without '..' leaving it.");
                continue;
            }

            if (!File.Exists(full))
            {
                errors.Add(file.Pointer, file.Line, $"the item file '{file.Path}' does not exist (looked at {full}).", "fix the path (relative to the manifest's directory) or create the file.");
                continue;
            }

            try
            {
                items.AddRange(TableItemLoader.File(full, file.Path, file.JsonLines, file.DynamoJson));
            }
            catch (FormatException e)
            {
                errors.Add(file.Pointer, file.Line, $"the item file is invalid: {e.Message}.", $"fix that item; items are {Format(file.DynamoJson)} JSON (\"itemFormat\"), {(file.JsonLines ? "one object a line" : "a JSON array of objects")} (\"format\").");
            }
            catch (IOException e)
            {
                errors.Add(file.Pointer, file.Line, $"the item file '{file.Path}' cannot be read: {e.Message}", "check the file's permissions.");
            }
        }

        return new TableSeed(name, hashKey, rangeKey, globalIndexes, localIndexes, ttlAttribute, items, onDifference, location);
    }

    private static string Format(bool dynamoJson) => dynamoJson ? DynamoDBJson : Plain;
}
