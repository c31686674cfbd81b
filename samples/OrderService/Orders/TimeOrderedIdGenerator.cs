namespace OrderService.Orders;

/// <summary>The default ids: <c>ord-</c> and a version 7 (time-ordered) GUID taken from the injected clock.</summary>
internal sealed class TimeOrderedIdGenerator(TimeProvider time) : IOrderIdGenerator
{
    public string NewId() => $"ord-{Guid.CreateVersion7(time.GetUtcNow()):N}";
}
