namespace OrderService.Orders;

/// <summary>The values of <see cref="OrderStatus.Status"/> and <see cref="OrderAccepted.Status"/>.</summary>
public static class OrderStatuses
{
    /// <summary>Stored and queued.</summary>
    public const string Accepted = "Accepted";

    /// <summary>Stored, not yet processed in its current version.</summary>
    public const string Pending = "Pending";

    /// <summary>A receipt for the current version exists.</summary>
    public const string Processed = "Processed";

    /// <summary>The current version's message was dead-lettered.</summary>
    public const string Failed = "Failed";
}
