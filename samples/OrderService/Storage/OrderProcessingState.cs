namespace OrderService.Storage;

/// <summary>One order's row in the status table, as read with a consistent read.</summary>
/// <param name="OrderId">The order id (the table's hash key).</param>
/// <param name="Status">Accepted, Processing or Processed.</param>
/// <param name="LatestVersion">The latest version the API accepted, 0 when none was recorded.</param>
/// <param name="ProcessedVersion">The latest version a worker finished, 0 when none.</param>
/// <param name="ProcessedCount">How many times a worker finished processing this order (over all versions).</param>
public sealed record OrderProcessingState(string OrderId, string Status, int LatestVersion, int ProcessedVersion, int ProcessedCount);
