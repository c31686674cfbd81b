using System.Diagnostics;
using Kumo.Testing;
using OrderService.Orders;
using OrderService.Processing;
using OrderService.Setup;
using OrderService.Tests.Infrastructure;

namespace OrderService.Tests;

/// <summary>Transient failures are retried with a bounded, deterministic backoff.</summary>
public sealed class OrderRetryTests(SharedEngine shared)
{
    [Fact]
    [Trait(KumoTestSuites.Trait, KumoTestSuites.Smoke)]
    public async Task Transient_failures_are_retried_after_the_backoff_until_the_order_is_processed()
    {
        const string target = "ord-retry-0001";
        var hook = new FaultInjectionHook(a => a.OrderId == target && a.Attempt <= 2 ? new TimeoutException($"injected transient fault on delivery {a.Attempt}") : null);
        await using OrderServiceHost service = await OrderServiceHost.StartAsync(shared.Engine, "retry", hook);
        var clock = Stopwatch.StartNew();

        OrderAccepted accepted = await service.PostAsync(OrderServiceHost.SampleOrder());
        OrderStatus processed = await service.WaitForStatusAsync(accepted.Id, OrderStatuses.Processed);
        TimeSpan took = clock.Elapsed;

        Assert.Equal(target, accepted.Id);
        Assert.Equal(3, processed.Receipt?.Attempt); // delivered three times: two injected failures, then success
        Assert.Null(processed.Failure);
        // The message was hidden for 1 s after the first failure and 2 s after the second (visibility is whole seconds).
        Assert.True(took >= TimeSpan.FromSeconds(2.9), $"processed after {took.TotalSeconds:0.00} s; the 1 s + 2 s backoff was not applied");
        await service.WaitForEmptyQueueAsync(service.Queue);
        Assert.Equal(0, await service.DepthAsync(service.DeadLetterQueue, TestContext.Current.CancellationToken));
        service.AssertKumoSafe();
    }

    [Fact]
    public async Task Other_orders_are_not_held_up_by_one_being_retried()
    {
        var hook = new FaultInjectionHook(a => a.OrderId == "ord-lane-0001" && a.Attempt == 1 ? new TimeoutException("injected transient fault") : null);
        await using OrderServiceHost service = await OrderServiceHost.StartAsync(shared.Engine, "lane", hook, s => s["Orders:RetryBaseDelaySeconds"] = "2");

        OrderAccepted slow = await service.PostAsync(OrderServiceHost.SampleOrder("slow"));
        OrderAccepted fast = await service.PostAsync(OrderServiceHost.SampleOrder("fast"));
        OrderStatus fastDone = await service.WaitForStatusAsync(fast.Id, OrderStatuses.Processed);
        OrderStatus? slowMeanwhile = await service.GetStatusAsync(slow.Id, TestContext.Current.CancellationToken);
        OrderStatus slowDone = await service.WaitForStatusAsync(slow.Id, OrderStatuses.Processed);

        Assert.Equal(1, fastDone.Receipt?.Attempt);
        Assert.Equal(OrderStatuses.Pending, slowMeanwhile?.Status);
        Assert.Equal(2, slowDone.Receipt?.Attempt);
        service.AssertKumoSafe();
    }

    [Theory]
    [InlineData(1, 2, 60, 2)]
    [InlineData(2, 2, 60, 4)]
    [InlineData(3, 2, 60, 8)]
    [InlineData(6, 2, 60, 60)]
    [InlineData(40, 2, 60, 60)]
    [InlineData(3, 0, 60, 0)]
    public void Backoff_doubles_from_the_base_and_is_capped(int attempt, int baseSeconds, int maxSeconds, int expectedSeconds)
    {
        var options = new OrdersOptions { RetryBaseDelaySeconds = baseSeconds, RetryMaxDelaySeconds = maxSeconds };

        Assert.Equal(TimeSpan.FromSeconds(expectedSeconds), RetryBackoff.DelayAfter(attempt, options));
    }
}
