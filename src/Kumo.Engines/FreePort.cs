using System.Net;
using System.Net.Sockets;

namespace Kumo.Engines;

/// <summary>Picks a TCP port that is free right now, for engines that cannot report the port they chose.</summary>
internal static class FreePort
{
    /// <summary>Binds port 0 on <paramref name="host"/>, reads the port the system chose, and releases it.</summary>
    /// <param name="host">The address the engine will listen on.</param>
    /// <returns>A port that was free a moment ago (another process may still take it; callers retry).</returns>
    internal static int Pick(string host)
    {
        IPAddress address = host.Equals("localhost", StringComparison.OrdinalIgnoreCase) ? IPAddress.Loopback : IPAddress.Parse(host);
        using var listener = new TcpListener(address, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
