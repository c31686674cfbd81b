using System.Net;
using System.Net.Http.Json;
using Kumo.Testing;
using OrderService.Orders;
using OrderService.Storage;
using OrderService.Tests.Infrastructure;

namespace OrderService.Tests;

/// <summary>Updating an order overwrites its document and the receipt follows the new version.</summary>
public sealed class OrderUpdateTests(SharedEngine shared)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    [Trait(KumoTestSuites.Trait, KumoTestSuites.Smoke)]
    public async Task An_update_overwrites_the_document_and_the_receipt_reflects_it()
    {
        await using OrderServiceHost service = await OrderServiceHost.StartAsync(shared.Engine, "update");
        OrderAccepted created = await service.PostAsync(OrderServiceHost.SampleOrder());
        OrderStatus first = await service.WaitForStatusAsync(created.Id, OrderStatuses.Processed, version: 1);

        var change = new OrderRequest("Ada Lovelace", [new OrderLine("book", 1, 12.50m), new OrderLine("lamp", 1, 40m)], "GBP");
        using HttpResponseMessage response = await service.Http.PutAsJsonAsync($"/orders/{created.Id}", change, OrderServiceHost.Json, Ct);
        OrderAccepted updated = (await response.Content.ReadFromJsonAsync<OrderAccepted>(OrderServiceHost.Json, Ct))!;
        OrderStatus second = await service.WaitForStatusAsync(created.Id, OrderStatuses.Processed, version: 2);

        Assert.Equal(27.97m, first.Receipt?.Total);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal(new OrderAccepted(created.Id, 2, OrderStatuses.Accepted), updated);
        Assert.Equal(52.50m, second.Receipt?.Total);
        Assert.Equal(2, second.Receipt?.Version);
        Assert.Equal("GBP", second.Receipt?.Currency);
        Assert.Equal("Ada Lovelace", second.Customer);

        OrderDocument? document = await service.ReadJsonAsync<OrderDocument>(OrderStore.OrderKey(created.Id));
        OrderReceipt? receipt = await service.ReadJsonAsync<OrderReceipt>(OrderStore.ReceiptKey(created.Id));
        Assert.Equal(2, document?.Version);
        Assert.Equal(["book", "lamp"], document?.Lines.Select(l => l.Sku));
        Assert.Equal(2, receipt?.Version);
        Assert.Equal(52.50m, receipt?.Total);
        Assert.Equal(2, (await service.KeysAsync()).Count); // overwritten in place, no copies
        await service.WaitForEmptyQueueAsync(service.Queue);
        service.AssertKumoSafe();
    }

    [Fact]
    public async Task Updating_an_unknown_order_is_404_and_an_invalid_update_changes_nothing()
    {
        await using OrderServiceHost service = await OrderServiceHost.StartAsync(shared.Engine, "badupdate");
        OrderAccepted created = await service.PostAsync(OrderServiceHost.SampleOrder());
        await service.WaitForStatusAsync(created.Id, OrderStatuses.Processed);

        using HttpResponseMessage unknown = await service.Http.PutAsJsonAsync("/orders/ord-badupdate-0999", OrderServiceHost.SampleOrder(), OrderServiceHost.Json, Ct);
        using HttpResponseMessage invalid = await service.Http.PutAsJsonAsync($"/orders/{created.Id}", new OrderRequest("Ada", []), OrderServiceHost.Json, Ct);
        OrderStatus? after = await service.GetStatusAsync(created.Id, Ct);

        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        Assert.Equal(1, after?.Version);
        Assert.Equal(OrderStatuses.Processed, after?.Status);
        Assert.Equal(0, await service.DepthAsync(service.Queue, Ct));
    }
}
