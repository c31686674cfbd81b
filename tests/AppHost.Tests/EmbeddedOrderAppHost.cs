namespace AppHost.Tests;

/// <summary>The AppHost with the embedded engine as a process (<c>Kumo:Engine=embedded</c>), started from its snapshot: needs DCP only.</summary>
public sealed class EmbeddedOrderAppHost : OrderAppHost
{
    /// <inheritdoc/>
    public override string Engine => "embedded";

    /// <inheritdoc/>
    protected override bool NeedsContainerRuntime => false;
}
