using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Kumo.Testing;
using OrderService.Orders;
using OrderService.Storage;
using OrderService.Tests.Infrastructure;

namespace OrderService.Tests;

/// <summary>The happy path: an order goes in over HTTP and comes out as a receipt in S3.</summary>
public sealed class OrderFlowTests(SharedEngine shared)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    [Trait(KumoTestSuites.Trait, KumoTestSuites.Smoke)]
    public async Task Posted_order_is_stored_queued_processed_and_receipted()
    {
        await using OrderServiceHost service = await OrderServiceHost.StartAsync(shared.Engine, "happy");

        using HttpResponseMessage response = await service.Http.PostAsJsonAsync("/orders", OrderServiceHost.SampleOrder(), OrderServiceHost.Json, Ct);
        OrderAccepted accepted = (await response.Content.ReadFromJsonAsync<OrderAccepted>(OrderServiceHost.Json, Ct))!;
        OrderStatus processed = await service.WaitForStatusAsync(accepted.Id, OrderStatuses.Processed);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal("/orders/ord-happy-0001", response.Headers.Location?.OriginalString);
        Assert.Equal(new OrderAccepted("ord-happy-0001", 1, OrderStatuses.Accepted), accepted);

        OrderReceipt receipt = processed.Receipt!;
        Assert.Equal(27.97m, receipt.Total);
        Assert.Equal([25.00m, 2.97m], receipt.Lines.Select(l => l.LineTotal));
        Assert.Equal(service.Clock.Now, receipt.ProcessedAt);
        Assert.Equal(1, receipt.Attempt);
        Assert.Equal("EUR", receipt.Currency);
        Assert.Null(processed.Failure);

        OrderDocument? document = await service.ReadJsonAsync<OrderDocument>(OrderStore.OrderKey(accepted.Id));
        OrderReceipt? stored = await service.ReadJsonAsync<OrderReceipt>(OrderStore.ReceiptKey(accepted.Id));
        Assert.Equal(1, document?.Version);
        Assert.Equal("Ada", document?.Customer);
        Assert.Equal(service.Clock.Now, document?.CreatedAt);
        Assert.Equal(27.97m, stored?.Total);
        Assert.Equal(["orders/ord-happy-0001.json", "receipts/ord-happy-0001.json"], (await service.KeysAsync()).Order(StringComparer.Ordinal));

        await service.WaitForEmptyQueueAsync(service.Queue);
        Assert.Equal(0, await service.DepthAsync(service.DeadLetterQueue, Ct));
        service.AssertKumoSafe();
    }

    [Fact]
    public async Task A_burst_of_orders_is_processed_with_deterministic_ids()
    {
        await using OrderServiceHost service = await OrderServiceHost.StartAsync(shared.Engine, "burst");

        OrderAccepted[] accepted = await Task.WhenAll(Enumerable.Range(1, 12).Select(i => service.PostAsync(OrderServiceHost.SampleOrder($"customer-{i}"))));
        OrderStatus[] processed = await Task.WhenAll(accepted.Select(a => service.WaitForStatusAsync(a.Id, OrderStatuses.Processed)));

        Assert.Equal(Enumerable.Range(1, 12).Select(service.Ids.Nth), accepted.Select(a => a.Id).Order(StringComparer.Ordinal));
        Assert.All(processed, p => Assert.Equal(27.97m, p.Receipt?.Total));
        Assert.Equal(12, processed.Select(p => p.Customer).Distinct().Count());
        await service.WaitForEmptyQueueAsync(service.Queue);
        service.AssertKumoSafe();
    }

    [Fact]
    public async Task An_invalid_order_is_rejected_with_field_errors_and_nothing_is_stored_or_queued()
    {
        await using OrderServiceHost service = await OrderServiceHost.StartAsync(shared.Engine, "invalid");
        var invalid = new OrderRequest(" ", [new OrderLine("", 0, -1m)], "euro");

        using HttpResponseMessage response = await service.Http.PostAsJsonAsync("/orders", invalid, OrderServiceHost.Json, Ct);
        using JsonDocument problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
        using HttpResponseMessage empty = await service.Http.PostAsync(new Uri("/orders", UriKind.Relative), JsonContent.Create(new { lines = Array.Empty<object>() }), Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(
            ["currency", "customer", "lines[0].quantity", "lines[0].sku", "lines[0].unitPrice"],
            problem.RootElement.GetProperty("errors").EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
        Assert.Empty(await service.KeysAsync());
        Assert.Equal(0, await service.DepthAsync(service.Queue, Ct));

        // No id was spent on the rejected orders: the next accepted one is still the first.
        Assert.Equal("ord-invalid-0001", (await service.PostAsync(OrderServiceHost.SampleOrder())).Id);
    }

    [Theory]
    [InlineData("ord-unknown-0001")]
    [InlineData("..%2F..%2Fetc")]
    [InlineData("has.dot")]
    public async Task An_unknown_or_malformed_id_is_404(string id)
    {
        await using OrderServiceHost service = await OrderServiceHost.StartAsync(shared.Engine, "missing");

        using HttpResponseMessage response = await service.Http.GetAsync(new Uri($"/orders/{id}", UriKind.Relative), Ct);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
