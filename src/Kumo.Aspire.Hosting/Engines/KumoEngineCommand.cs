using Kumo.Engines;

namespace Kumo.Aspire.Hosting.Engines;

/// <summary>
/// The one place that maps an <see cref="EngineDefinition"/> to the command line DCP starts for a kumo executable
/// resource.
/// </summary>
/// <remarks>
/// <para>
/// The command is the definition's file name (the <c>dotnet</c> muxer for <c>kumo-embedded.dll</c>, else the engine
/// itself) and its arguments come first (the <c>.dll</c>). Unlike <see cref="EngineProcess"/>, nothing else is added:
/// the listen address reaches the engine as <c>KUMO_HOST</c> and <c>KUMO_PORT</c>, which both engines read when no
/// <c>--host</c>/<c>--port</c> flag is given, so DCP can hand the port it allocated to either engine the same way.
/// </para>
/// <para>
/// Discovery (explicit path, <c>KUMO_EMBEDDED_PATH</c>, <c>KUMO_BINARY</c>, <c>PATH</c>, the build output next to the
/// AppHost) and identity (<c>--version</c>) belong to <see cref="EngineDefinition"/>.
/// </para>
/// </remarks>
internal static class KumoEngineCommand
{
    /// <summary>The version recorded for an engine that was not probed (publish mode, where nothing runs).</summary>
    public const string UnprobedVersion = "0.0.0-unprobed";

    /// <summary>The executable DCP starts.</summary>
    /// <param name="engine">The engine.</param>
    /// <returns>Its file name.</returns>
    public static string CommandOf(EngineDefinition engine) => engine.FileName;

    /// <summary>The arguments passed before any other.</summary>
    /// <param name="engine">The engine.</param>
    /// <returns>Its fixed arguments.</returns>
    public static IReadOnlyList<string> ArgumentsOf(EngineDefinition engine) => engine.Arguments;

    /// <summary>
    /// The definition used in publish mode, where nothing runs: the engine's bare name (<c>kumo-embedded</c> or
    /// <c>kumo</c>), resolved on the target machine's <c>PATH</c>. Nothing is probed, and no path of this machine is
    /// written to the manifest.
    /// </summary>
    /// <param name="kind">The engine kind.</param>
    /// <returns>The definition.</returns>
    public static EngineDefinition ForPublishing(EngineKind kind)
    {
        var name = kind == EngineKind.Embedded ? EngineDefinition.EmbeddedName : EngineDefinition.KumoName;
        return new EngineDefinition(kind, name, UnprobedVersion, name);
    }
}
