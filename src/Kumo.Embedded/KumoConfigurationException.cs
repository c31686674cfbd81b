namespace Kumo.Embedded;

/// <summary>A <c>KUMO_*</c> variable or flag has a value the engine cannot use.</summary>
public sealed class KumoConfigurationException : Exception
{
    /// <summary>Creates the error for one setting.</summary>
    /// <param name="setting">The variable or flag, e.g. <c>KUMO_PORT</c>.</param>
    /// <param name="value">The offending value, if any.</param>
    /// <param name="fix">What to do instead.</param>
    public KumoConfigurationException(string setting, string? value, string fix)
        : base(value is null ? $"{setting}: {fix}" : $"{setting}='{value}' is not valid. {fix}")
    {
        Setting = setting;
        Value = value;
    }

    /// <summary>Creates the error with a message only.</summary>
    /// <param name="message">The message.</param>
    public KumoConfigurationException(string message)
        : base(message)
    {
        Setting = string.Empty;
    }

    /// <summary>Creates the error with a message and its cause.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public KumoConfigurationException(string message, Exception innerException)
        : base(message, innerException)
    {
        Setting = string.Empty;
    }

    /// <summary>Creates an empty error.</summary>
    public KumoConfigurationException()
    {
        Setting = string.Empty;
    }

    /// <summary>The variable or flag at fault.</summary>
    public string Setting { get; }

    /// <summary>The value given, if any.</summary>
    public string? Value { get; }
}
