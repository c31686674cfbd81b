namespace Kumo.Snapshots;

/// <summary>A data directory materialised from a snapshot, ready for an engine's <c>KUMO_DATA_DIR</c>.</summary>
/// <param name="Path">The full path of the data directory.</param>
/// <param name="SnapshotKey">The key of the snapshot it came from.</param>
/// <param name="Files">How many files were restored.</param>
/// <param name="Bytes">How many bytes they hold.</param>
/// <param name="LinkedFiles">How many of them are hard links to the snapshot (see <see cref="RestoreMode.HardLink"/>).</param>
/// <param name="Elapsed">How long validation and materialisation took.</param>
public sealed record RestoredDataDir(string Path, string SnapshotKey, int Files, long Bytes, int LinkedFiles, TimeSpan Elapsed);
