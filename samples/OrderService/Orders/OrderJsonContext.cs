using System.Text.Json;
using System.Text.Json.Serialization;

namespace OrderService.Orders;

/// <summary>Source-generated JSON for every document, message and HTTP body of the service (camelCase).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, WriteIndented = false)]
[JsonSerializable(typeof(OrderRequest))]
[JsonSerializable(typeof(OrderDocument))]
[JsonSerializable(typeof(OrderMessage))]
[JsonSerializable(typeof(OrderReceipt))]
[JsonSerializable(typeof(OrderFailure))]
[JsonSerializable(typeof(OrderAttempt))]
[JsonSerializable(typeof(OrderAccepted))]
[JsonSerializable(typeof(OrderStatus))]
public sealed partial class OrderJsonContext : JsonSerializerContext;
