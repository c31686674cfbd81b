using System.Text.Json;
using Kumo.Embedded.Protocol;

namespace Kumo.Embedded.DynamoDb;

/// <summary>A DynamoDB error whose body carries more than a message: the item of a failed condition, a transaction's cancellation reasons.</summary>
internal sealed class DynamoFailure : Exception
{
    public DynamoFailure(AwsServiceException error, Action<Utf8JsonWriter> extra)
        : base(error.Message)
    {
        Error = error;
        Extra = extra;
    }

    public DynamoFailure()
        : this(DynamoErrors.InternalError(), static _ => { })
    {
    }

    public DynamoFailure(string message)
        : this(DynamoErrors.Validation(message), static _ => { })
    {
    }

    public DynamoFailure(string message, Exception innerException)
        : base(message, innerException)
    {
        Error = DynamoErrors.InternalError();
        Extra = static _ => { };
    }

    public AwsServiceException Error { get; }

    /// <summary>Writes the extra members into the error object.</summary>
    public Action<Utf8JsonWriter> Extra { get; }

    /// <summary>ConditionalCheckFailedException, with the item when the request asked for it (ReturnValuesOnConditionCheckFailure=ALL_OLD).</summary>
    public static DynamoFailure ConditionFailed(IReadOnlyDictionary<string, DynamoValue>? item) => new(DynamoErrors.ConditionFailed(), writer =>
    {
        if (item is not null)
        {
            writer.WritePropertyName("Item");
            DynamoJson.WriteItem(writer, item);
        }
    });
}
