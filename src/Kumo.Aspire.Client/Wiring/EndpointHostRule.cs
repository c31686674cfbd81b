using System.Net;

namespace Kumo.ServiceDefaults.Wiring;

/// <summary>
/// Decides whether an endpoint host is local enough to be kumo without an explicit opt-in.
/// </summary>
/// <remarks>
/// Local (allowed by default):
/// <list type="bullet">
/// <item><c>localhost</c> and any <c>*.localhost</c> name (RFC 6761 reserves them for loopback);</item>
/// <item>loopback addresses: <c>127.0.0.0/8</c>, <c>::1</c>, and IPv4-mapped <c>::ffff:127.x.x.x</c>;</item>
/// <item>the names a container uses to reach its host: <c>host.docker.internal</c>,
/// <c>host.containers.internal</c>, <c>gateway.docker.internal</c>;</item>
/// <item>single-label host names (no dot, not an address), such as <c>kumo</c>: Aspire gives a container the
/// resource name as host name on its container network, and such a name cannot leave the local resolver.</item>
/// </list>
/// Everything else (other addresses, multi-label DNS names) needs the opt-in. Real AWS endpoints
/// (<c>amazonaws.com</c>, <c>amazonaws.com.cn</c>, <c>api.aws</c> and their subdomains) are refused always.
/// </remarks>
internal static class EndpointHostRule
{
    private static readonly string[] ContainerHostNames = ["host.docker.internal", "host.containers.internal", "gateway.docker.internal"];
    private static readonly string[] RealAwsDomains = ["amazonaws.com", "amazonaws.com.cn", "api.aws"];

    internal static bool IsLocal(Uri endpoint)
    {
        string host = Normalize(endpoint);
        if (host == "localhost" || host.EndsWith(".localhost", StringComparison.Ordinal))
        {
            return true;
        }

        if (IPAddress.TryParse(host, out IPAddress? address))
        {
            if (address.IsIPv4MappedToIPv6)
            {
                address = address.MapToIPv4();
            }

            return IPAddress.IsLoopback(address);
        }

        if (ContainerHostNames.Contains(host, StringComparer.Ordinal))
        {
            return true;
        }

        return !host.Contains('.', StringComparison.Ordinal);
    }

    internal static bool IsRealAws(Uri endpoint)
    {
        string host = Normalize(endpoint);
        foreach (string domain in RealAwsDomains)
        {
            if (host == domain || host.EndsWith("." + domain, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    private static string Normalize(Uri endpoint)
    {
        string host = endpoint.HostNameType == UriHostNameType.IPv6 ? endpoint.Host.Trim('[', ']') : endpoint.IdnHost;
        return host.TrimEnd('.').ToLowerInvariant();
    }
}
