namespace Kumo.Aspire.Hosting.Commands;

/// <summary>The names of the dashboard commands every kumo resource has.</summary>
internal static class KumoCommandNames
{
    /// <summary>Runs the seed plans again (idempotent: what is already there is left alone).</summary>
    public const string Reseed = "reseed";

    /// <summary>Deletes every bucket, object and queue, then seeds.</summary>
    public const string Reset = "reset";

    /// <summary>Publishes the snapshot of the seed plans into the store (process engines).</summary>
    public const string SnapshotNow = "snapshot-now";

    /// <summary>Writes the engine's buckets, objects and queues as JSON to a file (the <c>kumo.dump</c> property) and the resource log.</summary>
    public const string DumpState = "dump-state";
}
