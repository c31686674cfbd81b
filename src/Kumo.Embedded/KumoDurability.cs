namespace Kumo.Embedded;

/// <summary>When an acknowledged change is durable (<c>KUMO_DURABILITY</c>).</summary>
public enum KumoDurability
{
    /// <summary>
    /// The default: a change reaches the journal file before or right after its acknowledgement, so a
    /// killed engine loses at most the last few milliseconds; it is fsynced within the flush interval
    /// (<c>KUMO_PERSIST_FLUSH_INTERVAL_MS</c>), which bounds what a power loss can take.
    /// </summary>
    Flush,

    /// <summary>Every change is fsynced (group commit) before its acknowledgement: nothing acknowledged is ever lost.</summary>
    Sync,
}
