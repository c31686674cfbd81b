namespace Kumo.Snapshots;

/// <summary>A published snapshot: its key, directory and manifest.</summary>
/// <remarks>
/// The directory holds <c>manifest.json</c>, the engine's data directory as <c>data/</c>, and
/// <c>build.log</c> (the engine output of the build, informational only). Never write into it:
/// restore a copy with <see cref="SnapshotStore.RestoreAsync(Snapshot, string, CancellationToken)"/>.
/// </remarks>
public sealed class Snapshot
{
    /// <summary>The name of the manifest file in every snapshot directory.</summary>
    public const string ManifestFileName = SnapshotLayout.ManifestFileName;

    internal Snapshot(string directory, SnapshotManifest manifest, bool built)
    {
        Directory = directory;
        Manifest = manifest;
        Built = built;
    }

    /// <summary>The content-addressed key (also the directory name).</summary>
    public string Key => Manifest.Key;

    /// <summary>The snapshot directory, <c>&lt;root&gt;/&lt;key&gt;</c>.</summary>
    public string Directory { get; }

    /// <summary>The engine data directory inside the snapshot (read only).</summary>
    public string DataDirectory => Path.Combine(Directory, SnapshotLayout.DataDirectoryName);

    /// <summary>The path of the snapshot's manifest file, <c>&lt;root&gt;/&lt;key&gt;/manifest.json</c>.</summary>
    public string ManifestPath => Path.Combine(Directory, ManifestFileName);

    /// <summary>The manifest.</summary>
    public SnapshotManifest Manifest { get; }

    /// <summary>True when this call built the snapshot; false when an existing one was reused.</summary>
    public bool Built { get; }

    /// <inheritdoc/>
    public override string ToString() => $"snapshot {Key} ({Manifest.Engine.Name} {Manifest.Engine.Version}, {Manifest.Files.Count} files, {Manifest.TotalBytes} bytes)";
}
