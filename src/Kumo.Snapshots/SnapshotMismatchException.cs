namespace Kumo.Snapshots;

/// <summary>A snapshot is intact but was made for something else: another engine, plan, fixture version or format.</summary>
/// <remarks>A snapshot is never restored into an engine other than the one that made it: persistence formats differ between engines.</remarks>
public sealed class SnapshotMismatchException : Exception
{
    /// <summary>Creates the exception.</summary>
    public SnapshotMismatchException()
    {
    }

    /// <summary>Creates the exception with a message naming the field that differs.</summary>
    /// <param name="message">The explanation.</param>
    public SnapshotMismatchException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the underlying failure.</summary>
    /// <param name="message">The explanation.</param>
    /// <param name="innerException">The underlying failure.</param>
    public SnapshotMismatchException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
