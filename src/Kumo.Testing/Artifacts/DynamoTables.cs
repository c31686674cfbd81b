using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;

namespace Kumo.Testing;

/// <summary>Every table name of an engine, page after page (for the state dump and the wipe).</summary>
internal static class DynamoTables
{
    public static async Task<List<string>> ListNamesAsync(IAmazonDynamoDB dynamo, CancellationToken cancellationToken)
    {
        var names = new List<string>();
        string? start = null;
        do
        {
            ListTablesResponse page = await dynamo.ListTablesAsync(new ListTablesRequest { ExclusiveStartTableName = start }, cancellationToken).ConfigureAwait(false);
            names.AddRange(page.TableNames ?? []);
            start = string.IsNullOrEmpty(page.LastEvaluatedTableName) ? null : page.LastEvaluatedTableName;
        }
        while (start is not null);

        return names;
    }
}
