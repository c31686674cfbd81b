using System.Globalization;
using System.Text;
using System.Text.Json;
using Amazon.S3;
using Amazon.SQS;
using Amazon.SQS.Model;
using Microsoft.Extensions.Options;
using OrderService.Storage;

namespace OrderService.Setup;

/// <summary>
/// When <c>Orders:CreateResources</c> is true, creates the bucket, the dead-letter queue, the order queue (with
/// its <c>RedrivePolicy</c>) and the status table before the worker starts (<c>Orders:CreateStatusTable</c>: the table only); existing ones are kept. Without the flag the resources must
/// exist (seeded, or made by the AppHost).
/// </summary>
internal sealed partial class ResourceInitializer(IAmazonS3 s3, IAmazonSQS sqs, OrderStatusTable statuses, IOptions<OrdersOptions> options, ILogger<ResourceInitializer> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        OrdersOptions settings = options.Value;
        if (settings.CreateResources || settings.CreateStatusTable)
        {
            await statuses.EnsureTableAsync(cancellationToken).ConfigureAwait(false);
        }

        if (!settings.CreateResources)
        {
            return;
        }

        try
        {
            await s3.PutBucketAsync(settings.Bucket, cancellationToken).ConfigureAwait(false);
        }
        catch (AmazonS3Exception ex) when (ex.ErrorCode is "BucketAlreadyOwnedByYou" or "BucketAlreadyExists")
        {
        }

        string deadLetterUrl = (await sqs.CreateQueueAsync(settings.DeadLetterQueue, cancellationToken).ConfigureAwait(false)).QueueUrl;
        string deadLetterArn = (await sqs.GetQueueAttributesAsync(deadLetterUrl, ["QueueArn"], cancellationToken).ConfigureAwait(false)).QueueARN;
        var attributes = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["RedrivePolicy"] = RedrivePolicy(deadLetterArn, settings.MaxAttempts + 1),
            ["VisibilityTimeout"] = settings.VisibilityTimeoutSeconds.ToString(CultureInfo.InvariantCulture),
        };

        try
        {
            await sqs.CreateQueueAsync(new CreateQueueRequest(settings.Queue) { Attributes = attributes }, cancellationToken).ConfigureAwait(false);
        }
        catch (QueueNameExistsException)
        {
            // The queue exists with other attributes: bring them to what this service needs.
            string url = (await sqs.GetQueueUrlAsync(settings.Queue, cancellationToken).ConfigureAwait(false)).QueueUrl;
            await sqs.SetQueueAttributesAsync(url, attributes, cancellationToken).ConfigureAwait(false);
        }

        LogCreated(logger, settings.Bucket, settings.Queue, settings.DeadLetterQueue);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private static string RedrivePolicy(string deadLetterArn, int maxReceiveCount)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("deadLetterTargetArn", deadLetterArn);
            writer.WriteNumber("maxReceiveCount", maxReceiveCount);
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Resources ready: bucket '{Bucket}', queue '{Queue}', dead-letter queue '{DeadLetterQueue}'")]
    private static partial void LogCreated(ILogger logger, string bucket, string queue, string deadLetterQueue);
}
