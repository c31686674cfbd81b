using System.Reflection;

namespace Kumo.Embedded;

/// <summary>Identifies this engine in snapshots, logs and <c>GET /_kumo/info</c>.</summary>
/// <remarks>
/// A snapshot records the engine that produced it; the persistence format of the embedded engine
/// is its own, so a snapshot made here is never restored into real kumo (or the reverse).
/// </remarks>
public static class EngineIdentity
{
    /// <summary>The engine name recorded in snapshot manifests.</summary>
    public const string Name = "kumo-embedded";

    /// <summary>The kumo release whose contract this engine follows.</summary>
    public const string CompatibleKumoVersion = "0.32.0";

    /// <summary>The on-disk persistence format version; bump it whenever the files change shape.</summary>
    public const int PersistenceFormat = 2;

    /// <summary>
    /// The engine version: the assembly's informational version without its build metadata, plus
    /// <c>+persistence.&lt;<see cref="PersistenceFormat"/>&gt;</c>. Snapshots are keyed by engine name and version, so an
    /// engine that writes another format never reuses (and never restores) a snapshot of the old one.
    /// </summary>
    public static string Version { get; } = ReadVersion() + "+persistence." + PersistenceFormat.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static string ReadVersion()
    {
        string? informational = typeof(EngineIdentity).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
        if (string.IsNullOrEmpty(informational))
        {
            return "0.0.0";
        }

        int plus = informational.IndexOf('+', StringComparison.Ordinal);
        return plus < 0 ? informational : informational[..plus];
    }
}
