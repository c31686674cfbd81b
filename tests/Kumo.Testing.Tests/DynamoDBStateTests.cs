using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Kumo.Seeding;

namespace Kumo.Testing.Tests;

/// <summary>The state dump (bounded) and the wipe cover DynamoDB tables.</summary>
public sealed class DynamoDBStateTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_dump_lists_tables_with_keys_counts_and_at_most_the_bounded_items_and_the_wipe_deletes_them()
    {
        await using TestEngine engine = await TestEngine.StartAsync(Ct);
        int total = KumoStateDump.MaxItemsPerTable + 20;
        SeedPlan plan = new SeedPlanBuilder().FixtureVersion("v1")
            .Table("orders", "customerId", t =>
            {
                t.RangeKey("orderId", "N");
                for (int i = 0; i < total; i++)
                {
                    t.Item($$"""{"customerId":"c-{{i % 3}}","orderId":{{i}},"status":"open"}""");
                }
            })
            .Table("empty", "id")
            .Build();
        await new KumoSeeder(engine.Clients).SeedAsync(plan.Resolve(new SeedContext("r", "w")), cancellationToken: Ct);

        KumoStateDump dump = await KumoStateDump.CaptureAsync(engine.Clients, Ct);
        KumoStateDump roundTripped = KumoStateDump.FromJson(dump.ToJson());
        KumoWipe.Result wiped = await KumoWipe.WipeAsync(engine.Clients, Ct);

        Assert.Empty(dump.Errors);
        Assert.Equal(["empty", "orders"], dump.Tables.Select(t => t.Name));
        TableState orders = dump.Tables[1];
        Assert.Equal(["customerId HASH", "orderId RANGE"], orders.KeySchema);
        Assert.Equal(total, orders.ItemCount);
        Assert.Equal(KumoStateDump.MaxItemsPerTable, orders.Items.Count);
        Assert.True(orders.Truncated);
        Assert.Contains("\"status\"", orders.Items[0], StringComparison.Ordinal);
        Assert.False(dump.Tables[0].Truncated);
        Assert.Equal(total, roundTripped.Tables[1].ItemCount);
        Assert.Equal(2, wiped.Tables);
        Assert.Empty((await engine.Clients.DynamoDB.ListTablesAsync(new ListTablesRequest(), Ct)).TableNames ?? []);
        Assert.Contains("2 table(s)", wiped.ToString(), StringComparison.Ordinal);
    }
}
