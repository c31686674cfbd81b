namespace OrderService.Setup;

/// <summary>
/// Settings of the order service (configuration section <c>Orders</c>, environment variables <c>Orders__*</c>).
/// </summary>
public sealed class OrdersOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Orders";

    /// <summary>The bucket holding <c>orders/&lt;id&gt;.json</c>, <c>receipts/&lt;id&gt;.json</c> and <c>failures/&lt;id&gt;.json</c>.</summary>
    public string Bucket { get; set; } = "orders";

    /// <summary>The queue of orders to process.</summary>
    public string Queue { get; set; } = "orders";

    /// <summary>The dead-letter queue for messages that cannot be processed.</summary>
    public string DeadLetterQueue { get; set; } = "orders-dlq";

    /// <summary>The DynamoDB table holding each order's status (hash key <c>OrderId</c>, a string).</summary>
    public string StatusTable { get; set; } = "order-status";

    /// <summary>When true, the bucket, both queues (with the redrive policy) and the status table are created at startup if missing.</summary>
    public bool CreateResources { get; set; }

    /// <summary>When true (or with <see cref="CreateResources"/>), the status table is created at startup if missing.</summary>
    public bool CreateStatusTable { get; set; }

    /// <summary>Long-polling wait of each receive, 0 to 20 seconds.</summary>
    public int WaitTimeSeconds { get; set; } = 20;

    /// <summary>How long a received message stays invisible while it is processed.</summary>
    public int VisibilityTimeoutSeconds { get; set; } = 30;

    /// <summary>How many times a message is tried before it is dead-lettered.</summary>
    public int MaxAttempts { get; set; } = 5;

    /// <summary>The retry delay after the first failure; it doubles with each further failure.</summary>
    public int RetryBaseDelaySeconds { get; set; } = 2;

    /// <summary>The longest retry delay.</summary>
    public int RetryMaxDelaySeconds { get; set; } = 60;

    /// <summary>How long the worker waits before polling again after SQS itself failed.</summary>
    public int PollErrorDelaySeconds { get; set; } = 2;
}
