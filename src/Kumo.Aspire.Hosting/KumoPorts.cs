namespace Kumo.Aspire.Hosting;

/// <summary>The port rule shared by every kind of kumo resource (the contract's <c>KumoDefaults</c> holds the paths and hosts).</summary>
internal static class KumoPorts
{
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
