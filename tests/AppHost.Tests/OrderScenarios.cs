using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Amazon.DynamoDBv2.Model;
using Amazon.SQS.Model;
using Kumo.Testing;
using OrderService.Messaging;
using OrderService.Orders;
using OrderService.Storage;
using OrderService.Tests.Infrastructure;

namespace AppHost.Tests;

/// <summary>
/// The OrderService sample's scenarios (happy path, retry, poison message to the dead-letter queue, data mutation)
/// against the AppHost a developer runs, black-box: the service through its HTTP endpoint, its bucket and queues
/// through kumo-safe S3 and SQS clients, its log through Aspire's resource logs. The same scenarios run in-process
/// in tests/OrderService.Tests; here faults come from the data (a half-written order document), not from a hook.
/// </summary>
/// <typeparam name="TAppHost">Which engine the AppHost runs kumo on.</typeparam>
public abstract class OrderScenarios<TAppHost>(TAppHost appHost) : IClassFixture<TAppHost>
    where TAppHost : OrderAppHost
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string TestName => TestContext.Current.Test?.TestDisplayName ?? "unknown-test";

    [Fact]
    public Task The_AppHost_seeds_the_bucket_and_the_queues_with_their_redrive_policy() => appHost.RunAsync(TestName, async orders =>
    {
        var buckets = (await orders.S3.ListBucketsAsync(Ct)).Buckets ?? [];
        var attributes = await orders.Sqs.GetQueueAttributesAsync(await orders.QueueUrlAsync(orders.Queue), ["RedrivePolicy"], Ct);
        using var policy = JsonDocument.Parse(attributes.Attributes["RedrivePolicy"]);

        Assert.Contains(buckets, b => b.BucketName == orders.Bucket);
        Assert.NotNull(await orders.QueueUrlAsync(orders.DeadLetterQueue));
        Assert.EndsWith(":" + orders.DeadLetterQueue, policy.RootElement.GetProperty("deadLetterTargetArn").GetString(), StringComparison.Ordinal);
        Assert.Equal(6, policy.RootElement.GetProperty("maxReceiveCount").GetInt32()); // src/AppHost/seed/kumo-seed.json
    });

    [Fact]
    [Trait(KumoTestSuites.Trait, KumoTestSuites.Smoke)]
    public Task An_order_is_stored_queued_processed_and_receipted() => appHost.RunAsync(TestName, async orders =>
    {
        OrderAccepted accepted = await orders.PostAsync(OrderServiceDriver.SampleOrder("Grace"));
        OrderStatus processed = await orders.WaitForStatusAsync(accepted.Id, OrderStatuses.Processed, seconds: Wait.TotalSeconds);
        OrderDocument? document = await orders.ReadJsonAsync<OrderDocument>(OrderStore.OrderKey(accepted.Id));
        OrderReceipt? receipt = await orders.ReadJsonAsync<OrderReceipt>(OrderStore.ReceiptKey(accepted.Id));

        Assert.Equal(1, accepted.Version);
        Assert.Equal("Grace", document?.Customer);
        Assert.Equal(1, processed.Receipt?.Attempt);
        Assert.Null(processed.Failure);
        Assert.Equal(accepted.Id, receipt?.OrderId);
        Assert.Equal(27.97m, receipt?.Total);
        await orders.WaitForEmptyQueueAsync(orders.Queue);
    });

    [Fact]
    [Trait(KumoTestSuites.Trait, KumoTestSuites.Smoke)]
    public Task A_transient_failure_is_retried_after_the_backoff_and_the_order_is_processed() => appHost.RunAsync(TestName, async orders =>
    {
        string id = NewOrderId("retry");
        await orders.PutDocumentAsync(OrderStore.OrderKey(id), OrderServiceDriver.HalfWrittenOrder(id));
        await orders.SendToQueueAsync(OrderServiceDriver.MessageFor(id));

        // The worker could not read the document and recorded the retry it schedules (seen through S3, not its log);
        // the writer now finishes the document.
        OrderAttempt failed = await orders.WaitForJsonAsync<OrderAttempt>(OrderStore.AttemptKey(id), a => a.Attempt >= 1, seconds: Wait.TotalSeconds);
        Assert.Contains("JsonException", failed.Error, StringComparison.Ordinal);
        await orders.PutDocumentAsync(OrderStore.OrderKey(id), OrderServiceDriver.CompleteOrder(id));
        OrderStatus processed = await orders.WaitForStatusAsync(id, OrderStatuses.Processed, seconds: Wait.TotalSeconds);

        Assert.InRange(processed.Receipt?.Attempt ?? 0, 2, OrderAppHost.MaxAttempts);
        Assert.Equal(27.97m, processed.Receipt?.Total);
        Assert.Null(processed.Failure);
        Assert.Null(await orders.ReadJsonAsync<OrderFailure>(OrderStore.FailureKey(id)));
        await orders.WaitForEmptyQueueAsync(orders.Queue);
    });

    [Fact]
    public Task An_order_failing_every_delivery_is_dead_lettered_after_max_attempts() => appHost.RunAsync(TestName, async orders =>
    {
        string id = NewOrderId("poison");
        await orders.PutDocumentAsync(OrderStore.OrderKey(id), OrderServiceDriver.HalfWrittenOrder(id));
        await orders.SendToQueueAsync(OrderServiceDriver.MessageFor(id));

        // 3 deliveries: 3 s, then 6 s of backoff.
        Message dead = await orders.ReceiveDeadLetterAsync(m => m.Body.Contains(id, StringComparison.Ordinal), seconds: Wait.TotalSeconds + 30);
        await orders.DeleteDeadLetterAsync(dead);
        OrderFailure? failure = await orders.ReadJsonAsync<OrderFailure>(OrderStore.FailureKey(id));
        string reason = dead.MessageAttributes[OrderQueue.FailureReasonAttribute].StringValue;

        Assert.Equal(OrderAppHost.MaxAttempts.ToString(CultureInfo.InvariantCulture), dead.MessageAttributes[OrderQueue.AttemptsAttribute].StringValue);
        Assert.Equal(orders.Queue, dead.MessageAttributes[OrderQueue.SourceQueueAttribute].StringValue);
        Assert.Contains($"Failed {OrderAppHost.MaxAttempts} times", reason, StringComparison.Ordinal);
        Assert.Contains("JsonException", reason, StringComparison.Ordinal);
        Assert.Equal(OrderAppHost.MaxAttempts, failure?.Attempts);
        Assert.Null(await orders.ReadJsonAsync<OrderReceipt>(OrderStore.ReceiptKey(id)));
        await orders.WaitForEmptyQueueAsync(orders.Queue);
    });

    [Fact]
    public Task An_unparseable_message_is_dead_lettered_at_once_and_the_worker_goes_on() => appHost.RunAsync(TestName, async orders =>
    {
        string garbage = $"this is not an order {Guid.NewGuid():N}";
        await orders.SendToQueueAsync(garbage);

        Message dead = await orders.ReceiveDeadLetterAsync(m => m.Body == garbage, seconds: Wait.TotalSeconds);
        await orders.DeleteDeadLetterAsync(dead);
        OrderAccepted next = await orders.PostAsync(OrderServiceDriver.SampleOrder());
        OrderStatus processed = await orders.WaitForStatusAsync(next.Id, OrderStatuses.Processed, seconds: Wait.TotalSeconds);

        Assert.StartsWith("Unparseable message body", dead.MessageAttributes[OrderQueue.FailureReasonAttribute].StringValue, StringComparison.Ordinal);
        Assert.Equal("1", dead.MessageAttributes[OrderQueue.AttemptsAttribute].StringValue);
        Assert.Equal(1, processed.Receipt?.Attempt);
        await orders.WaitForEmptyQueueAsync(orders.Queue);
    });

    [Fact]
    [Trait(KumoTestSuites.Trait, KumoTestSuites.Smoke)]
    public Task An_update_overwrites_the_document_and_the_receipt_follows_the_new_version() => appHost.RunAsync(TestName, async orders =>
    {
        OrderAccepted created = await orders.PostAsync(OrderServiceDriver.SampleOrder());
        OrderStatus first = await orders.WaitForStatusAsync(created.Id, OrderStatuses.Processed, version: 1, seconds: Wait.TotalSeconds);

        var change = new OrderRequest("Ada Lovelace", [new OrderLine("book", 1, 12.50m), new OrderLine("lamp", 1, 40m)], "GBP");
        using HttpResponseMessage response = await orders.Http.PutAsJsonAsync($"/orders/{created.Id}", change, OrderServiceDriver.Json, Ct);
        OrderAccepted? updated = await response.Content.ReadFromJsonAsync<OrderAccepted>(OrderServiceDriver.Json, Ct);
        OrderStatus second = await orders.WaitForStatusAsync(created.Id, OrderStatuses.Processed, version: 2, seconds: Wait.TotalSeconds);
        OrderDocument? document = await orders.ReadJsonAsync<OrderDocument>(OrderStore.OrderKey(created.Id));
        OrderReceipt? receipt = await orders.ReadJsonAsync<OrderReceipt>(OrderStore.ReceiptKey(created.Id));

        Assert.Equal(27.97m, first.Receipt?.Total);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal(new OrderAccepted(created.Id, 2, OrderStatuses.Accepted), updated);
        Assert.Equal("Ada Lovelace", second.Customer);
        Assert.Equal(2, document?.Version);
        Assert.Equal(["book", "lamp"], document?.Lines.Select(l => l.Sku));
        Assert.Equal(2, receipt?.Version);
        Assert.Equal(52.50m, receipt?.Total);
        Assert.Equal("GBP", receipt?.Currency);
        await orders.WaitForEmptyQueueAsync(orders.Queue);
    });

    [Fact]
    [Trait(KumoTestSuites.Trait, KumoTestSuites.Smoke)]
    public Task A_duplicate_delivery_is_processed_exactly_once() => appHost.RunAsync(TestName, async orders =>
    {
        // The service's own message plus two duplicates queued at once (a producer retry, SQS's at-least-once delivery).
        OrderAccepted accepted = await orders.PostAsync(OrderServiceDriver.SampleOrder("Barbara"));
        await orders.SendToQueueAsync(OrderServiceDriver.MessageFor(accepted.Id));
        await orders.SendToQueueAsync(OrderServiceDriver.MessageFor(accepted.Id));
        await orders.WaitForStatusAsync(accepted.Id, OrderStatuses.Processed, seconds: Wait.TotalSeconds);
        await orders.WaitForEmptyQueueAsync(orders.Queue);
        Dictionary<string, AttributeValue> first = await StatusRowAsync(accepted.Id);
        OrderReceipt? firstReceipt = await orders.ReadJsonAsync<OrderReceipt>(OrderStore.ReceiptKey(accepted.Id));

        // A late duplicate, after the order is done.
        await orders.SendToQueueAsync(OrderServiceDriver.MessageFor(accepted.Id));
        await orders.WaitForEmptyQueueAsync(orders.Queue);
        Dictionary<string, AttributeValue> last = await StatusRowAsync(accepted.Id);
        OrderReceipt? lastReceipt = await orders.ReadJsonAsync<OrderReceipt>(OrderStore.ReceiptKey(accepted.Id));

        Assert.Equal(OrderStatuses.Processed, first["Status"].S);
        Assert.Equal("1", first["ProcessedCount"].N);
        Assert.Equal("1", first["ProcessedVersion"].N);
        Assert.Equal("1", last["ProcessedCount"].N);
        Assert.False(last.ContainsKey("ClaimToken"), "no claim is left behind");
        Assert.NotNull(firstReceipt);
        Assert.NotNull(lastReceipt);
        Assert.Equal(firstReceipt, lastReceipt with { Lines = firstReceipt.Lines }); // not rewritten by a duplicate
    });

    private async Task<Dictionary<string, AttributeValue>> StatusRowAsync(string orderId) =>
        (await appHost.Dynamo.GetItemAsync(
            new GetItemRequest { TableName = OrderAppHost.StatusTable, Key = new() { ["OrderId"] = new(orderId) }, ConsistentRead = true },
            Ct)).Item;

    private static string NewOrderId(string scenario) => $"ord-apphost-{scenario}-{Guid.NewGuid():N}"[..40];
}
