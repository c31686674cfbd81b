namespace Kumo.Snapshots;

/// <summary>
/// A snapshot archive was refused on import: it is not a kumo snapshot archive, its format is not supported, or an
/// entry does not match the manifest it carries (changed bytes, an extra or missing file, a path outside the
/// snapshot, a link). Nothing from it was published.
/// </summary>
public sealed class SnapshotArchiveException : Exception
{
    /// <summary>Creates the exception.</summary>
    public SnapshotArchiveException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">The explanation.</param>
    public SnapshotArchiveException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the underlying failure.</summary>
    /// <param name="message">The explanation.</param>
    /// <param name="innerException">The failure that revealed the problem.</param>
    public SnapshotArchiveException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    internal SnapshotArchiveException(string archivePath, string? entry, string problem, Exception? innerException = null)
        : base(
            $"Snapshot archive '{archivePath}' is refused: {(entry is null ? string.Empty : $"entry '{entry}' ")}{problem}. Nothing was published. " +
            "Fix: export it again with 'kumoctl snapshot export' from a store that holds a valid snapshot (or delete the cached archive so CI rebuilds it).",
            innerException)
    {
        ArchivePath = archivePath;
        Entry = entry;
    }

    /// <summary>The archive file.</summary>
    public string? ArchivePath { get; }

    /// <summary>The offending entry's name inside the archive, when one entry is at fault.</summary>
    public string? Entry { get; }
}
