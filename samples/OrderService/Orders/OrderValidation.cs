using System.Text.RegularExpressions;

namespace OrderService.Orders;

/// <summary>Checks an <see cref="OrderRequest"/>; errors are keyed by the JSON path of the field.</summary>
internal static partial class OrderValidation
{
    internal const int MaxLines = 100;

    internal static Dictionary<string, string[]> Validate(OrderRequest? request)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (request is null)
        {
            errors["$"] = ["The body must be a JSON order: {\"customer\":\"...\",\"lines\":[{\"sku\":\"...\",\"quantity\":1,\"unitPrice\":9.5}]}."];
            return errors;
        }

        if (string.IsNullOrWhiteSpace(request.Customer))
        {
            errors["customer"] = ["Required: who placed the order."];
        }

        if (request.Currency is { } currency && !CurrencyPattern().IsMatch(currency))
        {
            errors["currency"] = [$"'{currency}' is not an ISO 4217 code such as EUR."];
        }

        if (request.Lines is null || request.Lines.Count == 0)
        {
            errors["lines"] = ["Required: at least one line."];
            return errors;
        }

        if (request.Lines.Count > MaxLines)
        {
            errors["lines"] = [$"At most {MaxLines} lines."];
        }

        for (int i = 0; i < request.Lines.Count; i++)
        {
            OrderLine? line = request.Lines[i];
            if (line is null)
            {
                errors[$"lines[{i}]"] = ["A line must be an object."];
                continue;
            }

            if (string.IsNullOrWhiteSpace(line.Sku))
            {
                errors[$"lines[{i}].sku"] = ["Required."];
            }

            if (line.Quantity < 1)
            {
                errors[$"lines[{i}].quantity"] = [$"{line.Quantity} is not a quantity; use 1 or more."];
            }

            if (line.UnitPrice < 0)
            {
                errors[$"lines[{i}].unitPrice"] = [$"{line.UnitPrice} is negative."];
            }
        }

        return errors;
    }

    [GeneratedRegex("^[A-Z]{3}$", RegexOptions.CultureInvariant)]
    private static partial Regex CurrencyPattern();
}
