namespace Kumo.Aspire.Hosting;

/// <summary>Endpoint facts shared by every kind of kumo resource.</summary>
internal static class KumoPorts
{
    /// <summary>The health endpoint: 200 <c>{"status":"healthy"}</c> once the listener is up.</summary>
    public const string HealthPath = "/health";

    /// <summary>Loopback only: a process engine never listens beyond this machine.</summary>
    public const string LoopbackHost = "127.0.0.1";

    /// <summary>Throws when <paramref name="port"/> is set but is not a TCP port.</summary>
    /// <param name="port">The requested host port, or null for a random one.</param>
    /// <param name="paramName">The parameter name reported in the exception.</param>
    public static void ThrowIfInvalid(int? port, string paramName = "port")
    {
        if (port is < 1 or > 65535)
        {
            throw new ArgumentOutOfRangeException(paramName, port, "Use a TCP port between 1 and 65535, or null for a random free port.");
        }
    }
}
