using System.Text.Json;
using Kumo.Embedded.Compatibility;

namespace Kumo.Embedded.DynamoDb;

/// <summary>The DynamoDB operations over one <see cref="DynamoStore"/>: each reads its request and writes its response members.</summary>
/// <remarks>
/// Requests are read and their expressions parsed before the store's lock is taken; schema checks,
/// conditions and writes happen under it. Everything a client can get wrong is an AWS-shaped 4xx.
/// </remarks>
internal sealed partial class DynamoOperations
{
    private readonly DynamoStore _store;
    private readonly KumoCompatibilityMonitor _compatibility;

    public DynamoOperations(DynamoStore store, KumoCompatibilityMonitor compatibility)
    {
        _store = store;
        _compatibility = compatibility;
    }

    /// <summary>True for the operations whose response has no body (DynamoDB sends zero bytes, and SDKs check the CRC of zero bytes).</summary>
    public static bool HasEmptyResponse(string operation) => operation is "TagResource" or "UntagResource";

    /// <summary>Runs one operation, writing the members of its response object.</summary>
    public void Execute(string operation, JsonElement request, Utf8JsonWriter response)
    {
        switch (operation)
        {
            case "CreateTable":
                CreateTable(request, response);
                break;
            case "DescribeTable":
                DescribeTable(request, response);
                break;
            case "ListTables":
                ListTables(request, response);
                break;
            case "DeleteTable":
                DeleteTable(request, response);
                break;
            case "UpdateTable":
                UpdateTable(request, response);
                break;
            case "UpdateTimeToLive":
                UpdateTimeToLive(request, response);
                break;
            case "DescribeTimeToLive":
                DescribeTimeToLive(request, response);
                break;
            case "TagResource":
                TagResource(request);
                break;
            case "UntagResource":
                UntagResource(request);
                break;
            case "ListTagsOfResource":
                ListTagsOfResource(request, response);
                break;
            case "PutItem":
                PutItem(request, response);
                break;
            case "GetItem":
                GetItem(request, response);
                break;
            case "DeleteItem":
                DeleteItem(request, response);
                break;
            case "UpdateItem":
                UpdateItem(request, response);
                break;
            case "Query":
                Query(request, response);
                break;
            case "Scan":
                Scan(request, response);
                break;
            case "BatchGetItem":
                BatchGetItem(request, response);
                break;
            case "BatchWriteItem":
                BatchWriteItem(request, response);
                break;
            case "TransactGetItems":
                TransactGetItems(request, response);
                break;
            case "TransactWriteItems":
                TransactWriteItems(request, response);
                break;
            default:
                throw DynamoErrors.UnknownOperation(operation);
        }
    }

    /// <summary>Counts (and in strict mode refuses) a request member kumo v0.32.0 ignores.</summary>
    private void ReportIfPresent(JsonElement request, string member, string reason, string fix)
    {
        if (DynamoRequest.Has(request, member))
        {
            _compatibility.Report(reason, $"DynamoDB request with {member}; kumo v{EngineIdentity.CompatibleKumoVersion} ignores it", fix);
        }
    }
}
