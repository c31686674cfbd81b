namespace Kumo.Engines;

/// <summary>The engine to launch could not be found or identified.</summary>
/// <remarks>The message names what was searched (variables, directories) and how to provide the engine.</remarks>
public sealed class EngineNotFoundException : Exception
{
    /// <summary>Creates the exception.</summary>
    public EngineNotFoundException()
    {
    }

    /// <summary>Creates the exception with a message that says what was searched and the fix.</summary>
    /// <param name="message">The explanation.</param>
    public EngineNotFoundException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the underlying failure.</summary>
    /// <param name="message">The explanation.</param>
    /// <param name="innerException">The failure that caused it.</param>
    public EngineNotFoundException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
