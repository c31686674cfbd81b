namespace AppHost.Tests;

/// <summary>The AppHost with kumo as a container (<c>Kumo:Engine=container</c>, the default): needs DCP and Docker or Podman.</summary>
public sealed class ContainerOrderAppHost : OrderAppHost
{
    /// <inheritdoc/>
    public override string Engine => "container";

    /// <inheritdoc/>
    protected override bool NeedsContainerRuntime => true;
}
