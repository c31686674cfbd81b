namespace Kumo.DurabilityProbe;

/// <summary>What one kill round did and what the restarted engine had lost of it.</summary>
internal sealed record KillRound(
    int Round,
    double RunSeconds,
    int ObjectsAtKill,
    int AckedPuts,
    int AckedObjectDeletes,
    int AckedSends,
    int AckedMessageDeletes,
    int LostPuts,
    int UndoneObjectDeletes,
    int LostSends,
    int UndoneMessageDeletes,
    double OldestLossAgeSeconds,
    double RestartSeconds)
{
    public int Lost => LostPuts + UndoneObjectDeletes + LostSends + UndoneMessageDeletes;

    /// <summary>Up to five of the losses, by key or message body.</summary>
    public IReadOnlyList<string> Examples { get; init; } = [];

    public override string ToString() => FormattableString.Invariant(
        $"round {Round}: {RunSeconds:0.00} s of writes at {ObjectsAtKill} objects; acknowledged {AckedPuts} PUTs, {AckedObjectDeletes} object deletes, {AckedSends} sends, {AckedMessageDeletes} message deletes; lost {LostPuts} PUTs, {UndoneObjectDeletes} object deletes undone, {LostSends} sends, {UndoneMessageDeletes} message deletes undone (oldest loss {OldestLossAgeSeconds:0.000} s before the kill); restart {RestartSeconds:0.00} s") + (Examples.Count == 0 ? string.Empty : "; e.g. " + string.Join(", ", Examples));
}
