using Aspire.Hosting.ApplicationModel;

namespace Kumo.Aspire.Hosting.State;

/// <summary>The resource properties a kumo resource publishes (shown in the dashboard's resource details).</summary>
internal static class KumoProperties
{
    /// <summary>
    /// The start generation: 1 for the first start, one more for every restart, set before the engine starts together
    /// with the reset of <see cref="Seed"/>, so a seed state belongs to the start whose generation it is published with.
    /// </summary>
    public const string Start = "kumo.start";

    /// <summary>Seed state: one of the <see cref="KumoSeedState"/> values.</summary>
    public const string Seed = "kumo.seed";

    /// <summary>Why <see cref="Seed"/> is <see cref="KumoSeedState.Failed"/>.</summary>
    public const string SeedError = "kumo.seed.error";

    /// <summary>The current seed phase and item, e.g. <c>Populate 3/10 (s3://orders/a.json)</c>.</summary>
    public const string SeedProgress = "kumo.seed.progress";

    /// <summary>What the last seed run did, e.g. <c>1 bucket created, 3 objects uploaded, 2 queues created, 1 message sent</c>.</summary>
    public const string SeedSummary = "kumo.seed.summary";

    /// <summary>The snapshot the engine runs on (its key), or why none is used.</summary>
    public const string Snapshot = "kumo.snapshot";

    /// <summary>
    /// The data directory the current start restored <see cref="Snapshot"/> into (the engine's <c>KUMO_DATA_DIR</c>);
    /// absent when the start did not restore one, so its presence means the seed plans are already in the engine.
    /// </summary>
    public const string SnapshotDataDirectory = "kumo.snapshot.data";

    /// <summary>The manifest of the snapshot the current start restored (absent when it restored none).</summary>
    public const string SnapshotManifest = "kumo.snapshot.manifest";

    /// <summary>The run id that <c>{run}</c> resolves to.</summary>
    public const string RunId = "kumo.run";

    /// <summary>The worker id that <c>{worker}</c> resolves to.</summary>
    public const string WorkerId = "kumo.worker";

    /// <summary>The file the last <c>dump-state</c> command wrote the state to (JSON, <c>KumoStateDump</c>).</summary>
    public const string LastDump = "kumo.dump";

    /// <summary>The outcome of the last dashboard command.</summary>
    public const string LastCommand = "kumo.command";

    /// <summary>
    /// How the dashboard shows each property: its display name, and whether it is highlighted (shown without
    /// "Show all"). Seed state, snapshot, run and worker, and the last command's outcome are what a user looks for; the
    /// start generation and the restored paths are bookkeeping, listed only under "Show all".
    /// </summary>
    private static readonly Dictionary<string, (string DisplayName, bool Highlighted)> Display = new(StringComparer.Ordinal)
    {
        [Seed] = ("Seed", true),
        [SeedError] = ("Seed error", true),
        [SeedProgress] = ("Seed progress", true),
        [SeedSummary] = ("Seed summary", true),
        [Snapshot] = ("Snapshot", true),
        [RunId] = ("Run id", true),
        [WorkerId] = ("Worker id", true),
        [LastCommand] = ("Last command", true),
        [LastDump] = ("Last state dump", true),
        [Start] = ("Start generation", false),
        [SnapshotDataDirectory] = ("Restored data directory", false),
        [SnapshotManifest] = ("Restored snapshot manifest", false),
    };

    /// <summary>The dashboard property for <paramref name="name"/>: its display name and highlight (<see cref="Display"/>).</summary>
    /// <param name="name">One of the names above.</param>
    /// <param name="value">The value.</param>
    /// <returns>The property snapshot.</returns>
    /// <exception cref="ArgumentException"><paramref name="name"/> is not one of the kumo properties.</exception>
    public static ResourcePropertySnapshot Create(string name, object value) =>
        Display.TryGetValue(name, out var display)
            ? new ResourcePropertySnapshot(name, value) { DisplayName = display.DisplayName, IsHighlighted = display.Highlighted }
            : throw new ArgumentException($"'{name}' is not a kumo resource property; add it to KumoProperties with its display name.", nameof(name));
}
