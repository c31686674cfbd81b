using OrderService.Messaging;
using OrderService.Storage;

namespace OrderService.Orders;

/// <summary>The HTTP API: <c>POST /orders</c>, <c>PUT /orders/{id}</c>, <c>GET /orders/{id}</c>.</summary>
public static class OrderEndpoints
{
    /// <summary>The default currency of an order.</summary>
    public const string DefaultCurrency = "EUR";

    /// <summary>Maps the order endpoints.</summary>
    /// <param name="app">The route builder.</param>
    /// <returns>The same builder.</returns>
    public static IEndpointRouteBuilder MapOrderEndpoints(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        RouteGroupBuilder orders = app.MapGroup("/orders");
        orders.MapPost("/", CreateAsync);
        orders.MapPut("/{id}", UpdateAsync);
        orders.MapGet("/{id}", GetAsync);
        return app;
    }

    private static async Task<IResult> CreateAsync(OrderRequest? request, IOrderIdGenerator ids, OrderStore store, OrderStatusTable statuses, OrderQueue queue, TimeProvider time, CancellationToken cancellationToken)
    {
        Dictionary<string, string[]> errors = OrderValidation.Validate(request);
        if (errors.Count > 0)
        {
            return Results.ValidationProblem(errors);
        }

        string id = ids.NewId();
        if (!OrderIds.IsValid(id))
        {
            throw new InvalidOperationException($"{ids.GetType().Name} returned the order id '{id}'; ids must be 1-100 letters, digits or dashes.");
        }

        DateTimeOffset now = time.GetUtcNow();
        var order = new OrderDocument(id, 1, request!.Customer!.Trim(), request.Currency ?? DefaultCurrency, request.Lines!, now, now);
        await store.SaveOrderAsync(order, cancellationToken);
        await statuses.RecordAcceptedAsync(id, order.Version, cancellationToken);
        await queue.EnqueueAsync(new OrderMessage(id, order.Version), cancellationToken);
        return Results.Accepted($"/orders/{id}", new OrderAccepted(id, order.Version, OrderStatuses.Accepted));
    }

    private static async Task<IResult> UpdateAsync(string id, OrderRequest? request, OrderStore store, OrderStatusTable statuses, OrderQueue queue, TimeProvider time, CancellationToken cancellationToken)
    {
        if (!OrderIds.IsValid(id) || await store.GetOrderAsync(id, cancellationToken) is not { } existing)
        {
            return NotFound(id);
        }

        Dictionary<string, string[]> errors = OrderValidation.Validate(request);
        if (errors.Count > 0)
        {
            return Results.ValidationProblem(errors);
        }

        OrderDocument updated = existing with
        {
            Version = existing.Version + 1,
            Customer = request!.Customer!.Trim(),
            Currency = request.Currency ?? existing.Currency,
            Lines = request.Lines!,
            UpdatedAt = time.GetUtcNow(),
        };
        await store.SaveOrderAsync(updated, cancellationToken);
        await statuses.RecordAcceptedAsync(id, updated.Version, cancellationToken);
        await queue.EnqueueAsync(new OrderMessage(id, updated.Version), cancellationToken);
        return Results.Accepted($"/orders/{id}", new OrderAccepted(id, updated.Version, OrderStatuses.Accepted));
    }

    private static async Task<IResult> GetAsync(string id, OrderStore store, CancellationToken cancellationToken)
    {
        if (!OrderIds.IsValid(id) || await store.GetOrderAsync(id, cancellationToken) is not { } order)
        {
            return NotFound(id);
        }

        OrderReceipt? receipt = await store.GetReceiptAsync(id, cancellationToken);
        OrderFailure? failure = await store.GetFailureAsync(id, cancellationToken);
        string status = receipt?.Version == order.Version ? OrderStatuses.Processed
            : failure?.Version == order.Version ? OrderStatuses.Failed
            : OrderStatuses.Pending;
        return Results.Ok(new OrderStatus(order.Id, order.Version, status, order.Customer, receipt, failure?.Version == order.Version ? failure : null));
    }

    private static IResult NotFound(string id) =>
        Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Order not found", detail: $"There is no order '{id}'.");
}
