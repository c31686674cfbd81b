using System.Diagnostics;

namespace Kumo.DurabilityProbe;

/// <summary>When a key or a message was acknowledged, and whether (and when) its delete was sent and acknowledged; <see cref="Stopwatch"/> timestamps.</summary>
internal sealed class Tracked
{
    public string? ETag { get; init; }

    /// <summary>The PUT or SendMessage acknowledgement; null while it is in flight.</summary>
    public long? Acknowledged { get; set; }

    public long? DeleteSent { get; set; }

    public long? DeleteAcknowledged { get; set; }

    /// <summary>State found on the engine by a check: known durable, acknowledged at the dawn of time.</summary>
    public static Tracked Durable(string etag) => new() { ETag = etag, Acknowledged = 0 };
}
