namespace Kumo.Embedded.Protocol;

/// <summary>
/// An error to return to the client in the service's own wire shape (S3 XML, SQS JSON or query XML).
/// </summary>
/// <remarks>
/// Handlers throw it anywhere below the request entry point; the service's handler turns it into
/// the response. <see cref="Code"/> is the AWS error code (e.g. <c>NoSuchBucket</c>) that SDKs map to
/// typed exceptions.
/// </remarks>
internal sealed class AwsServiceException : Exception
{
    public AwsServiceException(int statusCode, string code, string message)
        : base(message)
    {
        StatusCode = statusCode;
        Code = code;
    }

    public AwsServiceException()
        : this(500, "InternalError", "We encountered an internal error. Please try again.")
    {
    }

    public AwsServiceException(string message)
        : this(400, "InvalidRequest", message)
    {
    }

    public AwsServiceException(string message, Exception innerException)
        : base(message, innerException)
    {
        StatusCode = 500;
        Code = "InternalError";
    }

    /// <summary>The HTTP status code.</summary>
    public int StatusCode { get; }

    /// <summary>The AWS error code.</summary>
    public string Code { get; }

    /// <summary>Extra elements for S3 error documents (e.g. BucketName, Key).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Details { get; init; } = [];

    /// <summary>The SQS query-protocol error code, when it differs from <see cref="Code"/>.</summary>
    public string? QueryCode { get; init; }

    /// <summary>True for errors caused by the client (the "Sender" fault type).</summary>
    public bool IsSenderFault => StatusCode < 500;
}
