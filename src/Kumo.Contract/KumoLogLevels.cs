namespace Kumo.Contract;

/// <summary>The <c>KUMO_LOG_LEVEL</c> spelling of <see cref="KumoLogLevel"/>, both ways.</summary>
public static class KumoLogLevels
{
    /// <summary>The value of <c>KUMO_LOG_LEVEL</c> for <paramref name="level"/>: <c>debug</c>, <c>info</c>, <c>warn</c> or <c>error</c>.</summary>
    /// <param name="level">The level.</param>
    /// <returns>The lower-case spelling kumo reads.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="level"/> is not a defined level.</exception>
    public static string ToVariableValue(KumoLogLevel level) => level switch
    {
        KumoLogLevel.Debug => "debug",
        KumoLogLevel.Info => "info",
        KumoLogLevel.Warn => "warn",
        KumoLogLevel.Error => "error",
        _ => throw new ArgumentOutOfRangeException(nameof(level), level, "Use KumoLogLevel.Debug, Info, Warn or Error."),
    };

    /// <summary>Reads a <c>KUMO_LOG_LEVEL</c> value, case-insensitively; <c>warning</c> is <c>warn</c>.</summary>
    /// <param name="value">The value.</param>
    /// <param name="level">The level, when the value names one.</param>
    /// <returns>True when <paramref name="value"/> names a level.</returns>
    public static bool TryParse(string? value, out KumoLogLevel level)
    {
        switch (value?.ToUpperInvariant())
        {
            case "DEBUG":
                level = KumoLogLevel.Debug;
                return true;
            case "INFO":
                level = KumoLogLevel.Info;
                return true;
            case "WARN" or "WARNING":
                level = KumoLogLevel.Warn;
                return true;
            case "ERROR":
                level = KumoLogLevel.Error;
                return true;
            default:
                level = KumoLogLevel.Info;
                return false;
        }
    }
}
