namespace OrderService.Storage;

/// <summary>What <see cref="OrderStatusTable.TryClaimAsync"/> found.</summary>
public enum ClaimOutcome
{
    /// <summary>This worker holds the order version now; it processes it and then completes the claim.</summary>
    Claimed,

    /// <summary>The version (or a later one) is already processed: the delivery is a duplicate, drop it.</summary>
    AlreadyProcessed,

    /// <summary>Another worker holds a live claim: try again later.</summary>
    ClaimedElsewhere,
}
