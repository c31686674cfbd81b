namespace Kumo.Embedded;

/// <summary>Which HTTP/1.1 server the engine's handlers run on (<c>KUMO_HTTP_SERVER</c>).</summary>
public enum KumoHttpServer
{
    /// <summary>
    /// The default: the engine's own server, a thread per connection with blocking socket calls and the request head
    /// parsed by hand; about 6 µs less per request than Kestrel, most of the engine's lead at one connection.
    /// </summary>
    Builtin,

    /// <summary>ASP.NET Core's Kestrel with the engine's socket settings: the server the engine ran on before.</summary>
    Kestrel,
}
