global using DynamoItem = System.Collections.Generic.Dictionary<string, Kumo.Embedded.DynamoDb.DynamoValue>;

namespace Kumo.Embedded.DynamoDb;

/// <summary>What every item (a map of attribute name to value) obeys.</summary>
internal static class DynamoItems
{
    /// <summary>The largest item: 400 KB, names and values counted as DynamoDB counts them.</summary>
    public const int MaxItemSize = 400 * 1024;

    public static int Size(IReadOnlyDictionary<string, DynamoValue> item)
    {
        int size = 0;
        foreach ((string name, DynamoValue value) in item)
        {
            size += System.Text.Encoding.UTF8.GetByteCount(name) + value.Size;
        }

        return size;
    }

    public static DynamoItem Copy(IReadOnlyDictionary<string, DynamoValue> item) => new(item, StringComparer.Ordinal);

    public static DynamoItem New() => new(StringComparer.Ordinal);
}
