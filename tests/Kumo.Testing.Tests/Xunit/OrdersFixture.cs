namespace Kumo.Testing.Tests.Xunit;

/// <summary>The fixture under test as a user writes it: a manifest, and (here) the test process's store.</summary>
public sealed class OrdersFixture() : KumoFixture("Xunit/orders-seed.json")
{
    public const string ManifestPath = "Xunit/orders-seed.json";

    protected override string GetSnapshotDirectory() => TestStore.Root;
}
