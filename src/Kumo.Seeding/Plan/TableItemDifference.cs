namespace Kumo.Seeding;

/// <summary>What the seeder does with an item that exists in the table but differs from the plan's.</summary>
public enum TableItemDifference
{
    /// <summary>Leave it, count it in <see cref="SeedReport.ItemsDiffering"/> and log it (the default).</summary>
    Report,

    /// <summary>Overwrite it with the plan's item.</summary>
    Replace,
}
