namespace Kumo.Snapshots;

/// <summary>How a snapshot's files are materialised into a worker's data directory.</summary>
public enum RestoreMode
{
    /// <summary>
    /// Copy every file (<see cref="File.Copy(string, string)"/>, which clones extents on file systems
    /// that support reflinks, e.g. btrfs and XFS). The worker's files are independent of the snapshot
    /// and writable by their owner.
    /// </summary>
    Copy,

    /// <summary>
    /// Hard-link every file (falling back to a copy where the file system refuses, e.g. across
    /// devices). The default: safe because both engines replace data files by writing a new file and
    /// renaming it over the old name, and delete by unlinking; neither ever writes into a file it found
    /// on start (the embedded engine: <c>AtomicFile</c>, its body files, and body segments it appends to
    /// only while the run that created them lasts; kumo: tmp + rename for <c>&lt;service&gt;.json</c> and
    /// <c>s3-objects/</c>). Snapshot files are read-only, so anything
    /// else that tries to write a restored file in place fails (unless it runs as root); such a write
    /// would change the snapshot, and the next restore would detect it and rebuild.
    /// </summary>
    HardLink,
}
