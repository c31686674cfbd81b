using Kumo.Contract;
using Kumo.Engines;

namespace Kumo.Snapshots.Tests;

/// <summary>The embedded engine from the test's build output (kumo-embedded.dll next to the tests).</summary>
internal static class TestEngines
{
    private static readonly Lazy<EngineDefinition> LazyEmbedded = new(EngineDefinition.Embedded);

    public static EngineDefinition Embedded => LazyEmbedded.Value;

    /// <summary>Options for a quiet engine on a free port.</summary>
    public static EngineStartOptions Options(string? dataDir, string logFile, IReadOnlyDictionary<string, string?>? environment = null) => new()
    {
        DataDir = dataDir,
        LogFile = logFile,
        LogLevel = KumoLogLevel.Info,
        Environment = environment ?? new Dictionary<string, string?>(),
    };

    /// <summary>A definition that runs a shell script in place of an engine; the launcher's own arguments arrive as $1, $2, ….</summary>
    public static EngineDefinition Script(string script, EngineKind kind = EngineKind.Embedded) => new(kind, "fake-engine", "1.0.0", "/bin/sh", ["-c", script, "fake-engine"]);
}
