namespace OrderService.Processing;

/// <summary>A message that no retry can fix (unparseable, or naming an order that does not exist).</summary>
public sealed class PoisonMessageException : Exception
{
    /// <summary>Creates the exception.</summary>
    public PoisonMessageException()
    {
    }

    /// <summary>Creates the exception with a reason.</summary>
    /// <param name="message">Why the message is poison.</param>
    public PoisonMessageException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a reason and a cause.</summary>
    /// <param name="message">Why the message is poison.</param>
    /// <param name="innerException">The cause.</param>
    public PoisonMessageException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
