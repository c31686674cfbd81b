namespace Kumo.Aspire.Hosting;

/// <summary>The variables a kumo-compatible engine reads (kumo v0.32.0 and kumo-embedded alike).</summary>
internal static class KumoEnvironmentVariables
{
    public const string Host = "KUMO_HOST";

    public const string Port = "KUMO_PORT";

    public const string LogLevel = "KUMO_LOG_LEVEL";

    public const string DataDirectory = "KUMO_DATA_DIR";

    public const string InitDirectory = "KUMO_INIT_DIR";
}
