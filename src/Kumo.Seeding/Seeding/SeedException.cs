namespace Kumo.Seeding;

/// <summary>Seeding failed at the engine: a request was refused or the engine could not be reached.</summary>
/// <remarks>The message names the operation and the bucket/key or queue; <see cref="Resource"/> holds the latter.</remarks>
public class SeedException : Exception
{
    /// <summary>Creates an exception.</summary>
    public SeedException()
    {
    }

    /// <summary>Creates an exception with a message.</summary>
    /// <param name="message">What failed.</param>
    public SeedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception with a message and a cause.</summary>
    /// <param name="message">What failed.</param>
    /// <param name="innerException">The cause.</param>
    public SeedException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates an exception about one resource.</summary>
    /// <param name="message">What failed.</param>
    /// <param name="resource">The resource, e.g. <c>s3://orders/a.json</c> or <c>sqs://orders</c>.</param>
    /// <param name="innerException">The cause.</param>
    public SeedException(string message, string? resource, Exception? innerException)
        : base(message, innerException)
    {
        Resource = resource;
    }

    /// <summary>The resource the failure is about, e.g. <c>s3://orders/a.json</c>; null when not specific.</summary>
    public string? Resource { get; }
}
