using Amazon.SQS.Model;
using OrderService.Messaging;
using OrderService.Orders;
using OrderService.Storage;
using OrderService.Tests.Infrastructure;

namespace OrderService.Tests;

/// <summary>
/// Faults that come from the data rather than from a hook: an order document that is not readable yet (cut off
/// mid-write) is a transient failure. The AppHost tests use these same faults, where no hook can reach the service.
/// </summary>
public sealed class OrderDocumentFaultTests(SharedEngine shared)
{
    [Fact]
    public async Task A_half_written_document_is_retried_and_processed_once_it_is_complete()
    {
        const string id = "ord-halfwritten-0001";
        OrderServiceHost? service = null;
        // An observer, not a fault: just before the second delivery, the other writer finishes the document.
        var hook = new FaultInjectionHook(a =>
        {
            if (a.OrderId == id && a.Attempt == 2)
            {
                service!.PutDocumentAsync(OrderStore.OrderKey(id), OrderServiceDriver.CompleteOrder(id)).GetAwaiter().GetResult();
            }

            return null;
        });
        await using OrderServiceHost started = await OrderServiceHost.StartAsync(shared.Engine, "halfwritten", hook);
        service = started;

        await service.PutDocumentAsync(OrderStore.OrderKey(id), OrderServiceDriver.HalfWrittenOrder(id));
        await service.SendToQueueAsync(OrderServiceDriver.MessageFor(id));
        OrderStatus processed = await service.WaitForStatusAsync(id, OrderStatuses.Processed);

        Assert.Equal(2, processed.Receipt?.Attempt);
        Assert.Equal(27.97m, processed.Receipt?.Total);
        Assert.Null(processed.Failure);
        await service.WaitForEmptyQueueAsync(service.Queue);
        Assert.Equal(0, await service.DepthAsync(service.DeadLetterQueue, TestContext.Current.CancellationToken));
        service.AssertKumoSafe();
    }

    [Fact]
    public async Task A_document_that_never_becomes_readable_is_dead_lettered_after_max_attempts()
    {
        const string id = "ord-neverread-0001";
        await using OrderServiceHost service = await OrderServiceHost.StartAsync(shared.Engine, "neverread");

        await service.PutDocumentAsync(OrderStore.OrderKey(id), OrderServiceDriver.HalfWrittenOrder(id));
        await service.SendToQueueAsync(OrderServiceDriver.MessageFor(id));
        Message dead = await service.ReceiveDeadLetterAsync(m => m.Body.Contains(id, StringComparison.Ordinal));
        await service.DeleteDeadLetterAsync(dead);
        OrderFailure? failure = await service.ReadJsonAsync<OrderFailure>(OrderStore.FailureKey(id));
        string reason = dead.MessageAttributes[OrderQueue.FailureReasonAttribute].StringValue;

        Assert.Equal("3", dead.MessageAttributes[OrderQueue.AttemptsAttribute].StringValue);
        Assert.Contains("Failed 3 times", reason, StringComparison.Ordinal);
        Assert.Contains("JsonException", reason, StringComparison.Ordinal);
        Assert.Equal(3, failure?.Attempts);
        Assert.Null(await service.ReadJsonAsync<OrderReceipt>(OrderStore.ReceiptKey(id)));
        Assert.Equal(0, await service.DepthAsync(service.DeadLetterQueue, TestContext.Current.CancellationToken));
        await service.WaitForEmptyQueueAsync(service.Queue);
        service.AssertKumoSafe();
    }
}
