using OrderService.Processing;

namespace OrderService.Tests.Infrastructure;

/// <summary>Throws the given exception for the deliveries it selects; lets all others through.</summary>
internal sealed class FaultInjectionHook(Func<OrderProcessingAttempt, Exception?> fault) : IOrderProcessingHook
{
    public ValueTask BeforeProcessingAsync(OrderProcessingAttempt attempt, CancellationToken cancellationToken)
    {
        if (fault(attempt) is { } exception)
        {
            throw exception;
        }

        return ValueTask.CompletedTask;
    }
}
