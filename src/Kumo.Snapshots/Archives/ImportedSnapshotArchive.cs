namespace Kumo.Snapshots;

/// <summary>The outcome of <see cref="SnapshotArchive.ImportAsync"/>.</summary>
/// <param name="Snapshot">The published snapshot in the store.</param>
/// <param name="Published">True when this import published it; false when a valid snapshot with the same key was already there (the archive was still verified).</param>
/// <param name="Elapsed">How long reading, verifying and publishing took.</param>
public sealed record ImportedSnapshotArchive(Snapshot Snapshot, bool Published, TimeSpan Elapsed);
