namespace OrderService.Processing;

/// <summary>
/// Called before each processing attempt of an order message. An exception thrown here counts as a failed
/// attempt (retried with backoff, dead-lettered after <c>Orders:MaxAttempts</c>); tests use it to inject faults,
/// an app could use it for auditing or a dependency check.
/// </summary>
public interface IOrderProcessingHook
{
    /// <summary>Runs before the order is processed.</summary>
    /// <param name="attempt">Which order, version and delivery.</param>
    /// <param name="cancellationToken">Stops with the worker.</param>
    /// <returns>A task that completes when the hook is done.</returns>
    ValueTask BeforeProcessingAsync(OrderProcessingAttempt attempt, CancellationToken cancellationToken);
}

/// <summary>One delivery of an order message to the worker.</summary>
/// <param name="OrderId">The order id.</param>
/// <param name="Version">The order version the message was sent for.</param>
/// <param name="Attempt">The delivery number (SQS <c>ApproximateReceiveCount</c>), from 1.</param>
public sealed record OrderProcessingAttempt(string OrderId, int Version, int Attempt);
