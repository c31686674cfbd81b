namespace Kumo.ServiceDefaults;

/// <summary>
/// The app is set up for kumo but its configuration would not reach kumo safely: no endpoint, a malformed
/// one, or one that is not local without an explicit opt-in. Thrown at startup so that an app never falls
/// back to real AWS.
/// </summary>
/// <remarks>
/// The message names every setting involved and the fix. <see cref="Settings"/> lists the same settings for
/// programmatic checks.
/// </remarks>
public sealed class KumoWiringException : InvalidOperationException
{
    /// <summary>Creates an exception with no settings named.</summary>
    public KumoWiringException()
        : this("The kumo wiring is invalid.")
    {
    }

    /// <summary>Creates an exception with a message.</summary>
    /// <param name="message">What is wrong and how to fix it.</param>
    public KumoWiringException(string message)
        : this(message, [])
    {
    }

    /// <summary>Creates an exception with a message and an inner exception.</summary>
    /// <param name="message">What is wrong and how to fix it.</param>
    /// <param name="innerException">The underlying error.</param>
    public KumoWiringException(string message, Exception innerException)
        : base(message, innerException)
    {
        Settings = [];
    }

    /// <summary>Creates an exception naming the settings involved.</summary>
    /// <param name="message">What is wrong and how to fix it.</param>
    /// <param name="settings">The configuration keys (or option names) involved.</param>
    public KumoWiringException(string message, IReadOnlyList<string> settings)
        : base(message)
    {
        ArgumentNullException.ThrowIfNull(settings);
        Settings = settings;
    }

    /// <summary>The configuration keys (e.g. <c>ConnectionStrings:kumo</c>) or option names the error is about.</summary>
    public IReadOnlyList<string> Settings { get; }
}
