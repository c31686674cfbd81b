namespace Kumo.Embedded.Persistence;

/// <summary>
/// A service whose state is saved as a checkpoint, <c>$KUMO_DATA_DIR/&lt;Name&gt;.json</c>, plus a journal
/// of the mutations since (<c>&lt;Name&gt;-journal-&lt;segment&gt;</c>).
/// </summary>
/// <remarks>
/// The <see cref="PersistenceCoordinator"/> loads the checkpoint, replays the journal, and then
/// attaches the <see cref="Journal"/> the service appends every mutation to (under its state lock, so
/// the journal's order is the order of the mutations). Loading throws
/// <see cref="InvalidDataException"/> naming the JSON pointer of anything it cannot use; the
/// coordinator then quarantines the files and calls <see cref="Reset"/>.
/// </remarks>
internal interface IPersistentService
{
    /// <summary>The file stem, e.g. <c>s3</c> for <c>s3.json</c>.</summary>
    string Name { get; }

    /// <summary>What the service does around the journal's durable commits.</summary>
    JournalHooks Hooks { get; }

    /// <summary>Restores the state of a checkpoint document.</summary>
    /// <returns>The first journal segment to replay on top of it.</returns>
    long LoadCheckpoint(ReadOnlySpan<byte> document);

    /// <summary>Applies one journal record.</summary>
    void Replay(ReadOnlySpan<byte> record);

    /// <summary>Completes a load (e.g. checks that every object's body file exists).</summary>
    void FinishLoad();

    /// <summary>Forgets everything loaded so far (the files were quarantined).</summary>
    void Reset();

    /// <summary>Gives the service its journal; null keeps state in memory only.</summary>
    void Attach(Journal? journal);

    /// <summary>
    /// Captures the whole state under the service's lock, calling <paramref name="rotate"/> in the same
    /// critical section, and returns what writes the checkpoint document naming the segment it returned
    /// (to a stream, so a large state is never one large buffer).
    /// </summary>
    Func<Stream, CancellationToken, Task> Checkpoint(Func<long> rotate);
}
