using System.Globalization;
using System.Text.Json;
using Amazon.SQS.Model;
using Microsoft.Extensions.Options;
using OrderService.Messaging;
using OrderService.Orders;
using OrderService.Setup;
using OrderService.Storage;

namespace OrderService.Processing;

/// <summary>
/// Drains the order queue: for each message, reads the order from S3, claims it in the DynamoDB status table (a
/// conditional write, so a duplicate delivery is never processed twice), writes its receipt, completes the claim and
/// deletes the message.
/// </summary>
/// <remarks>
/// <para>
/// <b>Transient failures</b> (anything but a poison message) are retried: the message's visibility is set to the
/// deterministic backoff of <see cref="RetryBackoff"/>, so SQS delivers it again after that delay, with its
/// <c>ApproximateReceiveCount</c> raised. If the worker dies instead, the message comes back after the visibility
/// timeout all the same.
/// </para>
/// <para>
/// <b>Poison messages</b> go to the dead-letter queue with a <c>failure-reason</c> attribute: at once when no retry
/// can help (unparseable body, unknown order), and after <c>Orders:MaxAttempts</c> failed deliveries otherwise.
/// The queue's <c>RedrivePolicy</c> (<c>maxReceiveCount</c> = MaxAttempts + 1) is the backstop for a message that
/// keeps crashing the worker before it can decide.
/// </para>
/// </remarks>
internal sealed partial class OrderProcessor(
    OrderQueue queue,
    OrderStore store,
    OrderStatusTable statuses,
    IOptions<OrdersOptions> options,
    IEnumerable<IOrderProcessingHook> hooks,
    TimeProvider time,
    ILogger<OrderProcessor> logger) : BackgroundService
{
    private readonly IOrderProcessingHook[] _hooks = [.. hooks];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        OrdersOptions settings = options.Value;
        while (!stoppingToken.IsCancellationRequested)
        {
            IReadOnlyList<Message> messages;
            try
            {
                messages = await queue.ReceiveAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                LogReceiveFailed(logger, settings.Queue, settings.PollErrorDelaySeconds, ex);
                try
                {
                    await Task.Delay(TimeSpan.FromSeconds(settings.PollErrorDelaySeconds), time, stoppingToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                continue;
            }

            foreach (Message message in messages)
            {
                await HandleAsync(message, settings, stoppingToken).ConfigureAwait(false);
            }
        }
    }

    private async Task HandleAsync(Message message, OrdersOptions settings, CancellationToken cancellationToken)
    {
        int attempt = ReceiveCount(message);
        OrderMessage? parsed = null;
        try
        {
            parsed = Parse(message.Body);
            foreach (IOrderProcessingHook hook in _hooks)
            {
                await hook.BeforeProcessingAsync(new OrderProcessingAttempt(parsed.OrderId, parsed.Version, attempt), cancellationToken).ConfigureAwait(false);
            }

            OrderDocument order = await store.GetOrderAsync(parsed.OrderId, cancellationToken).ConfigureAwait(false)
                ?? throw new PoisonMessageException($"Order '{parsed.OrderId}' does not exist (no {OrderStore.OrderKey(parsed.OrderId)} in bucket '{settings.Bucket}').");

            // Always the current version: a stale message processes the latest one, and a duplicate of a version that is
            // done (or that another worker holds) is not processed again: the conditional claim lets exactly one win.
            string token = Guid.NewGuid().ToString("N");
            switch (await statuses.TryClaimAsync(order.Id, order.Version, token, cancellationToken).ConfigureAwait(false))
            {
                case ClaimOutcome.AlreadyProcessed:
                    await queue.DeleteAsync(message, cancellationToken).ConfigureAwait(false);
                    LogDuplicate(logger, order.Id, order.Version, attempt);
                    return;
                case ClaimOutcome.ClaimedElsewhere:
                    throw new InvalidOperationException($"Order '{order.Id}' v{order.Version} is being processed by another worker; this delivery is retried.");
            }

            try
            {
                OrderReceipt receipt = Receipts.For(order, time.GetUtcNow(), attempt);
                await store.SaveReceiptAsync(receipt, cancellationToken).ConfigureAwait(false);
                await statuses.CompleteAsync(order.Id, order.Version, token, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception) when (!cancellationToken.IsCancellationRequested)
            {
                await statuses.ReleaseAsync(order.Id, token, CancellationToken.None).ConfigureAwait(false);
                throw;
            }

            await queue.DeleteAsync(message, cancellationToken).ConfigureAwait(false);
            LogProcessed(logger, order.Id, order.Version, attempt);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Shutting down: the message becomes visible again after its visibility timeout.
        }
        catch (PoisonMessageException ex)
        {
            await DeadLetterAsync(message, parsed, ex.Message, attempt, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            if (attempt >= settings.MaxAttempts)
            {
                string reason = $"Failed {attempt} times (Orders:MaxAttempts = {settings.MaxAttempts}); last error: {ex.GetType().Name}: {ex.Message}";
                await DeadLetterAsync(message, parsed, reason, attempt, cancellationToken).ConfigureAwait(false);
                return;
            }

            TimeSpan delay = RetryBackoff.DelayAfter(attempt, settings);
            LogRetrying(logger, parsed?.OrderId ?? message.MessageId, attempt, settings.MaxAttempts, delay.TotalSeconds, ex);
            try
            {
                if (parsed is not null)
                {
                    await store.SaveAttemptAsync(new OrderAttempt(parsed.OrderId, parsed.Version, attempt, $"{ex.GetType().Name}: {ex.Message}", time.GetUtcNow() + delay), cancellationToken).ConfigureAwait(false);
                }

                await queue.RetryLaterAsync(message, delay, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception retryError) when (retryError is not OperationCanceledException)
            {
                // The message still comes back, after the full visibility timeout.
                LogRetryScheduleFailed(logger, message.MessageId, retryError);
            }
        }
    }

    private async Task DeadLetterAsync(Message message, OrderMessage? parsed, string reason, int attempt, CancellationToken cancellationToken)
    {
        try
        {
            if (parsed is not null)
            {
                await store.SaveFailureAsync(new OrderFailure(parsed.OrderId, parsed.Version, reason, attempt, time.GetUtcNow()), cancellationToken).ConfigureAwait(false);
            }

            await queue.DeadLetterAsync(message, reason, attempt, cancellationToken).ConfigureAwait(false);
            LogDeadLettered(logger, message.MessageId, parsed?.OrderId ?? "(unparseable)", reason);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Not moved: the message is delivered again; the queue's redrive policy is the backstop.
            LogDeadLetterFailed(logger, message.MessageId, ex);
        }
    }

    private static OrderMessage Parse(string body)
    {
        OrderMessage? message;
        try
        {
            message = JsonSerializer.Deserialize(body, OrderJsonContext.Default.OrderMessage);
        }
        catch (JsonException ex)
        {
            throw new PoisonMessageException($"Unparseable message body: {ex.Message}", ex);
        }

        if (message is null || !OrderIds.IsValid(message.OrderId) || message.Version < 1)
        {
            throw new PoisonMessageException("Unparseable message body: expected {\"orderId\":\"<letters, digits, dashes>\",\"version\":<1 or more>}.");
        }

        return message;
    }

    private static int ReceiveCount(Message message) =>
        message.Attributes is { } attributes
        && attributes.TryGetValue("ApproximateReceiveCount", out string? value)
        && int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int count)
        && count > 0
            ? count
            : 1;

    [LoggerMessage(Level = LogLevel.Information, Message = "Processed order {OrderId} v{Version} (delivery {Attempt})")]
    private static partial void LogProcessed(ILogger logger, string orderId, int version, int attempt);

    [LoggerMessage(Level = LogLevel.Information, Message = "Skipped order {OrderId} v{Version} (delivery {Attempt}): already processed, a duplicate delivery")]
    private static partial void LogDuplicate(ILogger logger, string orderId, int version, int attempt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Order {OrderId} failed on delivery {Attempt} of {MaxAttempts}; retrying in {DelaySeconds} s")]
    private static partial void LogRetrying(ILogger logger, string orderId, int attempt, int maxAttempts, double delaySeconds, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not schedule the retry of message {MessageId}; it returns after the visibility timeout")]
    private static partial void LogRetryScheduleFailed(ILogger logger, string messageId, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Dead-lettered message {MessageId} (order {OrderId}): {Reason}")]
    private static partial void LogDeadLettered(ILogger logger, string messageId, string orderId, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not dead-letter message {MessageId}; it will be delivered again")]
    private static partial void LogDeadLetterFailed(ILogger logger, string messageId, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Receiving from queue '{Queue}' failed; polling again in {DelaySeconds} s")]
    private static partial void LogReceiveFailed(ILogger logger, string queue, int delaySeconds, Exception exception);
}
