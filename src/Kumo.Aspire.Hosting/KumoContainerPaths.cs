namespace Kumo.Aspire.Hosting;

/// <summary>Where kumo's state and init scripts live inside the container.</summary>
internal static class KumoContainerPaths
{
    /// <summary>
    /// The data directory (<c>KUMO_DATA_DIR</c>). The image sets none (state is memory-only by default);
    /// <c>/var/lib/kumo</c> is the conventional place for a service's state, and kumo runs as root, so a
    /// fresh named volume mounted there is writable without ownership fixes.
    /// </summary>
    public const string DataDirectory = "/var/lib/kumo";

    /// <summary>The directory init scripts are copied to (<c>KUMO_INIT_DIR</c>).</summary>
    public const string InitDirectory = "/etc/kumo/init.d";
}
