namespace OrderService.Orders;

/// <summary>The body of <c>POST /orders</c> and <c>PUT /orders/{id}</c>.</summary>
/// <param name="Customer">Who ordered.</param>
/// <param name="Lines">What was ordered; at least one line.</param>
/// <param name="Currency">ISO 4217 code; default EUR.</param>
public sealed record OrderRequest(string? Customer, IReadOnlyList<OrderLine>? Lines, string? Currency = null);

/// <summary>One line of an order.</summary>
/// <param name="Sku">The article.</param>
/// <param name="Quantity">How many, at least 1.</param>
/// <param name="UnitPrice">The price of one, zero or more.</param>
public sealed record OrderLine(string Sku, int Quantity, decimal UnitPrice);

/// <summary>The stored order (<c>orders/&lt;id&gt;.json</c>); each update raises <see cref="Version"/>.</summary>
public sealed record OrderDocument(string Id, int Version, string Customer, string Currency, IReadOnlyList<OrderLine> Lines, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

/// <summary>The queue message: which order (and which version of it) to process.</summary>
public sealed record OrderMessage(string OrderId, int Version);

/// <summary>A priced line of a receipt.</summary>
public sealed record ReceiptLine(string Sku, int Quantity, decimal UnitPrice, decimal LineTotal);

/// <summary>The result of processing an order (<c>receipts/&lt;id&gt;.json</c>).</summary>
/// <param name="Attempt">Which delivery of the message produced it (SQS <c>ApproximateReceiveCount</c>).</param>
public sealed record OrderReceipt(string OrderId, int Version, string Customer, string Currency, IReadOnlyList<ReceiptLine> Lines, decimal Total, DateTimeOffset ProcessedAt, int Attempt);

/// <summary>Why an order's message was dead-lettered (<c>failures/&lt;id&gt;.json</c>).</summary>
public sealed record OrderFailure(string OrderId, int Version, string Reason, int Attempts, DateTimeOffset FailedAt);

/// <summary>
/// The last failed delivery of an order's message that will be retried (<c>attempts/&lt;id&gt;.json</c>): written before
/// the retry is scheduled, so whoever watches the bucket sees every retry as it happens.
/// </summary>
/// <param name="Attempt">Which delivery failed (SQS <c>ApproximateReceiveCount</c>).</param>
/// <param name="Error">The error's type and message.</param>
/// <param name="RetryAt">When the message becomes visible again.</param>
public sealed record OrderAttempt(string OrderId, int Version, int Attempt, string Error, DateTimeOffset RetryAt);

/// <summary>The answer of <c>POST</c>/<c>PUT</c>: the order is stored and queued.</summary>
public sealed record OrderAccepted(string Id, int Version, string Status);

/// <summary>The answer of <c>GET /orders/{id}</c>.</summary>
/// <param name="Status"><c>Pending</c>, <c>Processed</c> (a receipt for the current version exists) or <c>Failed</c>.</param>
public sealed record OrderStatus(string Id, int Version, string Status, string Customer, OrderReceipt? Receipt, OrderFailure? Failure);
