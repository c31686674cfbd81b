using System.Text.Json;
using Amazon.SQS.Model;
using OrderService.Messaging;
using OrderService.Orders;
using OrderService.Storage;
using OrderService.Tests.Infrastructure;

namespace OrderService.Tests;

/// <summary>Poison messages end in the dead-letter queue with the reason; they never block the queue.</summary>
public sealed class OrderDeadLetterTests(SharedEngine shared)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task An_order_failing_every_delivery_is_dead_lettered_after_max_attempts_and_reported_failed()
    {
        var hook = new FaultInjectionHook(a => a.OrderId == "ord-poison-0001" ? new InvalidOperationException("injected permanent fault") : null);
        await using OrderServiceHost service = await OrderServiceHost.StartAsync(shared.Engine, "poison", hook);

        OrderAccepted accepted = await service.PostAsync(OrderServiceHost.SampleOrder());
        OrderStatus failed = await service.WaitForStatusAsync(accepted.Id, OrderStatuses.Failed);
        Message dead = await service.ReceiveDeadLetterAsync();

        Assert.Equal(3, failed.Failure?.Attempts);
        Assert.Contains("Failed 3 times", failed.Failure?.Reason, StringComparison.Ordinal);
        Assert.Contains("injected permanent fault", failed.Failure?.Reason, StringComparison.Ordinal);
        Assert.Null(failed.Receipt);
        Assert.Null(await service.ReadJsonAsync<OrderReceipt>(OrderStore.ReceiptKey(accepted.Id)));

        OrderMessage? body = JsonSerializer.Deserialize<OrderMessage>(dead.Body, OrderServiceHost.Json);
        Assert.Equal(new OrderMessage(accepted.Id, 1), body);
        Assert.Contains("injected permanent fault", dead.MessageAttributes[OrderQueue.FailureReasonAttribute].StringValue, StringComparison.Ordinal);
        Assert.Equal("3", dead.MessageAttributes[OrderQueue.AttemptsAttribute].StringValue);
        Assert.Equal(service.Queue, dead.MessageAttributes[OrderQueue.SourceQueueAttribute].StringValue);
        await service.WaitForEmptyQueueAsync(service.Queue);
        service.AssertKumoSafe();
    }

    [Fact]
    public async Task An_unparseable_message_goes_to_the_dead_letter_queue_at_once()
    {
        await using OrderServiceHost service = await OrderServiceHost.StartAsync(shared.Engine, "garbage");

        await service.Sqs.SendMessageAsync(await service.QueueUrlAsync(service.Queue), "this is not an order", Ct);
        Message dead = await service.ReceiveDeadLetterAsync();

        Assert.Equal("this is not an order", dead.Body);
        Assert.StartsWith("Unparseable message body", dead.MessageAttributes[OrderQueue.FailureReasonAttribute].StringValue, StringComparison.Ordinal);
        Assert.Equal("1", dead.MessageAttributes[OrderQueue.AttemptsAttribute].StringValue);
        await service.WaitForEmptyQueueAsync(service.Queue);

        // The worker is still healthy: the next real order goes through.
        OrderAccepted accepted = await service.PostAsync(OrderServiceHost.SampleOrder());
        await service.WaitForStatusAsync(accepted.Id, OrderStatuses.Processed);
        service.AssertKumoSafe();
    }

    [Fact]
    public async Task A_message_for_an_unknown_order_is_dead_lettered_without_retries()
    {
        await using OrderServiceHost service = await OrderServiceHost.StartAsync(shared.Engine, "ghost");

        await service.Sqs.SendMessageAsync(await service.QueueUrlAsync(service.Queue), """{"orderId":"ord-ghost-9999","version":1}""", Ct);
        Message dead = await service.ReceiveDeadLetterAsync();

        string reason = dead.MessageAttributes[OrderQueue.FailureReasonAttribute].StringValue;
        Assert.Contains("'ord-ghost-9999' does not exist", reason, StringComparison.Ordinal);
        Assert.Contains(service.Bucket, reason, StringComparison.Ordinal);
        Assert.Equal("1", dead.MessageAttributes[OrderQueue.AttemptsAttribute].StringValue);
        await service.WaitForEmptyQueueAsync(service.Queue);
        service.AssertKumoSafe();
    }

    [Fact]
    public async Task The_created_queue_has_a_redrive_policy_to_the_dead_letter_queue_as_a_backstop()
    {
        await using OrderServiceHost service = await OrderServiceHost.StartAsync(shared.Engine, "redrive");

        GetQueueAttributesResponse attributes = await service.Sqs.GetQueueAttributesAsync(await service.QueueUrlAsync(service.Queue), ["RedrivePolicy", "VisibilityTimeout"], Ct);
        using JsonDocument policy = JsonDocument.Parse(attributes.Attributes["RedrivePolicy"]);

        Assert.EndsWith(":" + service.DeadLetterQueue, policy.RootElement.GetProperty("deadLetterTargetArn").GetString(), StringComparison.Ordinal);
        Assert.Equal(4, policy.RootElement.GetProperty("maxReceiveCount").GetInt32()); // Orders:MaxAttempts (3) + 1
        Assert.Equal(10, attributes.VisibilityTimeout);
    }
}
