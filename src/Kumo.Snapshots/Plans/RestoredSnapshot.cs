namespace Kumo.Snapshots;

/// <summary>A snapshot and the data directory restored from it.</summary>
/// <param name="Snapshot">The snapshot (after a corrupt one was rebuilt, the rebuilt one).</param>
/// <param name="DataDirectory">The restored data directory (an engine's <c>KUMO_DATA_DIR</c>).</param>
public sealed record RestoredSnapshot(Snapshot Snapshot, RestoredDataDir DataDirectory);
