namespace Kumo.Aspire.Hosting.Tests.Utils;

/// <summary>Seed manifests used by the tests, written to a temporary directory.</summary>
internal static class SeedFixtures
{
    /// <summary>The content of <c>data/order-1.json</c>.</summary>
    public const string OrderJson = """{"id":1,"customer":"Ada"}""";

    /// <summary>
    /// A bucket <c>orders-{run}-{worker}</c> with an inline object and a file object, a dead-letter queue and a queue with
    /// a redrive policy, an attribute and one message.
    /// </summary>
    public const string OrdersManifest = """
        {
          "version": 1,
          "fixtureVersion": "v1",
          "buckets": [
            {
              "name": "orders-{run}-{worker}",
              "objects": [
                { "key": "welcome.txt", "text": "hello" },
                { "key": "orders/1.json", "file": "data/order-1.json" }
              ]
            }
          ],
          "queues": [
            { "name": "orders-dlq-{worker}" },
            {
              "name": "orders-{worker}",
              "attributes": { "VisibilityTimeout": 30 },
              "redrive": { "deadLetterQueue": "orders-dlq-{worker}", "maxReceiveCount": 3 },
              "messages": [ "first order" ]
            }
          ]
        }
        """;

    /// <summary>Writes <see cref="OrdersManifest"/> and its data file; returns the manifest path.</summary>
    public static string WriteOrders(TestDirectory directory)
    {
        directory.Write("data/order-1.json", OrderJson);
        return directory.Write("kumo-seed.json", OrdersManifest);
    }
}
