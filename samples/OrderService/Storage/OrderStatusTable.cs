using System.Globalization;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Microsoft.Extensions.Options;
using OrderService.Orders;
using OrderService.Setup;

namespace OrderService.Storage;

/// <summary>
/// The DynamoDB side of the service: one row per order in <c>Orders:StatusTable</c> (hash key <c>OrderId</c>) with its
/// status, and the conditional writes that make processing exactly-once under duplicate delivery.
/// </summary>
/// <remarks>
/// <para>
/// SQS delivers at least once, so two workers can hold the same order at once (a duplicate send, or a redelivery after
/// the visibility timeout). A worker first <b>claims</b> the version with one conditional <c>UpdateItem</c>: it succeeds
/// only when no later-or-equal version is processed and no other claim is live. Exactly one of two racing workers wins;
/// the other gets <see cref="ConditionalCheckFailedException"/>, reads the row and drops a duplicate or retries later.
/// The winner writes the receipt and <b>completes</b> the claim (again conditional, on its own claim token), which
/// records the processed version and counts the completion.
/// </para>
/// <para>A claim expires after <c>Orders:VisibilityTimeoutSeconds</c>, so a worker that died mid-way does not block the order.</para>
/// </remarks>
public sealed class OrderStatusTable(IAmazonDynamoDB dynamo, IOptions<OrdersOptions> options, TimeProvider time)
{
    /// <summary>The table's hash key attribute.</summary>
    public const string KeyAttribute = "OrderId";

    /// <summary>The status while a worker holds a claim.</summary>
    public const string Processing = "Processing";

    private const string ClaimCondition =
        "(attribute_not_exists(ProcessedVersion) OR ProcessedVersion < :v) AND (attribute_not_exists(ClaimExpires) OR ClaimExpires < :now)";

    private string Table => options.Value.StatusTable;

    /// <summary>Creates the table (on-demand billing) unless it exists.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the table exists.</returns>
    public async Task EnsureTableAsync(CancellationToken cancellationToken)
    {
        try
        {
            await dynamo.CreateTableAsync(
                new CreateTableRequest
                {
                    TableName = Table,
                    KeySchema = [new KeySchemaElement(KeyAttribute, KeyType.HASH)],
                    AttributeDefinitions = [new AttributeDefinition(KeyAttribute, ScalarAttributeType.S)],
                    BillingMode = BillingMode.PAY_PER_REQUEST,
                },
                cancellationToken).ConfigureAwait(false);
        }
        catch (ResourceInUseException)
        {
            // Exists already (seeded, or made by an earlier start).
        }
    }

    /// <summary>Records that the API accepted <paramref name="version"/>; an older version never overwrites a newer one.</summary>
    /// <param name="orderId">The order id.</param>
    /// <param name="version">The accepted version.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when the row is written.</returns>
    public async Task RecordAcceptedAsync(string orderId, int version, CancellationToken cancellationToken)
    {
        try
        {
            await dynamo.UpdateItemAsync(
                new UpdateItemRequest
                {
                    TableName = Table,
                    Key = Key(orderId),
                    UpdateExpression = "SET #status = :accepted, LatestVersion = :v, UpdatedAt = :now",
                    ConditionExpression = "attribute_not_exists(LatestVersion) OR LatestVersion < :v",
                    ExpressionAttributeNames = new() { ["#status"] = "Status" },
                    ExpressionAttributeValues = new()
                    {
                        [":accepted"] = new(OrderStatuses.Accepted),
                        [":v"] = Number(version),
                        [":now"] = new(time.GetUtcNow().ToString("O", CultureInfo.InvariantCulture)),
                    },
                },
                cancellationToken).ConfigureAwait(false);
        }
        catch (ConditionalCheckFailedException)
        {
            // A newer version is recorded already; this one changes nothing.
        }
    }

    /// <summary>The conditional write that claims <paramref name="version"/> of an order for one worker.</summary>
    /// <param name="table">The status table.</param>
    /// <param name="orderId">The order id.</param>
    /// <param name="version">The version to process.</param>
    /// <param name="token">The claim's unique token.</param>
    /// <param name="now">The current time.</param>
    /// <param name="lease">How long the claim stays live.</param>
    /// <returns>The request; DynamoDB rejects it with <see cref="ConditionalCheckFailedException"/> when the claim is not free.</returns>
    public static UpdateItemRequest ClaimRequest(string table, string orderId, int version, string token, DateTimeOffset now, TimeSpan lease) => new()
    {
        TableName = table,
        Key = Key(orderId),
        UpdateExpression = "SET #status = :processing, ClaimToken = :token, ClaimExpires = :expires, ClaimedVersion = :v",
        ConditionExpression = ClaimCondition,
        ExpressionAttributeNames = new() { ["#status"] = "Status" },
        ExpressionAttributeValues = new()
        {
            [":processing"] = new(Processing),
            [":token"] = new(token),
            [":expires"] = Number((now + lease).ToUnixTimeMilliseconds()),
            [":now"] = Number(now.ToUnixTimeMilliseconds()),
            [":v"] = Number(version),
        },
    };

    /// <summary>Tries to claim <paramref name="version"/> of an order for this worker.</summary>
    /// <param name="orderId">The order id.</param>
    /// <param name="version">The version to process.</param>
    /// <param name="token">A token unique to this attempt; <see cref="CompleteAsync"/> and <see cref="ReleaseAsync"/> need it.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>Whether this worker won, the version is done already, or another worker holds it.</returns>
    public async Task<ClaimOutcome> TryClaimAsync(string orderId, int version, string token, CancellationToken cancellationToken)
    {
        TimeSpan lease = TimeSpan.FromSeconds(options.Value.VisibilityTimeoutSeconds);
        try
        {
            await dynamo.UpdateItemAsync(ClaimRequest(Table, orderId, version, token, time.GetUtcNow(), lease), cancellationToken).ConfigureAwait(false);
            return ClaimOutcome.Claimed;
        }
        catch (ConditionalCheckFailedException)
        {
            OrderProcessingState? state = await GetAsync(orderId, cancellationToken).ConfigureAwait(false);
            return state is not null && state.ProcessedVersion >= version ? ClaimOutcome.AlreadyProcessed : ClaimOutcome.ClaimedElsewhere;
        }
    }

    /// <summary>Marks the claimed version processed and counts the completion, if the claim is still this worker's.</summary>
    /// <param name="orderId">The order id.</param>
    /// <param name="version">The processed version.</param>
    /// <param name="token">The token the claim was made with.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when the row is written.</returns>
    /// <exception cref="InvalidOperationException">The claim expired and another worker took it.</exception>
    public async Task CompleteAsync(string orderId, int version, string token, CancellationToken cancellationToken)
    {
        try
        {
            await dynamo.UpdateItemAsync(
                new UpdateItemRequest
                {
                    TableName = Table,
                    Key = Key(orderId),
                    UpdateExpression = "SET #status = :processed, ProcessedVersion = :v, UpdatedAt = :now, ProcessedCount = if_not_exists(ProcessedCount, :zero) + :one REMOVE ClaimToken, ClaimExpires, ClaimedVersion",
                    ConditionExpression = "ClaimToken = :token",
                    ExpressionAttributeNames = new() { ["#status"] = "Status" },
                    ExpressionAttributeValues = new()
                    {
                        [":processed"] = new(OrderStatuses.Processed),
                        [":v"] = Number(version),
                        [":now"] = new(time.GetUtcNow().ToString("O", CultureInfo.InvariantCulture)),
                        [":zero"] = Number(0),
                        [":one"] = Number(1),
                        [":token"] = new(token),
                    },
                },
                cancellationToken).ConfigureAwait(false);
        }
        catch (ConditionalCheckFailedException ex)
        {
            throw new InvalidOperationException($"The claim on order '{orderId}' v{version} expired and another worker took it; this delivery is retried.", ex);
        }
    }

    /// <summary>Gives up a claim after a failure, so a retry need not wait for the lease to expire.</summary>
    /// <param name="orderId">The order id.</param>
    /// <param name="token">The token the claim was made with.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when the claim is released (or was no longer this worker's).</returns>
    public async Task ReleaseAsync(string orderId, string token, CancellationToken cancellationToken)
    {
        try
        {
            await dynamo.UpdateItemAsync(
                new UpdateItemRequest
                {
                    TableName = Table,
                    Key = Key(orderId),
                    UpdateExpression = "REMOVE ClaimToken, ClaimExpires, ClaimedVersion",
                    ConditionExpression = "ClaimToken = :token",
                    ExpressionAttributeValues = new() { [":token"] = new(token) },
                },
                cancellationToken).ConfigureAwait(false);
        }
        catch (ConditionalCheckFailedException)
        {
            // Not ours any more: nothing to release.
        }
    }

    /// <summary>Reads an order's row with a consistent read (sees every write that completed before).</summary>
    /// <param name="orderId">The order id.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The row, or null when there is none.</returns>
    public async Task<OrderProcessingState?> GetAsync(string orderId, CancellationToken cancellationToken)
    {
        GetItemResponse response = await dynamo.GetItemAsync(
            new GetItemRequest { TableName = Table, Key = Key(orderId), ConsistentRead = true },
            cancellationToken).ConfigureAwait(false);
        if (response.Item is not { Count: > 0 } item)
        {
            return null;
        }

        return new OrderProcessingState(
            orderId,
            item.TryGetValue("Status", out AttributeValue? status) ? status.S : "",
            ReadInt(item, "LatestVersion"),
            ReadInt(item, "ProcessedVersion"),
            ReadInt(item, "ProcessedCount"));
    }

    private static Dictionary<string, AttributeValue> Key(string orderId) => new() { [KeyAttribute] = new(orderId) };

    private static AttributeValue Number(long value) => new() { N = value.ToString(CultureInfo.InvariantCulture) };

    private static int ReadInt(Dictionary<string, AttributeValue> item, string name) =>
        item.TryGetValue(name, out AttributeValue? value) && value.N is { } n ? int.Parse(n, NumberStyles.Integer, CultureInfo.InvariantCulture) : 0;
}
