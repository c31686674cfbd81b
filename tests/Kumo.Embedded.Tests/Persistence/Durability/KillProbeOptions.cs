namespace Kumo.DurabilityProbe;

/// <summary>Settings of a kill probe run (shared by the CI test and the <c>bench/run.sh durability</c> soak).</summary>
/// <param name="EnginePath">The engine's <c>kumo-embedded.dll</c> (or published binary).</param>
/// <param name="DataDir">An empty data directory the engine keeps across kills.</param>
/// <param name="Durability"><c>flush</c> or <c>sync</c> (<c>KUMO_DURABILITY</c>).</param>
/// <param name="FlushInterval">KUMO_PERSIST_FLUSH_INTERVAL_MS.</param>
/// <param name="Window">Acknowledged longer than this before the kill must survive: the flush interval in flush mode, zero in sync mode.</param>
/// <param name="PreloadObjects">Objects written before the first round (small bodies), so every round runs at this state size or more.</param>
/// <param name="Kills">Rounds of sustained writes, each ended by SIGKILL, a restart and a full check.</param>
/// <param name="MinRun">Shortest time of writes before a kill.</param>
/// <param name="MaxRun">Longest time of writes before a kill.</param>
/// <param name="Seed">Seeds the run lengths and body sizes, so a failing run can be repeated.</param>
internal sealed record KillProbeOptions(
    string EnginePath,
    string DataDir,
    string Durability,
    TimeSpan FlushInterval,
    TimeSpan Window,
    int PreloadObjects,
    int Kills,
    TimeSpan MinRun,
    TimeSpan MaxRun,
    int Seed)
{
    /// <summary>The largest object body the writers PUT (bodies are 0 to this many bytes).</summary>
    public int MaxObjectBytes { get; init; } = 64 * 1024;
}
