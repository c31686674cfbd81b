using Kumo.Embedded.Protocol;

namespace Kumo.Embedded.DynamoDb;

/// <summary>The errors DynamoDB sends, with its codes and messages, so SDKs raise their typed exceptions.</summary>
internal static class DynamoErrors
{
    public const string ValidationCode = "ValidationException";

    public static AwsServiceException Validation(string message) => new(400, ValidationCode, message);

    /// <summary>A ValidationException with AWS's "One or more parameter values were invalid" prefix.</summary>
    public static AwsServiceException InvalidParameter(string detail) => Validation("One or more parameter values were invalid: " + detail);

    public static AwsServiceException Serialization(string message) => new(400, "SerializationException", message);

    public static AwsServiceException UnknownOperation(string action) =>
        new(400, "UnknownOperationException", $"The operation '{action}' is not a DynamoDB_20120810 operation this engine serves.");

    public static AwsServiceException MissingTarget() =>
        new(400, "UnknownOperationException", "The X-Amz-Target header must name a DynamoDB operation, e.g. DynamoDB_20120810.PutItem.");

    public static AwsServiceException TableNotFound(string table) =>
        new(400, "ResourceNotFoundException", $"Requested resource not found: Table: {table} not found");

    public static AwsServiceException ResourceNotFound() => new(400, "ResourceNotFoundException", "Requested resource not found");

    public static AwsServiceException TableExists(string table) => new(400, "ResourceInUseException", $"Table already exists: {table}");

    public static AwsServiceException ConditionFailed() => new(400, ConditionalCheckFailed.Code, ConditionalCheckFailed.Message);

    public static AwsServiceException KeyMismatch() => Validation("The provided key element does not match the schema");

    public static AwsServiceException ItemTooLarge() => Validation("Item size has exceeded the maximum allowed size");

    public static AwsServiceException RequestTooLarge(long declared, int limit) =>
        new(413, "RequestEntityTooLarge", declared >= 0
            ? $"The request body is {declared} bytes; DynamoDB accepts at most {limit} bytes per request."
            : $"The request body is larger than the {limit} bytes DynamoDB accepts per request.");

    public static AwsServiceException InternalError() =>
        new(500, "InternalServerError", "Internal server error");

    /// <summary>The code and message of a failed condition.</summary>
    public static class ConditionalCheckFailed
    {
        public const string Code = "ConditionalCheckFailedException";
        public const string Message = "The conditional request failed";
    }
}
