namespace Kumo.Seeding;

/// <summary>A table of a <see cref="ResolvedSeedPlan"/>: its concrete name and its seed.</summary>
public sealed class ResolvedTable
{
    internal ResolvedTable(string name, TableSeed seed)
    {
        Name = name;
        Seed = seed;
    }

    /// <summary>The concrete table name (placeholders substituted).</summary>
    public string Name { get; }

    /// <summary>The table as planned.</summary>
    public TableSeed Seed { get; }
}
