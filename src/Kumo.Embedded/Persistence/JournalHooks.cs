namespace Kumo.Embedded.Persistence;

/// <summary>What a service does around its journal's writes and durable commits.</summary>
/// <param name="BeforeWrite">
/// After records are taken for writing, before they are written (S3: write the bodies the lanes still buffer, so no
/// record in a file names a body that is not in its file).
/// </param>
/// <param name="BeforeBatch">Before the batch of a durable commit is taken (S3: set aside the blobs released so far).</param>
/// <param name="BeforeSync">After the batch is written, before its fsync (S3: fsync the blobs the batch names).</param>
/// <param name="AfterSync">Once the batch is durable (S3: delete the blobs set aside that nothing references).</param>
internal sealed record JournalHooks(Action? BeforeWrite = null, Action? BeforeBatch = null, Action? BeforeSync = null, Action? AfterSync = null);
