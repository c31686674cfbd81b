namespace Kumo.Embedded.Sqs;

/// <summary>One SQS call, independent of the protocol it arrived in.</summary>
/// <param name="Action">The action name, e.g. <c>SendMessage</c>.</param>
/// <param name="Input">The parameters in the JSON protocol's shape.</param>
/// <param name="PathQueueName">The queue named by the request path (<c>/000000000000/&lt;name&gt;</c>), if any.</param>
/// <param name="BaseUrl">The scheme and host the client used, e.g. <c>http://127.0.0.1:4566</c>; queue URLs are built on it.</param>
/// <param name="Cancellation">Ends long polls: the client went away or the engine is stopping.</param>
/// <param name="ClientAborted">Signalled only when the client went away.</param>
internal sealed record SqsRequest(
    string Action,
    SqsInput Input,
    string? PathQueueName,
    string BaseUrl,
    CancellationToken Cancellation,
    CancellationToken ClientAborted);
