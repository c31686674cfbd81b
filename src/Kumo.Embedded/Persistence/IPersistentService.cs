namespace Kumo.Embedded.Persistence;

/// <summary>
/// A service whose state is saved to <c>$KUMO_DATA_DIR/&lt;Name&gt;.json</c>.
/// </summary>
/// <remarks>
/// The <see cref="PersistenceCoordinator"/> calls <see cref="Load"/> once before the engine listens,
/// and <see cref="CaptureIfDirty"/> from its flush loop (at least every flush interval, and on stop).
/// Implementations serialize under their own lock and clear their dirty flag in the same critical
/// section, so no change is lost between capture and the next mutation.
/// </remarks>
internal interface IPersistentService
{
    /// <summary>The file stem, e.g. <c>s3</c> for <c>s3.json</c>.</summary>
    string Name { get; }

    /// <summary>Restores state from a previously captured document.</summary>
    /// <param name="document">The bytes of <c>&lt;Name&gt;.json</c>.</param>
    void Load(ReadOnlySpan<byte> document);

    /// <summary>Returns the serialized state if it changed since the last capture, else null.</summary>
    byte[]? CaptureIfDirty();

    /// <summary>Called after a captured document has been durably written (e.g. to delete unreferenced blobs).</summary>
    void AfterFlush();
}
