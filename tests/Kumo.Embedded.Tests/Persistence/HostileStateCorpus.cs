using System.Buffers;
using System.Text;
using Kumo.Embedded.Persistence;

namespace Kumo.Embedded.Tests.Persistence;

/// <summary>
/// State files a hand edit, a bug or a disk could produce, each with the field the engine must name
/// when it refuses it: nulls where a list or object belongs, invalid values, wrong shapes and formats.
/// </summary>
public static class HostileStateCorpus
{
    private const string Object = """{"key":"k","size":1,"eTag":"\"e\"","blobId":"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa","lastModified":"2024-01-01T00:00:00Z","contentType":"text/plain","metadata":{}}""";

    private const string DynamoTable = """{"TableName":"tbl","KeySchema":[{"AttributeName":"pk","KeyType":"HASH"}],"AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"}],"BillingMode":"PAY_PER_REQUEST"}""";

    private const string Message = """{"messageId":"m","body":"b","sentTimestamp":1,"senderId":"0"}""";

    /// <summary>(file name, content, a fragment the refusal must name).</summary>
    public static TheoryData<string, string, string> Documents { get; } = new()
    {
        { "s3.json", """{"format":2,"buckets":null}""", "buckets" },
        { "s3.json", """{"format":2,"buckets":[null]}""", "/buckets/0" },
        { "s3.json", """{"format":2,"buckets":[{"name":null,"region":"us-east-1","objects":[]}]}""", "name" },
        { "s3.json", """{"format":2,"buckets":[{"name":"bkt","region":null,"objects":[]}]}""", "region" },
        { "s3.json", """{"format":2,"buckets":[{"name":"bkt","region":"us-east-1","objects":null}]}""", "objects" },
        { "s3.json", """{"format":2,"buckets":[{"name":"bkt","region":"us-east-1","objects":[null]}]}""", "/buckets/0/objects/0" },
        { "s3.json", $$"""{"format":2,"buckets":[{"name":"bkt","region":"us-east-1","objects":[{{Object.Replace("\"key\":\"k\"", "\"key\":null", StringComparison.Ordinal)}}]}]}""", "key" },
        { "s3.json", $$"""{"format":2,"buckets":[{"name":"bkt","region":"us-east-1","objects":[{{Object.Replace("\"metadata\":{}", "\"metadata\":null", StringComparison.Ordinal)}}]}]}""", "metadata" },
        { "s3.json", $$"""{"format":2,"buckets":[{"name":"bkt","region":"us-east-1","objects":[{{Object.Replace("\"metadata\":{}", "\"metadata\":{\"a\":null}", StringComparison.Ordinal)}}]}]}""", "metadata" },
        { "s3.json", $$"""{"format":2,"buckets":[{"name":"bkt","region":"us-east-1","objects":[{{Object.Replace("\"eTag\":\"\\\"e\\\"\"", "\"eTag\":null", StringComparison.Ordinal)}}]}]}""", "eTag" },
        { "s3.json", $$"""{"format":2,"buckets":[{"name":"bkt","region":"us-east-1","objects":[{{Object.Replace("aaaaaaaa", "../../x", StringComparison.Ordinal)}}]}]}""", "/buckets/0/objects/0/blobId" },
        { "s3.json", $$"""{"format":2,"buckets":[{"name":"bkt","region":"us-east-1","objects":[{{Object.Replace("\"size\":1", "\"size\":-5", StringComparison.Ordinal)}}]}]}""", "/buckets/0/objects/0/size" },
        { "s3.json", $$"""{"format":2,"buckets":[{"name":"bkt","region":"us-east-1","objects":[{{Object.Replace("\"size\":1", "\"size\":99999999999999999999999", StringComparison.Ordinal)}}]}]}""", "size" },
        { "s3.json", $$"""{"format":2,"buckets":[{"name":"bkt","region":"us-east-1","objects":[{{Object.Replace("\"key\":\"k\"", "\"key\":\"\"", StringComparison.Ordinal)}}]}]}""", "/buckets/0/objects/0/key" },
        { "s3.json", """{"format":2,"buckets":[{"name":"Bad_Name!","region":"us-east-1","objects":[]}]}""", "/buckets/0/name" },
        { "s3.json", """{"format":2,"buckets":[{"name":"bkt","region":"us-east-1","objects":[]},{"name":"bkt","region":"us-east-1","objects":[]}]}""", "/buckets/1/name" },
        { "s3.json", """{"format":2,"journal":0,"buckets":[]}""", "/journal" },
        { "s3.json", """{"format":1,"buckets":[]}""", "/format" },
        { "s3.json", """{"format":2,"buckets":[{"name":"bkt","created":"not a date","region":"us-east-1","objects":[]}]}""", "created" },
        { "s3.json", "null", "null" },
        { "s3.json", "[]", "$" },
        { "s3.json", "\"text\"", "$" },
        { "s3.json", "", "s3.json" },
        { "s3.json", """{"format":2,"buckets":[{"name":"bkt","reg""", "s3.json" },
        { "s3.json", new string('[', 5000), "s3.json" },
        { "sqs.json", """{"format":2,"queues":null}""", "queues" },
        { "sqs.json", """{"format":2,"queues":[null]}""", "/queues/0" },
        { "sqs.json", """{"format":2,"queues":[{"name":null}]}""", "name" },
        { "sqs.json", """{"format":2,"queues":[{"name":"q","attributes":null}]}""", "attributes" },
        { "sqs.json", """{"format":2,"queues":[{"name":"q","attributes":{"DelaySeconds":null}}]}""", "attributes" },
        { "sqs.json", """{"format":2,"queues":[{"name":"q","tags":null}]}""", "tags" },
        { "sqs.json", """{"format":2,"queues":[{"name":"q","tags":{"a":null}}]}""", "tags" },
        { "sqs.json", """{"format":2,"queues":[{"name":"q","messages":null}]}""", "messages" },
        { "sqs.json", """{"format":2,"queues":[{"name":"q","messages":[null]}]}""", "/queues/0/messages/0" },
        { "sqs.json", $$"""{"format":2,"queues":[{"name":"q","messages":[{{Message.Replace("\"body\":\"b\"", "\"body\":null", StringComparison.Ordinal)}}]}]}""", "body" },
        { "sqs.json", $$"""{"format":2,"queues":[{"name":"q","messages":[{{Message.Replace("\"messageId\":\"m\"", "\"messageId\":null", StringComparison.Ordinal)}}]}]}""", "messageId" },
        { "sqs.json", $$"""{"format":2,"queues":[{"name":"q","messages":[{{Message.Replace("}", ",\"messageAttributes\":[null]}", StringComparison.Ordinal)}}]}]}""", "/queues/0/messages/0/messageAttributes/0" },
        { "sqs.json", $$"""{"format":2,"queues":[{"name":"q","messages":[{{Message.Replace("}", ",\"messageAttributes\":[{\"name\":null,\"dataType\":\"String\",\"stringValue\":\"x\"}]}", StringComparison.Ordinal)}}]}]}""", "name" },
        { "sqs.json", $$"""{"format":2,"queues":[{"name":"q","messages":[{{Message}},{{Message}}]}]}""", "/queues/0/messages/1/messageId" },
        { "sqs.json", """{"format":2,"queues":[{"name":"q","deduplication":[null]}]}""", "/queues/0/deduplication/0" },
        { "sqs.json", """{"format":2,"queues":[{"name":"q","attributes":{"VisibilityTimeout":"99999"}}]}""", "/queues/0/attributes/VisibilityTimeout" },
        { "sqs.json", """{"format":2,"queues":[{"name":"q"},{"name":"q"}]}""", "/queues/1/name" },
        { "sqs.json", """{"format":2,"queues":[],"unexpected":1}""", "unexpected" },
        { "sqs.json", """{"format":1,"queues":[]}""", "/format" },
        { "sqs.json", "{", "sqs.json" },
        { "s3-journal-0000000001", Framed("""{"op":"put","bucket":"nobucket","object":null}"""), "record 0" },
        { "s3-journal-0000000001", Framed("""{"op":"explode","bucket":"bkt"}"""), "/op" },
        { "s3-journal-0000000001", Framed("not json"), "record 0" },
        { "s3-journal-0000000001", Framed("""{"op":"bucket","bucket":"bkt","region":"us-east-1"}""", """{"op":"put","bucket":"bkt","object":null}"""), "record 1" },
        { "sqs-journal-0000000001", Framed("""{"op":"message","queue":"missing","message":null}"""), "record 0" },
        { "sqs-journal-0000000001", Framed("""{"op":"queue","queue":"q","state":null}"""), "/state" },
        { "dynamodb.json", "null", "$" },
        { "dynamodb.json", "{", "dynamodb.json" },
        { "dynamodb.json", """{"format":1,"journal":1,"tables":[]}""", "/format" },
        { "dynamodb.json", """{"format":2,"journal":0,"tables":[]}""", "/journal" },
        { "dynamodb.json", """{"format":2,"journal":1,"tables":null}""", "/tables" },
        { "dynamodb.json", """{"format":2,"journal":1,"tables":[null]}""", "/tables/0" },
        { "dynamodb.json", """{"format":2,"journal":1,"tables":[],"unexpected":1}""", "/unexpected" },
        { "dynamodb.json", $$$"""{"format":2,"journal":1,"tables":[{"definition":{{{DynamoTable.Replace("\"tbl\"", "\"x!\"", StringComparison.Ordinal)}}},"items":[]}]}""", "/tables/0/definition" },
        { "dynamodb.json", $$$"""{"format":2,"journal":1,"tables":[{"definition":{{{DynamoTable}}},"items":[]},{"definition":{{{DynamoTable}}},"items":[]}]}""", "/tables/1/definition/TableName" },
        { "dynamodb.json", $$$"""{"format":2,"journal":1,"tables":[{"definition":{{{DynamoTable}}},"items":[{"other":{"S":"x"}}]}]}""", "/tables/0/items/0" },
        { "dynamodb.json", $$$"""{"format":2,"journal":1,"tables":[{"definition":{{{DynamoTable}}},"items":[{"pk":{"N":"1"}}]}]}""", "/tables/0/items/0" },
        { "dynamodb.json", $$$"""{"format":2,"journal":1,"tables":[{"definition":{{{DynamoTable}}},"items":[{"pk":{"S":"a"},"n":{"N":"1e999"}}]}]}""", "/tables/0/items/0" },
        { "dynamodb-journal-0000000001", Framed("""{"op":"write","writes":[{"table":"missing","item":{"pk":{"S":"a"}}}]}"""), "record 0" },
        { "dynamodb-journal-0000000001", Framed("""{"op":"explode"}"""), "/op" },
        { "dynamodb-journal-0000000001", Framed("[1]"), "record 0" },
        { "dynamodb-journal-0000000001", Framed($$$"""{"op":"table","table":{{{DynamoTable}}}}""", """{"op":"write","writes":[{"table":"tbl","item":{"pk":{"B":"AA=="}}}]}"""), "record 1" },
    };

    /// <summary>Journal records framed exactly as the engine writes them, as Latin-1 text (one char per byte).</summary>
    public static string Framed(params string[] records)
    {
        var buffer = new ArrayBufferWriter<byte>();
        foreach (string record in records)
        {
            JournalFrame.Write(buffer, Encoding.UTF8.GetBytes(record));
        }

        return Encoding.Latin1.GetString(buffer.WrittenSpan);
    }
}
