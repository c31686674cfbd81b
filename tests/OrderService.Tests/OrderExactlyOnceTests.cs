using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Kumo.Clients;
using Kumo.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OrderService.Orders;
using OrderService.Setup;
using OrderService.Storage;
using OrderService.Tests.Infrastructure;

namespace OrderService.Tests;

/// <summary>
/// The order's status lives in DynamoDB, and a conditional write makes processing exactly-once: reads see the write
/// before them, two workers racing on one order end with exactly one winner, and a duplicate delivery is dropped.
/// </summary>
public sealed class OrderExactlyOnceTests(SharedEngine shared)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_status_write_is_visible_to_the_next_read()
    {
        await using OrderServiceHost service = await OrderServiceHost.StartAsync(shared.Engine, "raw");
        OrderStatusTable statuses = service.Services.GetRequiredService<OrderStatusTable>();

        OrderAccepted accepted = await service.PostAsync(OrderServiceHost.SampleOrder());
        OrderProcessingState? afterPost = await statuses.GetAsync(accepted.Id, Ct);
        OrderProcessingState processed = await WaitForProcessedAsync(statuses, accepted.Id, 1);
        using HttpResponseMessage put = await service.Http.PutAsync(
            new Uri($"/orders/{accepted.Id}", UriKind.Relative),
            System.Net.Http.Json.JsonContent.Create(OrderServiceHost.SampleOrder("Grace"), options: OrderServiceHost.Json),
            Ct);
        OrderProcessingState? afterPut = await statuses.GetAsync(accepted.Id, Ct);

        Assert.NotNull(afterPost);
        Assert.Equal(1, afterPost.LatestVersion);
        Assert.True(afterPost.Status is OrderStatuses.Accepted or OrderStatusTable.Processing or OrderStatuses.Processed, afterPost.Status);
        Assert.Equal((OrderStatuses.Processed, 1, 1), (processed.Status, processed.ProcessedVersion, processed.ProcessedCount));
        put.EnsureSuccessStatusCode();
        Assert.Equal(2, afterPut?.LatestVersion);
        Assert.Equal(2, (await WaitForProcessedAsync(statuses, accepted.Id, 2)).ProcessedCount);
        service.AssertKumoSafe();
    }

    [Fact]
    public async Task Two_workers_racing_on_one_order_have_exactly_one_winner_and_the_loser_sees_the_condition_fail()
    {
        await using OrderServiceHost service = await OrderServiceHost.StartAsync(shared.Engine, "race");
        using KumoClients workerA = KumoClients.Create(service.Engine.Endpoint);
        using KumoClients workerB = KumoClients.Create(service.Engine.Endpoint);
        DateTimeOffset now = service.Clock.Now;
        var lease = TimeSpan.FromSeconds(30);

        for (int round = 0; round < 20; round++)
        {
            string orderId = $"ord-race-{round:D4}";
            UpdateItemRequest a = OrderStatusTable.ClaimRequest(service.StatusTable, orderId, 1, "worker-a", now, lease);
            UpdateItemRequest b = OrderStatusTable.ClaimRequest(service.StatusTable, orderId, 1, "worker-b", now, lease);

            Task<UpdateItemResponse>[] racing = [workerA.DynamoDB.UpdateItemAsync(a, Ct), workerB.DynamoDB.UpdateItemAsync(b, Ct)];
            Exception? failure = null;
            try
            {
                await Task.WhenAll(racing);
            }
            catch (Exception ex)
            {
                failure = ex;
            }

            Assert.Equal(1, racing.Count(t => t.IsCompletedSuccessfully));
            Task<UpdateItemResponse> loser = Assert.Single(racing, t => t.IsFaulted);
            Assert.IsType<ConditionalCheckFailedException>(loser.Exception!.InnerException);
            Assert.NotNull(failure);
            GetItemResponse row = await service.Dynamo.GetItemAsync(service.StatusTable, new() { ["OrderId"] = new(orderId) }, consistentRead: true, Ct);
            string winner = racing[0].IsCompletedSuccessfully ? "worker-a" : "worker-b";
            Assert.Equal(winner, row.Item["ClaimToken"].S);
        }

        service.AssertKumoSafe();
    }

    [Fact]
    public async Task Racing_claims_through_the_store_give_one_Claimed_and_one_ClaimedElsewhere_then_AlreadyProcessed()
    {
        await using OrderServiceHost service = await OrderServiceHost.StartAsync(shared.Engine, "claims");
        using KumoClients workerA = KumoClients.Create(service.Engine.Endpoint);
        using KumoClients workerB = KumoClients.Create(service.Engine.Endpoint);
        IOptions<OrdersOptions> options = service.Services.GetRequiredService<IOptions<OrdersOptions>>();
        var storeA = new OrderStatusTable(workerA.DynamoDB, options, service.Clock);
        var storeB = new OrderStatusTable(workerB.DynamoDB, options, service.Clock);

        ClaimOutcome[] outcomes = await Task.WhenAll(storeA.TryClaimAsync("ord-claims-1", 1, "a", Ct), storeB.TryClaimAsync("ord-claims-1", 1, "b", Ct));
        string winnerToken = outcomes[0] == ClaimOutcome.Claimed ? "a" : "b";
        OrderStatusTable winner = winnerToken == "a" ? storeA : storeB;
        await winner.CompleteAsync("ord-claims-1", 1, winnerToken, Ct);
        ClaimOutcome late = await storeA.TryClaimAsync("ord-claims-1", 1, "c", Ct);
        await Assert.ThrowsAsync<InvalidOperationException>(() => winner.CompleteAsync("ord-claims-1", 1, winnerToken, Ct));

        Assert.Equal([ClaimOutcome.Claimed, ClaimOutcome.ClaimedElsewhere], outcomes.Order());
        Assert.Equal(ClaimOutcome.AlreadyProcessed, late);
        Assert.Equal(1, (await storeB.GetAsync("ord-claims-1", Ct))?.ProcessedCount);
    }

    [Fact]
    public async Task A_duplicate_delivery_is_processed_once_and_both_messages_are_deleted()
    {
        await using OrderServiceHost service = await OrderServiceHost.StartAsync(shared.Engine, "dup");
        OrderStatusTable statuses = service.Services.GetRequiredService<OrderStatusTable>();
        OrderAccepted accepted = await service.PostAsync(OrderServiceHost.SampleOrder());

        // The same message again, twice: SQS's at-least-once delivery, and a producer that retried its send.
        await service.SendToQueueAsync(OrderServiceHost.MessageFor(accepted.Id));
        await service.SendToQueueAsync(OrderServiceHost.MessageFor(accepted.Id));
        await service.WaitForEmptyQueueAsync(service.Queue);
        OrderProcessingState state = await WaitForProcessedAsync(statuses, accepted.Id, 1);

        Assert.Equal(1, state.ProcessedCount);
        Assert.Equal(0, await service.DepthAsync(service.DeadLetterQueue, Ct));
        Assert.Equal(1, (await service.ReadJsonAsync<OrderReceipt>(OrderStore.ReceiptKey(accepted.Id)))?.Attempt);
        service.AssertKumoSafe();
    }

    private static Task<OrderProcessingState> WaitForProcessedAsync(OrderStatusTable statuses, string orderId, int version) =>
        Eventually.UntilAsync(
            async ct => (await statuses.GetAsync(orderId, ct))!,
            s => s is not null && s.Status == OrderStatuses.Processed && s.ProcessedVersion == version,
            TimeSpan.FromSeconds(20),
            TimeSpan.FromMilliseconds(50),
            $"order {orderId} v{version} to be processed in the status table",
            Ct);
}
