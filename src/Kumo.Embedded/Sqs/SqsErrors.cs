using System.Globalization;
using Kumo.Embedded.Protocol;

namespace Kumo.Embedded.Sqs;

/// <summary>
/// The SQS errors the engine returns, with the JSON shape name (<see cref="AwsServiceException.Code"/>)
/// and the query-protocol code (<see cref="AwsServiceException.QueryCode"/>) AWS uses for each.
/// </summary>
/// <remarks>
/// The JSON protocol reports <c>__type: com.amazonaws.sqs#&lt;Code&gt;</c> plus the header
/// <c>x-amzn-query-error: &lt;QueryCode&gt;;Sender</c>; the query protocol reports <c>QueryCode</c> in
/// <c>&lt;Error&gt;&lt;Code&gt;</c>. SDKs map either to their typed exceptions.
/// </remarks>
internal static class SqsErrors
{
    public static AwsServiceException QueueDoesNotExist(string? queue) => new(400, "QueueDoesNotExist", queue is null
        ? "The specified queue does not exist."
        : $"The specified queue does not exist: {queue}.")
    {
        QueryCode = "AWS.SimpleQueueService.NonExistentQueue",
    };

    public static AwsServiceException QueueNameExists(string name, IEnumerable<string> attributes) => new(400, "QueueNameExists",
        $"A queue named {name} already exists with a different value for attribute(s) {string.Join(", ", attributes)}. Use the existing attributes, SetQueueAttributes, or another name.")
    {
        QueryCode = "QueueAlreadyExists",
    };

    public static AwsServiceException ReceiptHandleIsInvalid(string handle) => new(400, "ReceiptHandleIsInvalid",
        $"The input receipt handle \"{Truncate(handle)}\" is not a valid receipt handle. Use the ReceiptHandle of a message received from this queue.")
    {
        QueryCode = "ReceiptHandleIsInvalid",
    };

    public static AwsServiceException InvalidAttributeName(string name) => new(400, "InvalidAttributeName", $"Unknown Attribute {name}.")
    {
        QueryCode = "InvalidAttributeName",
    };

    public static AwsServiceException InvalidAttributeValue(string name, string reason) => new(400, "InvalidAttributeValue", $"Invalid value for the parameter {name}. Reason: {reason}")
    {
        QueryCode = "InvalidAttributeValue",
    };

    public static AwsServiceException InvalidParameterValue(string message) => new(400, "InvalidParameterValue", message)
    {
        QueryCode = "InvalidParameterValue",
    };

    public static AwsServiceException InvalidParameterValue(string parameter, object? value, string reason) =>
        InvalidParameterValue(string.Create(CultureInfo.InvariantCulture, $"Value {Truncate(value?.ToString() ?? "(null)")} for parameter {parameter} is invalid. Reason: {reason}"));

    public static AwsServiceException MissingParameter(string name) => new(400, "MissingParameter", $"The request must contain the parameter {name}.")
    {
        QueryCode = "MissingParameter",
    };

    public static AwsServiceException InvalidMessageContents(string reason) => new(400, "InvalidMessageContents", reason)
    {
        QueryCode = "InvalidMessageContents",
    };

    public static AwsServiceException EmptyBatchRequest(string entryName) => new(400, "EmptyBatchRequest", $"There should be at least one {entryName} in the request.")
    {
        QueryCode = "AWS.SimpleQueueService.EmptyBatchRequest",
    };

    public static AwsServiceException TooManyEntriesInBatchRequest(int count) => new(400, "TooManyEntriesInBatchRequest",
        string.Create(CultureInfo.InvariantCulture, $"Maximum number of entries per request are {SqsLimits.MaxBatchEntries}. You have sent {count}."))
    {
        QueryCode = "AWS.SimpleQueueService.TooManyEntriesInBatchRequest",
    };

    public static AwsServiceException BatchEntryIdsNotDistinct(string id) => new(400, "BatchEntryIdsNotDistinct", $"Id {Truncate(id)} repeated.")
    {
        QueryCode = "AWS.SimpleQueueService.BatchEntryIdsNotDistinct",
    };

    public static AwsServiceException InvalidBatchEntryId(string id) => new(400, "InvalidBatchEntryId",
        $"A batch entry id can only contain alphanumeric characters, hyphens and underscores. It can be at most 80 letters long. Got \"{Truncate(id)}\".")
    {
        QueryCode = "AWS.SimpleQueueService.InvalidBatchEntryId",
    };

    public static AwsServiceException BatchRequestTooLong(long size, long max) => new(400, "BatchRequestTooLong",
        string.Create(CultureInfo.InvariantCulture, $"Batch requests cannot be longer than {max} bytes. You have sent {size} bytes."))
    {
        QueryCode = "AWS.SimpleQueueService.BatchRequestTooLong",
    };

    public static AwsServiceException InvalidAction(string action) => new(400, "InvalidAction",
        $"The action {Truncate(action)} is not valid for this endpoint. kumo-embedded implements: {string.Join(", ", SqsOperations.Actions)}.")
    {
        QueryCode = "InvalidAction",
    };

    public static AwsServiceException UnsupportedOperation(string action) => new(400, "UnsupportedOperation",
        $"The action {action} is a real SQS action that kumo-embedded does not implement.")
    {
        QueryCode = "AWS.SimpleQueueService.UnsupportedOperation",
    };

    public static AwsServiceException MissingAction() => new(400, "MissingAction",
        "The request must contain the parameter Action (query protocol) or the header X-Amz-Target: AmazonSQS.<Action> (JSON protocol).")
    {
        QueryCode = "MissingAction",
    };

    public static AwsServiceException Serialization(string message) => new(400, "SerializationException", message)
    {
        QueryCode = "SerializationException",
    };

    public static AwsServiceException RequestTooLarge(long size, int limit) => new(413, "RequestEntityTooLarge",
        string.Create(CultureInfo.InvariantCulture, $"The request body ({(size < 0 ? "more than " + limit.ToString(CultureInfo.InvariantCulture) : size.ToString(CultureInfo.InvariantCulture))} bytes) exceeds the engine's limit of {limit} bytes for SQS requests (KumoEngineOptions.MaxControlBodySize)."))
    {
        QueryCode = "RequestEntityTooLarge",
    };

    public static AwsServiceException InternalError() => new(500, "InternalError", "kumo-embedded failed to process the request; see the engine log for details.")
    {
        QueryCode = "InternalError",
    };

    private static string Truncate(string value) => value.Length <= 120 ? value : value[..120] + "...";
}
