namespace Kumo.Snapshots;

/// <summary>A snapshot on disk does not match its manifest: a file is missing, has another size or hash, or the manifest itself is unreadable.</summary>
/// <remarks>
/// The store treats a corrupt snapshot as absent: it moves it aside and the next
/// <see cref="SnapshotStore.GetOrBuildAsync"/> builds it again.
/// </remarks>
public sealed class SnapshotCorruptException : Exception
{
    /// <summary>Creates the exception.</summary>
    public SnapshotCorruptException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">The explanation.</param>
    public SnapshotCorruptException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the underlying failure.</summary>
    /// <param name="message">The explanation.</param>
    /// <param name="innerException">The failure that revealed the corruption.</param>
    public SnapshotCorruptException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    internal SnapshotCorruptException(string snapshotDirectory, string file, string problem, Exception? innerException = null)
        : base($"Snapshot '{snapshotDirectory}' is corrupt: '{file}' {problem}. The store discards it and rebuilds on the next request; if this repeats, check the disk and anything else writing under the store root.", innerException)
    {
        SnapshotDirectory = snapshotDirectory;
        File = file;
    }

    /// <summary>The snapshot directory.</summary>
    public string? SnapshotDirectory { get; }

    /// <summary>The offending file, relative to the snapshot directory (e.g. <c>data/s3.json</c> or <c>manifest.json</c>).</summary>
    public string? File { get; }
}
