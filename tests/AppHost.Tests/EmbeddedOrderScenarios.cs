namespace AppHost.Tests;

/// <summary>The scenarios with the embedded engine as a process: skipped, with the reason printed, without DCP.</summary>
public sealed class EmbeddedOrderScenarios(EmbeddedOrderAppHost appHost) : OrderScenarios<EmbeddedOrderAppHost>(appHost);
