using System.Text.RegularExpressions;

namespace OrderService.Orders;

/// <summary>The shape of an order id: it becomes part of S3 keys, so only letters, digits and dashes.</summary>
public static partial class OrderIds
{
    /// <summary>True when <paramref name="id"/> is 1–100 letters, digits or dashes, starting with a letter or digit.</summary>
    /// <param name="id">The candidate id.</param>
    /// <returns>Whether it is a valid order id.</returns>
    public static bool IsValid(string? id) => id is not null && Pattern().IsMatch(id);

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9-]{0,99}$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
