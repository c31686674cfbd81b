namespace Kumo.Seeding;

/// <summary>A key attribute of a table or index: its name and scalar type (<c>S</c>, <c>N</c> or <c>B</c>).</summary>
/// <param name="Name">The attribute name.</param>
/// <param name="Type">The DynamoDB scalar type: <c>S</c>, <c>N</c> or <c>B</c>.</param>
public sealed record TableKeySeed(string Name, string Type);
