namespace Kumo.Engines;

/// <summary>Which kind of kumo-compatible engine a definition launches.</summary>
/// <remarks>
/// The kind decides how the launcher learns the endpoint: the embedded engine prints
/// <c>KUMO_ENDPOINT=&lt;url&gt;</c> on stdout (so port 0 works), while a kumo binary prints nothing
/// parseable, so the launcher picks a free port and passes <c>--host</c>/<c>--port</c>.
/// </remarks>
public enum EngineKind
{
    /// <summary>The embedded engine (<c>kumo-embedded</c>): a .NET process or a Native AOT binary.</summary>
    Embedded,

    /// <summary>The real kumo binary (Go, github.com/sivchari/kumo).</summary>
    KumoBinary,
}
