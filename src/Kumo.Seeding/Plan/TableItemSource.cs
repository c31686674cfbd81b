namespace Kumo.Seeding;

/// <summary>A file of table items named by a manifest or builder, read when the plan is built.</summary>
/// <param name="Path">The path as written (relative to the plan's base directory, '/'-separated).</param>
/// <param name="JsonLines">True for JSON Lines (one item a line), false for a JSON array of items.</param>
/// <param name="DynamoJson">True when the items are DynamoDB JSON, false for plain JSON.</param>
/// <param name="Pointer">Where the file was named (a JSON pointer into the manifest or the builder's plan).</param>
/// <param name="Line">The manifest line, when known.</param>
internal sealed record TableItemSource(string Path, bool JsonLines, bool DynamoJson, string Pointer, int? Line);

/// <summary>An item written inline in a manifest or builder.</summary>
/// <param name="Item">The item as written.</param>
/// <param name="DynamoJson">True when it is DynamoDB JSON, false for plain JSON.</param>
/// <param name="Pointer">Where it was written.</param>
/// <param name="Line">The manifest line, when known.</param>
internal sealed record InlineTableItem(System.Text.Json.JsonElement Item, bool DynamoJson, string Pointer, int? Line);
