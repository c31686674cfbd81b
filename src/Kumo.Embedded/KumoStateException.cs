namespace Kumo.Embedded;

/// <summary>
/// A persisted state file cannot be used and <see cref="KumoEngineOptions.RefuseCorruptState"/> is set;
/// the message names the file, the field and the fix.
/// </summary>
public sealed class KumoStateException : Exception
{
    /// <summary>Creates the exception.</summary>
    public KumoStateException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">The file, the field, and what to do.</param>
    public KumoStateException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    /// <param name="message">The file, the field, and what to do.</param>
    /// <param name="innerException">What the loader found.</param>
    public KumoStateException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
