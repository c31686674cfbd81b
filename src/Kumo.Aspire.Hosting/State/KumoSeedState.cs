namespace Kumo.Aspire.Hosting.State;

/// <summary>
/// The values of the <see cref="KumoProperties.Seed"/> resource property: whether a kumo resource is ready for tests
/// (healthy, and seeded or restored from a snapshot).
/// </summary>
/// <remarks>
/// Every start of the resource begins at <see cref="Pending"/>, so a value left by an earlier run of the same resource
/// (a restart from the dashboard) is never mistaken for the current one.
/// </remarks>
internal static class KumoSeedState
{
    /// <summary>The resource is starting; nothing has been seeded in this run yet.</summary>
    public const string Pending = "Pending";

    /// <summary>A snapshot is being built or restored into the data directory before the engine starts.</summary>
    public const string Restoring = "Restoring";

    /// <summary>The engine is healthy and the seed plans (then the other ready steps) run.</summary>
    public const string Seeding = "Seeding";

    /// <summary>Every seed plan and ready step finished (immediately after health when there are none).</summary>
    public const string Seeded = "Seeded";

    /// <summary>The engine started on a restored snapshot, so the seed plans were skipped; the ready steps finished.</summary>
    public const string Restored = "Restored";

    /// <summary>Seeding, restoring or a ready step failed; dependents do not start.</summary>
    public const string Failed = "Failed";

    /// <summary>The resource state shown while the engine runs but its seed failed.</summary>
    public const string SeedFailedResourceState = "Seed failed";

    /// <summary>Whether <paramref name="state"/> means the resource holds its fixture.</summary>
    /// <param name="state">A <see cref="KumoProperties.Seed"/> value.</param>
    /// <returns>True for <see cref="Seeded"/> and <see cref="Restored"/>.</returns>
    public static bool IsReady(string? state) => state is Seeded or Restored;
}
