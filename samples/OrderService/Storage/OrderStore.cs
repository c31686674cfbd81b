using System.Net;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Amazon.S3;
using Amazon.S3.Model;
using Microsoft.Extensions.Options;
using OrderService.Orders;
using OrderService.Setup;

namespace OrderService.Storage;

/// <summary>
/// The S3 side of the service: <c>orders/&lt;id&gt;.json</c>, <c>receipts/&lt;id&gt;.json</c> and
/// <c>failures/&lt;id&gt;.json</c> in the configured bucket. Each document is written whole in one PutObject, so a
/// reader sees the old or the new version, never a mix.
/// </summary>
public sealed class OrderStore(IAmazonS3 s3, IOptions<OrdersOptions> options)
{
    private string Bucket => options.Value.Bucket;

    /// <summary>The key of an order document.</summary>
    /// <param name="orderId">The order id.</param>
    /// <returns><c>orders/&lt;id&gt;.json</c>.</returns>
    public static string OrderKey(string orderId) => $"orders/{orderId}.json";

    /// <summary>The key of a receipt.</summary>
    /// <param name="orderId">The order id.</param>
    /// <returns><c>receipts/&lt;id&gt;.json</c>.</returns>
    public static string ReceiptKey(string orderId) => $"receipts/{orderId}.json";

    /// <summary>The key of a failure record.</summary>
    /// <param name="orderId">The order id.</param>
    /// <returns><c>failures/&lt;id&gt;.json</c>.</returns>
    public static string FailureKey(string orderId) => $"failures/{orderId}.json";

    /// <summary>The key of an order's last retried delivery.</summary>
    /// <param name="orderId">The order id.</param>
    /// <returns><c>attempts/&lt;id&gt;.json</c>.</returns>
    public static string AttemptKey(string orderId) => $"attempts/{orderId}.json";

    /// <summary>Writes (or overwrites) an order document.</summary>
    /// <param name="order">The order.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when S3 has the document.</returns>
    public Task SaveOrderAsync(OrderDocument order, CancellationToken cancellationToken) =>
        PutAsync(OrderKey(order.Id), order, OrderJsonContext.Default.OrderDocument, cancellationToken);

    /// <summary>Reads an order document.</summary>
    /// <param name="orderId">The order id.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The order, or null when there is none.</returns>
    public Task<OrderDocument?> GetOrderAsync(string orderId, CancellationToken cancellationToken) =>
        GetAsync(OrderKey(orderId), OrderJsonContext.Default.OrderDocument, cancellationToken);

    /// <summary>Writes (or overwrites) a receipt.</summary>
    /// <param name="receipt">The receipt.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when S3 has the receipt.</returns>
    public Task SaveReceiptAsync(OrderReceipt receipt, CancellationToken cancellationToken) =>
        PutAsync(ReceiptKey(receipt.OrderId), receipt, OrderJsonContext.Default.OrderReceipt, cancellationToken);

    /// <summary>Reads a receipt.</summary>
    /// <param name="orderId">The order id.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The receipt, or null when there is none.</returns>
    public Task<OrderReceipt?> GetReceiptAsync(string orderId, CancellationToken cancellationToken) =>
        GetAsync(ReceiptKey(orderId), OrderJsonContext.Default.OrderReceipt, cancellationToken);

    /// <summary>Writes a failure record.</summary>
    /// <param name="failure">Why the order was dead-lettered.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when S3 has the record.</returns>
    public Task SaveFailureAsync(OrderFailure failure, CancellationToken cancellationToken) =>
        PutAsync(FailureKey(failure.OrderId), failure, OrderJsonContext.Default.OrderFailure, cancellationToken);

    /// <summary>Reads a failure record.</summary>
    /// <param name="orderId">The order id.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The record, or null when there is none.</returns>
    public Task<OrderFailure?> GetFailureAsync(string orderId, CancellationToken cancellationToken) =>
        GetAsync(FailureKey(orderId), OrderJsonContext.Default.OrderFailure, cancellationToken);

    /// <summary>Writes the record of a failed delivery that will be retried.</summary>
    /// <param name="attempt">The failed delivery.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when S3 has the record.</returns>
    public Task SaveAttemptAsync(OrderAttempt attempt, CancellationToken cancellationToken) =>
        PutAsync(AttemptKey(attempt.OrderId), attempt, OrderJsonContext.Default.OrderAttempt, cancellationToken);

    private async Task PutAsync<T>(string key, T document, JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken)
    {
        byte[] body = JsonSerializer.SerializeToUtf8Bytes(document, typeInfo);
        await s3.PutObjectAsync(
            new PutObjectRequest { BucketName = Bucket, Key = key, InputStream = new MemoryStream(body), ContentType = "application/json" },
            cancellationToken).ConfigureAwait(false);
    }

    private async Task<T?> GetAsync<T>(string key, JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken)
        where T : class
    {
        try
        {
            using GetObjectResponse response = await s3.GetObjectAsync(Bucket, key, cancellationToken).ConfigureAwait(false);
            return await JsonSerializer.DeserializeAsync(response.ResponseStream, typeInfo, cancellationToken).ConfigureAwait(false);
        }
        catch (AmazonS3Exception ex) when (ex.StatusCode == HttpStatusCode.NotFound && ex.ErrorCode == "NoSuchKey")
        {
            return null;
        }
    }
}
