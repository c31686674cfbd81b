namespace OrderService.Orders;

/// <summary>Makes order ids. Replace it (e.g. with a sequence) to get deterministic ids in tests.</summary>
public interface IOrderIdGenerator
{
    /// <summary>Returns a new, unique order id made of letters, digits and dashes.</summary>
    /// <returns>The id.</returns>
    string NewId();
}
