using System.Globalization;
using System.Text.Json;
using Amazon.SQS;
using Amazon.SQS.Model;
using Microsoft.Extensions.Options;
using OrderService.Orders;
using OrderService.Setup;

namespace OrderService.Messaging;

/// <summary>
/// The SQS side of the service: the order queue and its dead-letter queue.
/// </summary>
public sealed class OrderQueue(IAmazonSQS sqs, IOptions<OrdersOptions> options)
{
    /// <summary>The message attribute of a dead-lettered message that says why.</summary>
    public const string FailureReasonAttribute = "failure-reason";

    /// <summary>The message attribute of a dead-lettered message that says how often it was received.</summary>
    public const string AttemptsAttribute = "attempts";

    /// <summary>The message attribute of a dead-lettered message that names the queue it came from.</summary>
    public const string SourceQueueAttribute = "source-queue";

    private string? _queueUrl;
    private string? _deadLetterUrl;

    private OrdersOptions Options => options.Value;

    /// <summary>Queues an order for processing.</summary>
    /// <param name="message">Which order and version.</param>
    /// <param name="cancellationToken">Cancels the send.</param>
    /// <returns>A task that completes when SQS has the message.</returns>
    public async Task EnqueueAsync(OrderMessage message, CancellationToken cancellationToken)
    {
        string url = await QueueUrlAsync(cancellationToken).ConfigureAwait(false);
        string body = JsonSerializer.Serialize(message, OrderJsonContext.Default.OrderMessage);
        await sqs.SendMessageAsync(new SendMessageRequest(url, body), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Waits (long polling) for up to ten messages, each invisible to others for the visibility timeout.</summary>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>The messages, possibly none.</returns>
    public async Task<IReadOnlyList<Message>> ReceiveAsync(CancellationToken cancellationToken)
    {
        string url = await QueueUrlAsync(cancellationToken).ConfigureAwait(false);
        ReceiveMessageResponse response = await sqs.ReceiveMessageAsync(
            new ReceiveMessageRequest(url)
            {
                MaxNumberOfMessages = 10,
                WaitTimeSeconds = Options.WaitTimeSeconds,
                VisibilityTimeout = Options.VisibilityTimeoutSeconds,
                MessageSystemAttributeNames = ["ApproximateReceiveCount"],
            },
            cancellationToken).ConfigureAwait(false);
        return response.Messages ?? [];
    }

    /// <summary>Removes a processed message.</summary>
    /// <param name="message">The message.</param>
    /// <param name="cancellationToken">Cancels the delete.</param>
    /// <returns>A task that completes when the message is gone.</returns>
    public async Task DeleteAsync(Message message, CancellationToken cancellationToken)
    {
        string url = await QueueUrlAsync(cancellationToken).ConfigureAwait(false);
        await sqs.DeleteMessageAsync(url, message.ReceiptHandle, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Makes a message visible again after <paramref name="delay"/> (the retry backoff).</summary>
    /// <param name="message">The message.</param>
    /// <param name="delay">The backoff, rounded up to whole seconds.</param>
    /// <param name="cancellationToken">Cancels the change.</param>
    /// <returns>A task that completes when SQS has the new visibility.</returns>
    public async Task RetryLaterAsync(Message message, TimeSpan delay, CancellationToken cancellationToken)
    {
        string url = await QueueUrlAsync(cancellationToken).ConfigureAwait(false);
        int seconds = (int)Math.Ceiling(delay.TotalSeconds);
        await sqs.ChangeMessageVisibilityAsync(url, message.ReceiptHandle, seconds, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Copies a message to the dead-letter queue with the reason, then deletes it from the order queue.</summary>
    /// <param name="message">The message.</param>
    /// <param name="reason">Why it cannot be processed.</param>
    /// <param name="attempts">How often it was received.</param>
    /// <param name="cancellationToken">Cancels the move.</param>
    /// <returns>A task that completes when the message has moved.</returns>
    public async Task DeadLetterAsync(Message message, string reason, int attempts, CancellationToken cancellationToken)
    {
        string deadLetterUrl = await DeadLetterUrlAsync(cancellationToken).ConfigureAwait(false);
        var request = new SendMessageRequest(deadLetterUrl, message.Body)
        {
            MessageAttributes = new Dictionary<string, MessageAttributeValue>(StringComparer.Ordinal)
            {
                [FailureReasonAttribute] = new() { DataType = "String", StringValue = Truncate(reason, 1024) },
                [AttemptsAttribute] = new() { DataType = "Number", StringValue = attempts.ToString(CultureInfo.InvariantCulture) },
                [SourceQueueAttribute] = new() { DataType = "String", StringValue = Options.Queue },
            },
        };
        await sqs.SendMessageAsync(request, cancellationToken).ConfigureAwait(false);
        await DeleteAsync(message, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The order queue's URL (looked up once).</summary>
    /// <param name="cancellationToken">Cancels the lookup.</param>
    /// <returns>The URL.</returns>
    public async Task<string> QueueUrlAsync(CancellationToken cancellationToken) =>
        _queueUrl ??= (await sqs.GetQueueUrlAsync(Options.Queue, cancellationToken).ConfigureAwait(false)).QueueUrl;

    /// <summary>The dead-letter queue's URL (looked up once).</summary>
    /// <param name="cancellationToken">Cancels the lookup.</param>
    /// <returns>The URL.</returns>
    public async Task<string> DeadLetterUrlAsync(CancellationToken cancellationToken) =>
        _deadLetterUrl ??= (await sqs.GetQueueUrlAsync(Options.DeadLetterQueue, cancellationToken).ConfigureAwait(false)).QueueUrl;

    private static string Truncate(string value, int length) => value.Length <= length ? value : value[..length];
}
