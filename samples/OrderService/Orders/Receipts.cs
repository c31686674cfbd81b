namespace OrderService.Orders;

/// <summary>Prices an order into a receipt.</summary>
public static class Receipts
{
    /// <summary>Builds the receipt of an order's current version.</summary>
    /// <param name="order">The order document.</param>
    /// <param name="processedAt">When (from the injected clock).</param>
    /// <param name="attempt">Which delivery of the message produced it.</param>
    /// <returns>The receipt, totals rounded to cents (half away from zero).</returns>
    public static OrderReceipt For(OrderDocument order, DateTimeOffset processedAt, int attempt)
    {
        ArgumentNullException.ThrowIfNull(order);
        ReceiptLine[] lines = [.. order.Lines.Select(l => new ReceiptLine(l.Sku, l.Quantity, l.UnitPrice, Math.Round(l.Quantity * l.UnitPrice, 2, MidpointRounding.AwayFromZero)))];
        return new OrderReceipt(order.Id, order.Version, order.Customer, order.Currency, lines, lines.Sum(l => l.LineTotal), processedAt, attempt);
    }
}
