using System.Globalization;
using Kumo.Embedded.Protocol;

namespace Kumo.Embedded.Sqs;

/// <summary>
/// The SQS actions: reads each action's parameters from an <see cref="SqsRequest"/>, calls the
/// <see cref="SqsStore"/>, and builds the protocol-neutral <see cref="SqsStructure"/> result.
/// </summary>
internal sealed class SqsOperations
{
    /// <summary>The actions this engine implements.</summary>
    internal static readonly string[] Actions =
    [
        "CreateQueue", "GetQueueUrl", "ListQueues", "DeleteQueue", "GetQueueAttributes", "SetQueueAttributes",
        "SendMessage", "SendMessageBatch", "ReceiveMessage", "DeleteMessage", "DeleteMessageBatch",
        "ChangeMessageVisibility", "ChangeMessageVisibilityBatch", "PurgeQueue",
        "TagQueue", "UntagQueue", "ListQueueTags", "ListDeadLetterSourceQueues",
    ];

    /// <summary>Real SQS actions this engine does not implement (answered with UnsupportedOperation, not InvalidAction).</summary>
    private static readonly string[] NotImplemented =
    [
        "AddPermission", "RemovePermission", "StartMessageMoveTask", "CancelMessageMoveTask", "ListMessageMoveTasks",
    ];

    private static readonly string[] SystemAttributeNames =
    [
        "All", "SenderId", "SentTimestamp", "ApproximateReceiveCount", "ApproximateFirstReceiveTimestamp",
        "SequenceNumber", "MessageDeduplicationId", "MessageGroupId", "AWSTraceHeader", "DeadLetterQueueSourceArn",
    ];

    private readonly SqsStore _store;

    public SqsOperations(SqsStore store)
    {
        _store = store;
    }

    public async Task<SqsStructure> ExecuteAsync(SqsRequest request)
    {
        SqsInput input = request.Input;
        switch (request.Action)
        {
            case "CreateQueue":
                return CreateQueue(request);
            case "GetQueueUrl":
                return GetQueueUrl(request);
            case "ListQueues":
                return ListQueues(request);
            case "DeleteQueue":
                _store.DeleteQueue(QueueName(request));
                return new SqsStructure();
            case "GetQueueAttributes":
                return GetQueueAttributes(request);
            case "SetQueueAttributes":
                return SetQueueAttributes(request);
            case "SendMessage":
                return Sent(new SqsStructure(), _store.Send(QueueName(request), ParseMessage(input)));
            case "SendMessageBatch":
                return SendMessageBatch(request);
            case "ReceiveMessage":
                return await ReceiveMessageAsync(request).ConfigureAwait(false);
            case "DeleteMessage":
                _store.DeleteMessage(QueueName(request), input.RequiredString("ReceiptHandle"));
                return new SqsStructure();
            case "DeleteMessageBatch":
                return DeleteMessageBatch(request);
            case "ChangeMessageVisibility":
                _store.ChangeMessageVisibility(QueueName(request), input.RequiredString("ReceiptHandle"), RequiredVisibilityTimeout(input));
                return new SqsStructure();
            case "ChangeMessageVisibilityBatch":
                return ChangeMessageVisibilityBatch(request);
            case "PurgeQueue":
                _store.PurgeQueue(QueueName(request));
                return new SqsStructure();
            case "TagQueue":
                return TagQueue(request);
            case "UntagQueue":
                return UntagQueue(request);
            case "ListQueueTags":
                return ListQueueTags(request);
            case "ListDeadLetterSourceQueues":
                return ListDeadLetterSourceQueues(request);
            default:
                throw NotImplemented.Contains(request.Action, StringComparer.Ordinal)
                    ? SqsErrors.UnsupportedOperation(request.Action)
                    : SqsErrors.InvalidAction(request.Action);
        }
    }

    private SqsStructure CreateQueue(SqsRequest request)
    {
        SqsInput input = request.Input;
        string name = input.RequiredString("QueueName");
        _store.CreateQueue(name, input.StringMap("Attributes"), input.StringMap("tags"));
        return new SqsStructure().Add("QueueUrl", QueueNames.Url(request.BaseUrl, name));
    }

    private SqsStructure GetQueueUrl(SqsRequest request)
    {
        string name = request.Input.RequiredString("QueueName");
        _store.RequireQueue(name);
        return new SqsStructure().Add("QueueUrl", QueueNames.Url(request.BaseUrl, name));
    }

    private SqsStructure ListQueues(SqsRequest request)
    {
        SqsInput input = request.Input;
        (IReadOnlyList<string> names, string? nextToken) = _store.ListQueues(
            input.String("QueueNamePrefix"),
            input.Int("MaxResults", 1, SqsLimits.MaxListQueuesResults),
            input.String("NextToken"));
        return new SqsStructure()
            .Add("QueueUrls", UrlList(request, names))
            .Add("NextToken", nextToken);
    }

    private SqsStructure GetQueueAttributes(SqsRequest request)
    {
        IReadOnlyList<KeyValuePair<string, string>> attributes = _store.GetQueueAttributes(QueueName(request), request.Input.StringList("AttributeNames"));
        var map = new SqsMap("Attribute", "Name", "Value");
        foreach ((string name, string value) in attributes)
        {
            map.Add(name, new SqsText(value));
        }

        return new SqsStructure().Add("Attributes", map);
    }

    private SqsStructure SetQueueAttributes(SqsRequest request)
    {
        IReadOnlyList<KeyValuePair<string, string>> attributes = request.Input.StringMap("Attributes");
        string queue = QueueName(request);
        if (attributes.Count == 0)
        {
            throw SqsErrors.MissingParameter("Attributes");
        }

        _store.SetQueueAttributes(queue, attributes);
        return new SqsStructure();
    }

    private SqsStructure SendMessageBatch(SqsRequest request)
    {
        string queue = QueueName(request);
        _store.RequireQueue(queue);
        IReadOnlyList<SqsInput> entries = BatchEntries(request.Input, "SendMessageBatchRequestEntry");
        var parsed = new List<(string Id, SendMessageInput? Message, AwsServiceException? Error)>(entries.Count);
        long payload = 0;
        foreach (SqsInput entry in entries)
        {
            string id = entry.String("Id")!;
            try
            {
                SendMessageInput message = ParseMessage(entry);
                payload += message.Size;
                parsed.Add((id, message, null));
            }
            catch (AwsServiceException ex) when (ex.IsSenderFault)
            {
                parsed.Add((id, null, ex));
            }
        }

        if (payload > SqsLimits.MaxBatchPayload)
        {
            throw SqsErrors.BatchRequestTooLong(payload, SqsLimits.MaxBatchPayload);
        }

        var successful = new SqsList("SendMessageBatchResultEntry");
        var failed = new SqsList("BatchResultErrorEntry");
        foreach ((string id, SendMessageInput? message, AwsServiceException? error) in parsed)
        {
            AwsServiceException? failure = error;
            if (message is not null)
            {
                try
                {
                    successful.Items.Add(Sent(new SqsStructure().Add("Id", id), _store.Send(queue, message)));
                    continue;
                }
                catch (AwsServiceException ex) when (ex.IsSenderFault && ex.Code != "QueueDoesNotExist")
                {
                    failure = ex;
                }
            }

            failed.Items.Add(BatchError(id, failure!));
        }

        return new SqsStructure().Add("Successful", successful).Add("Failed", failed);
    }

    private async Task<SqsStructure> ReceiveMessageAsync(SqsRequest request)
    {
        SqsInput input = request.Input;
        string queue = QueueName(request);
        int max = input.Int("MaxNumberOfMessages", 1, SqsLimits.MaxReceiveMessages) ?? 1;
        int? visibility = input.Int("VisibilityTimeout", 0, SqsLimits.MaxVisibilityTimeout);
        int? wait = input.Int("WaitTimeSeconds", 0, SqsLimits.MaxWaitTimeSeconds);
        var systemNames = new HashSet<string>(input.StringList("AttributeNames"), StringComparer.Ordinal);
        systemNames.UnionWith(input.StringList("MessageSystemAttributeNames"));
        foreach (string name in systemNames)
        {
            if (!SystemAttributeNames.Contains(name, StringComparer.Ordinal))
            {
                throw SqsErrors.InvalidAttributeName(name);
            }
        }

        IReadOnlyList<string> attributeNames = input.StringList("MessageAttributeNames");
        IReadOnlyList<ReceivedMessage> received;
        try
        {
            received = await _store.ReceiveAsync(queue, max, visibility, wait, request.Cancellation).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!request.ClientAborted.IsCancellationRequested)
        {
            // The engine is stopping: end the long poll with no messages rather than an error.
            received = [];
        }

        var messages = new SqsList("Message");
        foreach (ReceivedMessage message in received)
        {
            messages.Items.Add(RenderMessage(message, systemNames, attributeNames));
        }

        return new SqsStructure().Add("Messages", messages);
    }

    private SqsStructure DeleteMessageBatch(SqsRequest request)
    {
        string queue = QueueName(request);
        _store.RequireQueue(queue);
        var successful = new SqsList("DeleteMessageBatchResultEntry");
        var failed = new SqsList("BatchResultErrorEntry");
        foreach (SqsInput entry in BatchEntries(request.Input, "DeleteMessageBatchRequestEntry"))
        {
            string id = entry.String("Id")!;
            try
            {
                _store.DeleteMessage(queue, entry.RequiredString("ReceiptHandle"));
                successful.Items.Add(new SqsStructure().Add("Id", id));
            }
            catch (AwsServiceException ex) when (ex.IsSenderFault && ex.Code != "QueueDoesNotExist")
            {
                failed.Items.Add(BatchError(id, ex));
            }
        }

        return new SqsStructure().Add("Successful", successful).Add("Failed", failed);
    }

    private SqsStructure ChangeMessageVisibilityBatch(SqsRequest request)
    {
        string queue = QueueName(request);
        _store.RequireQueue(queue);
        var successful = new SqsList("ChangeMessageVisibilityBatchResultEntry");
        var failed = new SqsList("BatchResultErrorEntry");
        foreach (SqsInput entry in BatchEntries(request.Input, "ChangeMessageVisibilityBatchRequestEntry"))
        {
            string id = entry.String("Id")!;
            try
            {
                _store.ChangeMessageVisibility(queue, entry.RequiredString("ReceiptHandle"), RequiredVisibilityTimeout(entry));
                successful.Items.Add(new SqsStructure().Add("Id", id));
            }
            catch (AwsServiceException ex) when (ex.IsSenderFault && ex.Code != "QueueDoesNotExist")
            {
                failed.Items.Add(BatchError(id, ex));
            }
        }

        return new SqsStructure().Add("Successful", successful).Add("Failed", failed);
    }

    private SqsStructure TagQueue(SqsRequest request)
    {
        string queue = QueueName(request);
        IReadOnlyList<KeyValuePair<string, string>> tags = request.Input.StringMap("Tags");
        if (tags.Count == 0)
        {
            throw SqsErrors.MissingParameter("Tags");
        }

        _store.TagQueue(queue, tags);
        return new SqsStructure();
    }

    private SqsStructure UntagQueue(SqsRequest request)
    {
        string queue = QueueName(request);
        IReadOnlyList<string> keys = request.Input.StringList("TagKeys");
        if (keys.Count == 0)
        {
            throw SqsErrors.MissingParameter("TagKeys");
        }

        _store.UntagQueue(queue, keys);
        return new SqsStructure();
    }

    private SqsStructure ListQueueTags(SqsRequest request)
    {
        var map = new SqsMap("Tag", "Key", "Value");
        foreach ((string key, string value) in _store.ListQueueTags(QueueName(request)))
        {
            map.Add(key, new SqsText(value));
        }

        return new SqsStructure().Add("Tags", map);
    }

    private SqsStructure ListDeadLetterSourceQueues(SqsRequest request)
    {
        IReadOnlyList<string> names = _store.ListDeadLetterSourceQueues(QueueName(request));
        return new SqsStructure().Add("queueUrls", "QueueUrl", UrlList(request, names));
    }

    /// <summary>Parses a SendMessage request or a SendMessageBatch entry; queue-dependent checks happen in the store.</summary>
    private static SendMessageInput ParseMessage(SqsInput input)
    {
        string? body = input.String("MessageBody");
        if (string.IsNullOrEmpty(body))
        {
            throw SqsErrors.MissingParameter(input.PathOf("MessageBody"));
        }

        if (MessageContents.FindInvalidCharacter(body) is int index)
        {
            throw SqsErrors.InvalidMessageContents(string.Create(CultureInfo.InvariantCulture,
                $"Invalid binary character '#x{(int)body[index]:X}' was found in the message body at index {index}. Allowed: #x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF."));
        }

        return new SendMessageInput(
            body,
            input.Int("DelaySeconds", 0, SqsLimits.MaxDelaySeconds),
            ParseAttributes(input, "MessageAttributes", system: false),
            ParseAttributes(input, "MessageSystemAttributes", system: true),
            FifoToken(input, "MessageGroupId", SqsLimits.MaxMessageGroupIdLength),
            FifoToken(input, "MessageDeduplicationId", SqsLimits.MaxDeduplicationIdLength));
    }

    private static IReadOnlyDictionary<string, SqsMessageAttribute> ParseAttributes(SqsInput input, string member, bool system)
    {
        IReadOnlyList<KeyValuePair<string, SqsInput>> entries = input.StructureMap(member);
        if (!system && entries.Count > SqsLimits.MaxMessageAttributes)
        {
            throw SqsErrors.InvalidParameterValue(string.Create(CultureInfo.InvariantCulture,
                $"Number of message attributes [{entries.Count}] exceeds the allowed maximum [{SqsLimits.MaxMessageAttributes}]."));
        }

        if (entries.Count == 0)
        {
            return SqsMessageAttribute.None;
        }

        var attributes = new SortedDictionary<string, SqsMessageAttribute>(StringComparer.Ordinal);

        foreach ((string name, SqsInput value) in entries)
        {
            attributes[name] = SqsMessageAttribute.Create(name, value.String("DataType"), value.String("StringValue"), value.Blob("BinaryValue"), system);
        }

        return attributes;
    }

    /// <summary>Reads a MessageGroupId or MessageDeduplicationId: 1 to 128 ASCII letters, digits or punctuation.</summary>
    private static string? FifoToken(SqsInput input, string name, int maxLength)
    {
        string? value = input.String(name);
        if (value is null)
        {
            return null;
        }

        if (value.Length == 0 || value.Length > maxLength || !value.All(c => char.IsAsciiLetterOrDigit(c) || (char.IsAscii(c) && char.IsPunctuation(c)) || (char.IsAscii(c) && char.IsSymbol(c))))
        {
            throw SqsErrors.InvalidParameterValue(input.PathOf(name), value, string.Create(CultureInfo.InvariantCulture,
                $"Must be 1 to {maxLength} characters of a-z, A-Z, 0-9 and punctuation (!\"#$%&'()*+,-./:;<=>?@[\\]^_`{{|}}~)."));
        }

        return value;
    }

    private static int RequiredVisibilityTimeout(SqsInput input) =>
        input.Int("VisibilityTimeout", 0, SqsLimits.MaxVisibilityTimeout) ?? throw SqsErrors.MissingParameter(input.PathOf("VisibilityTimeout"));

    /// <summary>Checks the batch rules that fail the whole request: count, id format, distinct ids.</summary>
    private static IReadOnlyList<SqsInput> BatchEntries(SqsInput input, string entryName)
    {
        IReadOnlyList<SqsInput> entries = input.StructureList("Entries");
        if (entries.Count == 0)
        {
            throw SqsErrors.EmptyBatchRequest(entryName);
        }

        if (entries.Count > SqsLimits.MaxBatchEntries)
        {
            throw SqsErrors.TooManyEntriesInBatchRequest(entries.Count);
        }

        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (SqsInput entry in entries)
        {
            string id = entry.String("Id") ?? throw SqsErrors.MissingParameter(entry.PathOf("Id"));
            if (id.Length == 0 || id.Length > SqsLimits.MaxBatchEntryIdLength || !id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
            {
                throw SqsErrors.InvalidBatchEntryId(id);
            }

            if (!ids.Add(id))
            {
                throw SqsErrors.BatchEntryIdsNotDistinct(id);
            }
        }

        return entries;
    }

    private static SqsStructure BatchError(string id, AwsServiceException error) => new SqsStructure()
        .Add("Id", id)
        .Add("SenderFault", new SqsBoolean(error.IsSenderFault))
        .Add("Code", error.Code)
        .Add("Message", error.Message);

    private static SqsStructure Sent(SqsStructure result, SendMessageOutcome outcome) => result
        .Add("MessageId", outcome.MessageId)
        .Add("MD5OfMessageBody", outcome.Md5OfMessageBody)
        .Add("MD5OfMessageAttributes", outcome.Md5OfMessageAttributes)
        .Add("MD5OfMessageSystemAttributes", outcome.Md5OfMessageSystemAttributes)
        .Add("SequenceNumber", outcome.SequenceNumber);

    private static SqsStructure RenderMessage(ReceivedMessage received, HashSet<string> systemNames, IReadOnlyList<string> attributeNames)
    {
        SqsMessage message = received.Message;
        var result = new SqsStructure()
            .Add("MessageId", message.MessageId)
            .Add("ReceiptHandle", received.ReceiptHandle)
            .Add("MD5OfBody", message.Md5OfBody)
            .Add("Body", message.Body);

        bool all = systemNames.Contains("All");
        var attributes = new SqsMap("Attribute", "Name", "Value");
        void AddSystem(string name, string? value)
        {
            if (value is not null && (all || systemNames.Contains(name)))
            {
                attributes.Add(name, new SqsText(value));
            }
        }

        AddSystem("SenderId", message.SenderId);
        AddSystem("SentTimestamp", Format(message.SentTimestamp));
        AddSystem("ApproximateReceiveCount", Format(received.ReceiveCount));
        AddSystem("ApproximateFirstReceiveTimestamp", Format(received.FirstReceiveTimestamp));
        AddSystem("SequenceNumber", message.SequenceNumber);
        AddSystem("MessageDeduplicationId", message.MessageDeduplicationId);
        AddSystem("MessageGroupId", message.MessageGroupId);
        AddSystem("AWSTraceHeader", message.SystemAttributes.TryGetValue("AWSTraceHeader", out SqsMessageAttribute? trace) ? trace.StringValue : null);
        AddSystem("DeadLetterQueueSourceArn", message.DeadLetterQueueSourceArn);
        if (attributes.Entries.Count > 0)
        {
            result.Add("Attributes", attributes);
        }

        var selected = message.MessageAttributes.Where(a => IsSelected(a.Key, attributeNames)).ToList();
        if (selected.Count > 0)
        {
            result.Add("MD5OfMessageAttributes", MessageAttributeMd5.Compute(selected));
            var map = new SqsMap("MessageAttribute", "Name", "Value");
            foreach ((string name, SqsMessageAttribute value) in selected)
            {
                var rendered = new SqsStructure();
                if (value.IsBinary)
                {
                    rendered.Add("BinaryValue", Convert.ToBase64String(value.BinaryValue!));
                }
                else
                {
                    rendered.Add("StringValue", value.StringValue);
                }

                map.Add(name, rendered.Add("DataType", value.DataType));
            }

            result.Add("MessageAttributes", map);
        }

        return result;
    }

    /// <summary>Whether a message attribute matches MessageAttributeNames: <c>All</c>, <c>.*</c>, a name, or <c>prefix.*</c>.</summary>
    private static bool IsSelected(string name, IReadOnlyList<string> patterns)
    {
        foreach (string pattern in patterns)
        {
            if (pattern is "All" or ".*" || pattern == name)
            {
                return true;
            }

            if (pattern.EndsWith(".*", StringComparison.Ordinal) && name.StartsWith(pattern[..^1], StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    private static SqsList UrlList(SqsRequest request, IReadOnlyList<string> names)
    {
        var urls = new SqsList("QueueUrl");
        foreach (string name in names)
        {
            urls.Items.Add(new SqsText(QueueNames.Url(request.BaseUrl, name)));
        }

        return urls;
    }

    /// <summary>The queue a request addresses: its QueueUrl parameter, else the request path.</summary>
    private static string QueueName(SqsRequest request)
    {
        string? url = request.Input.String("QueueUrl");
        if (url is not null)
        {
            string name = QueueNames.FromUrl(url);
            return name.Length > 0 ? name : throw SqsErrors.InvalidParameterValue("QueueUrl", url, "Use the QueueUrl returned by CreateQueue or GetQueueUrl.");
        }

        return request.PathQueueName ?? throw SqsErrors.MissingParameter("QueueUrl");
    }

    private static string Format(long value) => value.ToString(CultureInfo.InvariantCulture);
}
