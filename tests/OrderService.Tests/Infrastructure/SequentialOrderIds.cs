using OrderService.Orders;

namespace OrderService.Tests.Infrastructure;

/// <summary>Deterministic ids: <c>&lt;prefix&gt;-0001</c>, <c>&lt;prefix&gt;-0002</c>, ...</summary>
internal sealed class SequentialOrderIds(string prefix) : IOrderIdGenerator
{
    private int _next;

    public string NewId() => $"{prefix}-{Interlocked.Increment(ref _next):D4}";

    /// <summary>The id the n-th call returns (from 1), for asserting before posting.</summary>
    public string Nth(int n) => $"{prefix}-{n:D4}";
}
