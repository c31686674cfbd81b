namespace Kumo.Snapshots;

/// <summary>How far an import has come; reported by <see cref="SnapshotArchive.ImportAsync"/>.</summary>
/// <param name="Phase">One of <c>extracting</c> (repeated as files arrive), <c>verified</c> (every file matched, nothing published yet), <c>published</c> or <c>already-present</c>.</param>
/// <param name="Files">Data files extracted and verified so far.</param>
/// <param name="TotalFiles">Data files the archive's manifest lists.</param>
public readonly record struct SnapshotImportProgress(string Phase, int Files, int TotalFiles);
