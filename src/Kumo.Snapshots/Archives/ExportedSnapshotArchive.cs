namespace Kumo.Snapshots;

/// <summary>An archive written by <see cref="SnapshotArchive.ExportAsync"/>.</summary>
/// <param name="Path">The archive file's full path.</param>
/// <param name="SnapshotKey">The key of the exported snapshot.</param>
/// <param name="Files">How many data files it holds.</param>
/// <param name="Bytes">How many bytes of data they hold.</param>
public sealed record ExportedSnapshotArchive(string Path, string SnapshotKey, int Files, long Bytes);
