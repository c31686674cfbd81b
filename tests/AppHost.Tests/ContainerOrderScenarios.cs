namespace AppHost.Tests;

/// <summary>The scenarios with kumo as a container: skipped, with the reason printed, without DCP or a container runtime.</summary>
public sealed class ContainerOrderScenarios(ContainerOrderAppHost appHost) : OrderScenarios<ContainerOrderAppHost>(appHost);
