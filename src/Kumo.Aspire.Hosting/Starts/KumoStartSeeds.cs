using Kumo.Aspire.Hosting.Seeding;

namespace Kumo.Aspire.Hosting.Starts;

/// <summary>
/// The seed plans resolved for the current start of a kumo resource, tagged with that start's generation
/// (<c>kumo.start</c>). One per resource, a keyed singleton of the AppHost's services (<see cref="KumoStart.AddServices"/>).
/// </summary>
/// <remarks>
/// Everything else a start decides is published in the resource snapshot (generation, seed state, run and worker, the
/// restored snapshot and data directory). The resolved plans are an object graph (every object, with a directory source
/// expanded from the disk at that moment), which resource properties cannot hold; they are written once per start, by
/// the <c>BeforeResourceStartedEvent</c> handler (<see cref="KumoStart.RunAsync"/>), and read only for the generation the
/// resource snapshot shows, so a reader never pairs one start's plans with another start's state.
/// </remarks>
internal sealed class KumoStartSeeds
{
    private Prepared? _prepared;

    /// <summary>The plans resolved for <paramref name="generation"/>, or null when that start resolved none.</summary>
    /// <param name="generation">The start generation the resource snapshot shows.</param>
    /// <returns>The plans.</returns>
    public IReadOnlyList<KumoPlannedSeed>? Of(int generation) =>
        Volatile.Read(ref _prepared) is { } prepared && prepared.Generation == generation ? prepared.Seeds : null;

    /// <summary>Records the plans a start resolved, replacing those of the previous start.</summary>
    /// <param name="generation">The start's generation.</param>
    /// <param name="seeds">The plans.</param>
    public void Set(int generation, IReadOnlyList<KumoPlannedSeed> seeds) => Volatile.Write(ref _prepared, new Prepared(generation, seeds));

    private sealed record Prepared(int Generation, IReadOnlyList<KumoPlannedSeed> Seeds);
}
